/** Accounts around membership: one-time password-setup links for new administrators, and the committee flag. */
import { anonymous, type Actor } from '../actor.js';
import { audit, iso, type Deps, type RequestMeta } from '../context.js';
import { hashPassword, randomToken, sha256 } from '../crypto.js';
import { Invalid, NotFound } from '../errors.js';
import type { User } from '../model.js';
import { authorize } from '../policy.js';
import type { Repos } from '../ports.js';
import { publicUser } from '../usecases/auth.js';
import type { PasswordSetupRecord } from './ports.js';

/** Stored instead of a hash until the password is set: no password verifies against it. */
export const UNSET_PASSWORD = '!unset';

/** How long a password-setup link works. */
export const PASSWORD_LINK_DAYS = 14;

/** A new one-time link for the user (older unused ones stop working). Returns the token once. */
export async function issuePasswordSetup(r: Repos, deps: Deps, userId: string): Promise<{ token: string; expiresAt: string }> {
  const now = deps.now();
  await r.passwordSetup.invalidateForUser(userId, iso(now));
  const token = randomToken();
  const expiresAt = iso(new Date(now.getTime() + PASSWORD_LINK_DAYS * 86_400_000));
  await r.passwordSetup.insert({ tokenHash: sha256(token), userId, createdAt: iso(now), expiresAt, usedAt: null });
  return { token, expiresAt };
}

function usable(rec: PasswordSetupRecord | undefined, now: Date): rec is PasswordSetupRecord {
  return rec !== undefined && rec.usedAt === null && new Date(rec.expiresAt) > now;
}

/** Public: what a password-setup link is for (the login to show), if it still works. */
export async function passwordSetupInfo(deps: Deps, token: string): Promise<{ login: string; expiresAt: string }> {
  const r = deps.store.read;
  const rec = await r.passwordSetup.byHash(sha256(token));
  if (!usable(rec, deps.now())) throw new NotFound('password_link_invalid');
  const user = await r.users.byId(rec.userId);
  if (!user?.active) throw new NotFound('password_link_invalid');
  return { login: user.login, expiresAt: rec.expiresAt };
}

/** Public: set the password with a one-time link. The link is used up; the user's sessions end. */
export async function setPasswordWithLink(
  deps: Deps,
  input: { token: string; password: string },
  meta: RequestMeta,
): Promise<{ login: string }> {
  const info = await passwordSetupInfo(deps, input.token);
  // Hashing is slow on purpose: outside the transaction.
  const passwordHash = await hashPassword(input.password);
  return deps.store.tx(async (r) => {
    const hash = sha256(input.token);
    const rec = await r.passwordSetup.byHash(hash);
    // Checked again inside the transaction: the same link may have been used meanwhile.
    if (!usable(rec, deps.now())) throw new NotFound('password_link_invalid');
    await r.users.update(rec.userId, { passwordHash });
    await r.passwordSetup.markUsed(hash, iso(deps.now()));
    await r.sessions.deleteForUser(rec.userId);
    await audit(r, deps, anonymous, meta, 'user.password_set', { type: 'user', id: rec.userId }, { via: 'setup_link' });
    return { login: info.login };
  });
}

/** A secretariat administrator names or removes a steering-committee member. */
export async function setCommittee(
  deps: Deps,
  actor: Actor,
  userId: string,
  isCommittee: boolean,
  meta: RequestMeta,
): Promise<User> {
  authorize(actor, 'committee.manage');
  return deps.store.tx(async (r) => {
    const user = await r.users.byId(userId);
    if (!user) throw new NotFound('not_found');
    if (isCommittee && !user.active) throw new Invalid('committee_requires_active_user');
    await r.users.update(userId, { isCommittee });
    await audit(r, deps, actor, meta, 'user.committee', { type: 'user', id: userId }, { isCommittee });
    return publicUser({ ...user, isCommittee });
  });
}
