/** Sign-in, sessions, API-token authentication, second factor, password and language. */
import { anonymous, type Actor, type UserActor } from '../actor.js';
import { audit, iso, type Deps, type RequestMeta } from '../context.js';
import { burnPasswordCheck, hashPassword, randomToken, sha256, verifyPassword } from '../crypto.js';
import { Conflict, Invalid, TooManyAttempts, Unauthenticated } from '../errors.js';
import type { Locale } from '../messages.js';
import type { Organization, User } from '../model.js';
import { authorize } from '../policy.js';
import type { Repos, SessionRecord, UserRecord } from '../ports.js';
import { checkTotp, newTotpSecret, totpUri } from '../totp.js';
import { rulesAccepted } from '../membership/rules.js';

/** Failures counted over this window; from the fifth on, each one doubles the wait (30 s … 15 min). */
const FAILURE_WINDOW_MS = 15 * 60_000;
const FREE_FAILURES = 5;
const IP_FREE_FAILURES = 30;

export function publicUser(u: UserRecord): User {
  return {
    id: u.id,
    orgId: u.orgId,
    login: u.login,
    displayName: u.displayName,
    email: u.email,
    role: u.role,
    locale: u.locale,
    totpEnabled: u.totpEnabled,
    active: u.active,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
    isCommittee: u.isCommittee,
  };
}

async function throttle(repos: Repos, deps: Deps, login: string, ip: string | null): Promise<void> {
  const now = deps.now().getTime();
  const { byLogin, byIp, lastAt } = await repos.loginFailures.count({
    login,
    ip,
    since: iso(new Date(now - FAILURE_WINDOW_MS)),
  });
  const excess = Math.max(byLogin - FREE_FAILURES + 1, byIp - IP_FREE_FAILURES + 1);
  if (excess <= 0 || !lastAt) return;
  const waitMs = Math.min(30_000 * 2 ** (excess - 1), FAILURE_WINDOW_MS);
  const remaining = new Date(lastAt).getTime() + waitMs - now;
  if (remaining > 0) throw new TooManyAttempts(Math.ceil(remaining / 1000));
}

export interface LoginInput {
  login: string;
  password: string;
  totp?: string | undefined;
}

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  user: User;
}

/**
 * Check credentials and open a session. Unknown logins, wrong passwords and inactive accounts all
 * answer `invalid_credentials` after the same work, so the answer tells nothing about which.
 */
export async function login(deps: Deps, input: LoginInput, meta: RequestMeta): Promise<LoginResult> {
  const loginId = input.login.trim().toLowerCase();
  const r = deps.store.read;
  await throttle(r, deps, loginId, meta.ip);
  const user = await r.users.byLogin(loginId);
  const org = user ? await r.organizations.byId(user.orgId) : undefined;
  // Password hashing runs outside any transaction: it is slow on purpose and must not hold the database.
  const passwordOk = user ? await verifyPassword(user.passwordHash, input.password) : await burnPasswordCheck(input.password);

  const fail = async (code: 'invalid_credentials' | 'invalid_totp'): Promise<never> => {
    await deps.store.tx(async (t) => {
      await t.loginFailures.record(loginId, meta.ip, iso(deps.now()));
      await audit(t, deps, anonymous, meta, 'auth.login_failed', user ? { type: 'user', id: user.id } : null, {
        login: loginId,
        reason: code,
      });
    });
    throw new Unauthenticated(code);
  };

  if (!passwordOk || !user?.active || !org?.active) return fail('invalid_credentials');

  let totpStep: number | null = null;
  if (user.totpSecret) {
    if (!input.totp) throw new Unauthenticated('totp_required');
    totpStep = checkTotp(user.totpSecret, input.totp.trim(), deps.now(), user.totpLastStep);
    if (totpStep === null) return fail('invalid_totp');
  }

  const sessionToken = randomToken();
  const csrfToken = randomToken();
  const now = deps.now();
  await deps.store.tx(async (t) => {
    await t.sessions.insert({
      idHash: sha256(sessionToken),
      userId: user.id,
      csrfToken,
      createdAt: iso(now),
      lastSeenAt: iso(now),
      expiresAt: iso(new Date(now.getTime() + deps.config.sessionIdleMinutes * 60_000)),
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 500) ?? null,
    });
    await t.users.update(user.id, { lastLoginAt: iso(now), ...(totpStep !== null ? { totpLastStep: totpStep } : {}) });
    await t.loginFailures.clear(loginId);
    // Expired sessions are swept at each sign-in, so the table does not grow without bound.
    await t.sessions.deleteExpired(iso(now));
    const actor = await actorForUser(t, user, { via: 'session', readOnly: false }, now);
    await audit(t, deps, actor ?? anonymous, meta, 'auth.login', { type: 'user', id: user.id }, {
      secondFactor: totpStep !== null,
    });
  });
  return { sessionToken, csrfToken, user: publicUser({ ...user, lastLoginAt: iso(now) }) };
}

