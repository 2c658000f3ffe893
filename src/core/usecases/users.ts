/** People: users of an organisation, managed by the secretariat or the organisation's own administrator. */
import type { Actor } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { generatePassword, hashPassword } from '../crypto.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import type { Page, PageQuery, User, UserCreate, UserUpdate } from '../model.js';
import { authorize } from '../policy.js';
import { publicUser } from './auth.js';
import { definedOnly } from './organizations.js';

export interface CreatedUser {
  user: User;
  /** Present when the password was generated: shown once, never stored in clear. */
  initialPassword?: string;
}

export async function createUser(
  deps: Deps,
  actor: Actor,
  orgId: string,
  input: UserCreate,
  meta: RequestMeta,
): Promise<CreatedUser> {
  authorize(actor, 'user.create', { orgId }, { hide: true });
  const initialPassword = input.password ? undefined : generatePassword();
  const passwordHash = await hashPassword(input.password ?? (initialPassword as string));
  const user = await deps.store.tx(async (r) => {
    const org = await r.organizations.byId(orgId);
    if (!org) throw new NotFound('not_found');
    if (!org.active) throw new Invalid('organization_deactivated');
    if (await r.users.byLogin(input.login)) throw new Conflict('login_taken');
    const record = {
      id: newId(),
      orgId,
      login: input.login,
      displayName: input.displayName,
      email: input.email,
      role: input.role,
      locale: input.locale,
      totpEnabled: false,
      active: true,
      lastLoginAt: null,
      createdAt: iso(deps.now()),
      passwordHash,
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: null,
      isCommittee: false,
    };
    await r.users.insert(record);
    await audit(r, deps, actor, meta, 'user.create', { type: 'user', id: record.id }, {
      orgId,
      login: record.login,
      role: record.role,
    });
    return publicUser(record);
  });
  return initialPassword ? { user, initialPassword } : { user };
}

export async function updateUser(
  deps: Deps,
  actor: Actor,
  userId: string,
  patch: UserUpdate,
  meta: RequestMeta,
): Promise<User> {
  return deps.store.tx(async (r) => {
    const before = await r.users.byId(userId);
    authorize(actor, 'user.update', { orgId: before?.orgId }, { hide: true });
    if (!before) throw new NotFound('not_found');
    if (patch.active === false && actor.kind === 'user' && actor.userId === userId) throw new Invalid('cannot_deactivate_self');
    await r.users.update(userId, definedOnly(patch));
    // A deactivated user is signed out everywhere at once.
    if (patch.active === false) await r.sessions.deleteForUser(userId);
    await audit(r, deps, actor, meta, 'user.update', { type: 'user', id: userId }, { changes: patch });
    return publicUser({ ...before, ...definedOnly(patch) });
  });
}

/** Set a new random password for a user (administrator or CLI); all their sessions end. */
export async function resetPassword(
  deps: Deps,
  actor: Actor,
  userId: string,
  meta: RequestMeta,
  password?: string,
): Promise<string> {
  const user = await deps.store.read.users.byId(userId);
  authorize(actor, 'user.update', { orgId: user?.orgId }, { hide: true });
  if (!user) throw new NotFound('not_found');
  const next = password ?? generatePassword();
  const passwordHash = await hashPassword(next);
  await deps.store.tx(async (r) => {
    await r.users.update(userId, { passwordHash });
    await r.sessions.deleteForUser(userId);
    await audit(r, deps, actor, meta, 'user.password_reset', { type: 'user', id: userId });
  });
  return next;
}

export async function listUsers(deps: Deps, actor: Actor, orgId: string, q: PageQuery): Promise<Page<User>> {
  authorize(actor, 'user.list', { orgId }, { hide: true });
  const rows = await deps.store.read.users.listByOrg(orgId, { after: decodeCursor(q.cursor), limit: q.limit + 1 });
  const page = toPage(rows, q.limit, (u) => u.id);
  return { items: page.items.map(publicUser), next: page.next };
}
