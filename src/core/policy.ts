/**
 * The access policy: the one place that decides who may do what. Routes, CLI and every other
 * channel ask `authorize` (or `can`) before doing anything; nothing else encodes these rules.
 */
import type { Actor } from './actor.js';
import { Forbidden, NotFound, Unauthenticated } from './errors.js';

export type Action =
  | 'organization.list'
  | 'organization.read'
  | 'organization.create'
  | 'organization.update'
  | 'user.list'
  | 'user.create'
  | 'user.update'
  | 'audit.read'
  | 'self.read'
  | 'self.update'
  | 'token.manage';

/** Actions that change state: refused to read-only API tokens. */
const writes: ReadonlySet<Action> = new Set<Action>([
  'organization.create',
  'organization.update',
  'user.create',
  'user.update',
  'self.update',
  'token.manage',
]);

export interface Target {
  /** The organisation the target belongs to (or is). */
  orgId?: string;
  /** The user the target is (for self-service actions). */
  userId?: string;
}

export function isWrite(action: Action): boolean {
  return writes.has(action);
}

/** Decide whether `actor` may perform `action` on `target`. Pure: no I/O. */
export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'anonymous') return false;
  if (actor.readOnly && isWrite(action)) return false;

  const secretariatAdmin = actor.isSecretariat && actor.role === 'admin';
  const ownOrgAdmin = actor.role === 'admin' && target.orgId === actor.orgId;

  switch (action) {
    case 'organization.list':
    case 'organization.create':
    case 'organization.update':
      return secretariatAdmin;
    case 'organization.read':
      return actor.isSecretariat || target.orgId === actor.orgId;
    case 'user.list':
      return actor.isSecretariat || target.orgId === actor.orgId;
    case 'user.create':
    case 'user.update':
      return secretariatAdmin || ownOrgAdmin;
    case 'audit.read':
      return actor.isSecretariat && actor.role !== 'viewer';
    case 'self.read':
    case 'self.update':
    case 'token.manage':
      return target.userId === actor.userId;
  }
}

/**
 * Throw unless `can` allows. Anonymous callers get 401; read-only tokens a specific 403;
 * `hide: true` answers "not found" where the target's existence is itself confidential.
 */
export function authorize(actor: Actor, action: Action, target: Target = {}, opts: { hide?: boolean } = {}): void {
  if (can(actor, action, target)) return;
  if (actor.kind === 'anonymous') throw new Unauthenticated('unauthenticated');
  if (actor.kind === 'user' && actor.readOnly && isWrite(action)) throw new Forbidden('read_only_token');
  if (opts.hide) throw new NotFound('not_found');
  throw new Forbidden('forbidden');
}