type ActorVia = { via: 'session' | 'token'; readOnly: boolean; sessionHash?: string; tokenId?: string };

/** Build the actor for a user, or undefined when the user or the organisation is inactive. */
export async function actorForUser(r: Repos, user: UserRecord, how: ActorVia, now: Date): Promise<UserActor | undefined> {
  if (!user.active) return undefined;
  const org = await r.organizations.byId(user.orgId);
  if (!org?.active) return undefined;
  return userActor(user, org, await rulesAccepted(r, user.id, org, iso(now)), how);
}

/** The actor of an active user of an active organisation, from facts already loaded (notifications build thousands). */
export function userActor(user: UserRecord, org: Organization, acceptedRules: boolean, how: ActorVia): UserActor {
  return {
    kind: 'user',
    userId: user.id,
    orgId: org.id,
    login: user.login,
    displayName: user.displayName,
    role: user.role,
    locale: user.locale,
    isSecretariat: org.isSecretariat,
    memberClass: org.memberClass,
    designated: org.designated,
    foreignCapital: org.foreignCapital,
    specialApproval: org.specialApproval !== null,
    suspended: org.status === 'suspended',
    isCommittee: user.isCommittee,
    rulesAccepted: acceptedRules,
    totpEnabled: user.totpEnabled,
    ...how,
  };
}

/** Sessions are refreshed at most once a minute, so reads do not turn into writes. */
const TOUCH_EVERY_MS = 60_000;

/**
 * Resolve a session cookie to its actor, sliding the idle expiry — unless `touch` is false: a long-lived stream checks
 * that its session is still good without keeping it alive.
 */
export async function authenticateSession(
  deps: Deps,
  sessionToken: string,
  { touch = true }: { touch?: boolean } = {},
): Promise<{ actor: UserActor; session: SessionRecord } | undefined> {
  const idHash = sha256(sessionToken);
  const r = deps.store.read;
  const session = await r.sessions.byHash(idHash);
  const now = deps.now();
  if (!session || new Date(session.expiresAt) <= now) return undefined;
  const maxEnd = new Date(session.createdAt).getTime() + deps.config.sessionMaxHours * 3_600_000;
  if (now.getTime() >= maxEnd) return undefined;
  const user = await r.users.byId(session.userId);
  const actor = user && (await actorForUser(r, user, { via: 'session', readOnly: false, sessionHash: idHash }, now));
  if (!actor) return undefined;
  if (touch && now.getTime() - new Date(session.lastSeenAt).getTime() > TOUCH_EVERY_MS) {
    const expires = Math.min(now.getTime() + deps.config.sessionIdleMinutes * 60_000, maxEnd);
    await r.sessions.touch(idHash, iso(now), iso(new Date(expires)));
  }
  return { actor, session };
}

/** Resolve a bearer API token to its actor. Revoked, expired or unknown tokens resolve to nothing. */
export async function authenticateToken(deps: Deps, token: string): Promise<UserActor | undefined> {
  const r = deps.store.read;
  const record = await r.tokens.byHash(sha256(token));
  const now = deps.now();
  if (!record || record.revokedAt || new Date(record.expiresAt) <= now) return undefined;
  const user = await r.users.byId(record.userId);
  const actor = user && (await actorForUser(r, user, { via: 'token', readOnly: record.readOnly, tokenId: record.id }, now));
  if (!actor) return undefined;
  if (!record.lastUsedAt || now.getTime() - new Date(record.lastUsedAt).getTime() > TOUCH_EVERY_MS) {
    await r.tokens.update(record.id, { lastUsedAt: iso(now) });
  }
  return actor;
}

export async function logout(deps: Deps, actor: UserActor, meta: RequestMeta): Promise<void> {
  await deps.store.tx(async (r) => {
    if (actor.sessionHash) await r.sessions.delete(actor.sessionHash);
    await audit(r, deps, actor, meta, 'auth.logout', { type: 'user', id: actor.userId });
  });
}

export async function me(deps: Deps, actor: Actor): Promise<User> {
  authorize(actor, 'self.read', { userId: actor.kind === 'user' ? actor.userId : undefined });
  const user = await deps.store.read.users.byId((actor as UserActor).userId);
  if (!user) throw new Unauthenticated('unauthenticated');
  return publicUser(user);
}

export async function setLocale(deps: Deps, actor: Actor, locale: Locale, meta: RequestMeta): Promise<void> {
  const userId = actor.kind === 'user' ? actor.userId : undefined;
  authorize(actor, 'self.update', { userId });
  await deps.store.tx(async (r) => {
    await r.users.update(userId as string, { locale });
    await audit(r, deps, actor, meta, 'user.locale', { type: 'user', id: userId as string }, { locale });
  });
}

export async function changePassword(
  deps: Deps,
  actor: Actor,
  input: { current: string; next: string },
  meta: RequestMeta,
): Promise<void> {
  const userId = actor.kind === 'user' ? actor.userId : undefined;
  authorize(actor, 'self.update', { userId });
  const user = await deps.store.read.users.byId(userId as string);
  if (!user || !(await verifyPassword(user.passwordHash, input.current))) throw new Invalid('wrong_password');
  const passwordHash = await hashPassword(input.next);
  await deps.store.tx(async (r) => {
    await r.users.update(user.id, { passwordHash });
    // Other sessions end: a changed password must lock out whoever else had it.
    await r.sessions.deleteForUser(user.id, (actor as UserActor).sessionHash);
    await audit(r, deps, actor, meta, 'user.password_changed', { type: 'user', id: user.id });
  });
}

/** Begin TOTP setup: a new secret, kept pending until a code from it is confirmed. */
export async function startTotp(deps: Deps, actor: Actor): Promise<{ secret: string; uri: string }> {
  const userId = actor.kind === 'user' ? actor.userId : undefined;
  authorize(actor, 'self.update', { userId });
  const user = await deps.store.read.users.byId(userId as string);
  if (!user) throw new Unauthenticated('unauthenticated');
  if (user.totpSecret) throw new Conflict('totp_already_enabled');
  const secret = newTotpSecret();
  await deps.store.tx((r) => r.users.update(user.id, { totpPendingSecret: secret }));
  return { secret, uri: totpUri(secret, user.login, deps.config.totpIssuer) };
}

export async function enableTotp(deps: Deps, actor: Actor, code: string, meta: RequestMeta): Promise<void> {
  const userId = actor.kind === 'user' ? actor.userId : undefined;
  authorize(actor, 'self.update', { userId });
  await deps.store.tx(async (r) => {
    const user = await r.users.byId(userId as string);
    if (!user?.totpPendingSecret) throw new Conflict('totp_not_pending');
    const step = checkTotp(user.totpPendingSecret, code.trim(), deps.now(), null);
    if (step === null) throw new Invalid('invalid_totp');
    await r.users.update(user.id, { totpSecret: user.totpPendingSecret, totpPendingSecret: null, totpLastStep: step });
    await audit(r, deps, actor, meta, 'user.totp_enabled', { type: 'user', id: user.id });
  });
}

/** Turning the second factor off needs the password and a current code. */
export async function disableTotp(
  deps: Deps,
  actor: Actor,
  input: { password: string; code: string },
  meta: RequestMeta,
): Promise<void> {
  const userId = actor.kind === 'user' ? actor.userId : undefined;
  authorize(actor, 'self.update', { userId });
  const user = await deps.store.read.users.byId(userId as string);
  if (!user?.totpSecret) throw new Conflict('totp_not_pending');
  if (!(await verifyPassword(user.passwordHash, input.password))) throw new Invalid('wrong_password');
  if (checkTotp(user.totpSecret, input.code.trim(), deps.now(), user.totpLastStep) === null) throw new Invalid('invalid_totp');
  await deps.store.tx(async (r) => {
    await r.users.update(user.id, { totpSecret: null, totpPendingSecret: null, totpLastStep: null });
    await audit(r, deps, actor, meta, 'user.totp_disabled', { type: 'user', id: user.id });
  });
}

