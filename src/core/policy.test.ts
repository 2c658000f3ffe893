import { describe, expect, it } from 'vitest';
import { anonymous, system, type UserActor } from './actor.js';
import { Forbidden, NotFound, Unauthenticated } from './errors.js';
import type { UserRole } from './model.js';
import { authorize, can, isWrite, type Action } from './policy.js';

const OWN = 'org-own';
const OTHER = 'org-other';

function user(role: UserRole, isSecretariat: boolean, readOnly = false): UserActor {
  return {
    kind: 'user',
    userId: 'u1',
    orgId: OWN,
    login: 'u1',
    displayName: 'u1',
    role,
    locale: 'ja',
    isSecretariat,
    memberClass: isSecretariat ? 'none' : 'general',
    designated: false,
    foreignCapital: false,
    specialApproval: false,
    suspended: false,
    isCommittee: false,
    rulesAccepted: true,
    totpEnabled: false,
    via: readOnly ? 'token' : 'session',
    readOnly,
  };
}

type Who = 'secretariat admin' | 'secretariat analyst' | 'secretariat viewer' | 'member admin' | 'member analyst' | 'member viewer';
const actors: Record<Who, UserActor> = {
  'secretariat admin': user('admin', true),
  'secretariat analyst': user('analyst', true),
  'secretariat viewer': user('viewer', true),
  'member admin': user('admin', false),
  'member analyst': user('analyst', false),
  'member viewer': user('viewer', false),
};

/** Expected answers: [who, action, target org, allowed]. Every row is checked for sessions and read-only tokens. */
const table: [Who, Action, string | undefined, boolean][] = [];
const allow = (who: Who[], action: Action, target: string | undefined) => {
  for (const w of Object.keys(actors) as Who[]) table.push([w, action, target, who.includes(w)]);
};
allow(['secretariat admin'], 'organization.list', undefined);
allow(['secretariat admin'], 'organization.create', undefined);
allow(['secretariat admin'], 'organization.update', OTHER);
allow(['secretariat admin'], 'organization.update', OWN);
allow(['secretariat admin', 'secretariat analyst', 'secretariat viewer', 'member admin', 'member analyst', 'member viewer'], 'organization.read', OWN);
allow(['secretariat admin', 'secretariat analyst', 'secretariat viewer'], 'organization.read', OTHER);
allow(['secretariat admin', 'secretariat analyst', 'secretariat viewer', 'member admin', 'member analyst', 'member viewer'], 'user.list', OWN);
allow(['secretariat admin', 'secretariat analyst', 'secretariat viewer'], 'user.list', OTHER);
allow(['secretariat admin', 'member admin'], 'user.create', OWN);
allow(['secretariat admin'], 'user.create', OTHER);
allow(['secretariat admin', 'member admin'], 'user.update', OWN);
allow(['secretariat admin'], 'user.update', OTHER);
allow(['secretariat admin', 'secretariat analyst'], 'audit.read', undefined);

describe('policy: foundation actions', () => {
  it.each(table)('%s → %s on %s: %s', (who, action, orgId, expected) => {
    const actor = actors[who];
    expect(can(actor, action, { orgId })).toBe(expected);
    // A read-only token never gets more than the session, and never any write.
    const token = { ...actor, via: 'token' as const, readOnly: true };
    expect(can(token, action, { orgId })).toBe(expected && !isWrite(action));
  });

  it('lets people manage only their own account and tokens', () => {
    const me = actors['member viewer'];
    for (const action of ['self.read', 'self.update', 'token.manage'] as const) {
      expect(can(me, action, { userId: me.userId })).toBe(true);
      expect(can(me, action, { userId: 'someone-else' })).toBe(false);
      expect(can(actors['secretariat admin'], action, { userId: 'someone-else' })).toBe(false);
    }
  });

  it('refuses anonymous callers everything and lets the system do anything', () => {
    for (const [, action, orgId] of table) {
      expect(can(anonymous, action, { orgId })).toBe(false);
      expect(can(system('test'), action, { orgId })).toBe(true);
    }
  });

  it('answers refusals with the right error', () => {
    expect(() => authorize(anonymous, 'organization.list')).toThrow(Unauthenticated);
    expect(() => authorize(actors['member admin'], 'organization.list')).toThrow(Forbidden);
    expect(() => authorize(actors['member admin'], 'organization.read', { orgId: OTHER }, { hide: true })).toThrow(NotFound);
    const token = { ...actors['secretariat admin'], via: 'token' as const, readOnly: true };
    expect(() => authorize(token, 'organization.create')).toThrow(expect.objectContaining({ code: 'read_only_token' }));
  });
});

describe('policy: sharing actions by class, role and second factor', () => {
  const base = user('analyst', false);
  const profile = (memberClass: UserActor['memberClass'], extra: Partial<UserActor> = {}): UserActor => ({
    ...base,
    memberClass,
    totpEnabled: true,
    ...extra,
  });
  const type1 = profile('type1');
  const designated = profile('type1', { designated: true });
  const type2 = profile('type2');
  const general = profile('general');
  const none = profile('none');
  const secretariat = profile('none', { isSecretariat: true });

  const rows: [string, UserActor, Action, boolean][] = [
    ['general member reports', general, 'report.create', true],
    ['non-member organisation cannot report through an account', none, 'report.create', false],
    ['secretariat reports', secretariat, 'report.create', true],
    ['viewer cannot report', { ...general, role: 'viewer' }, 'report.create', false],
    ['type1 analyses', type1, 'report.comment', true],
    ['type1 without second factor cannot analyse', { ...type1, totpEnabled: false }, 'report.comment', false],
    ['type2 cannot analyse', type2, 'report.comment', false],
    ['designated corporation analyses', designated, 'report.corroborate', true],
    ['type1 creates countermeasure information', type1, 'advisory.create', true],
    ['general member cannot', general, 'advisory.create', false],
    ['type1 releases', type1, 'advisory.release', true],
    ['type2 cannot release', type2, 'advisory.release', false],
    ['secretariat cannot release', secretariat, 'advisory.release', false],
    ['foreign-capital type1 without approval cannot release', profile('type1', { foreignCapital: true }), 'advisory.release', false],
    ['foreign-capital type1 with approval releases', profile('type1', { foreignCapital: true, specialApproval: true }), 'advisory.release', true],
    ['type2 answers feedback', type2, 'feedback.submit', true],
    ['general member may answer too', general, 'feedback.submit', true],
    ['viewer cannot answer', { ...type2, role: 'viewer' }, 'feedback.submit', false],
    ['type1 sees the tally', type1, 'feedback.tally', true],
    ['secretariat sees the tally', secretariat, 'feedback.tally', true],
    ['type2 does not see the tally', type2, 'feedback.tally', false],
    ['suspended type1 does nothing', profile('type1', { suspended: true }), 'advisory.create', false],
    ['type1 that has not accepted the rules does nothing', profile('type1', { rulesAccepted: false }), 'report.comment', false],
  ];

  it.each(rows)('%s', (_, actor, action, expected) => {
    expect(can(actor, action)).toBe(expected);
    expect(can({ ...actor, via: 'token', readOnly: true }, action)).toBe(expected && !isWrite(action));
  });

  it('lets the provider reply on its own report only', () => {
    expect(can(general, 'report.reply', { orgId: general.orgId })).toBe(true);
    expect(can(general, 'report.reply', { orgId: 'another' })).toBe(false);
    expect(can(type1, 'report.reply', { orgId: 'another' })).toBe(true);
  });
});

describe('policy: the steering committee reads organisations it decides on', () => {
  it('lists and reads every organisation, and changes none', () => {
    const committee = { ...user('analyst', false), isCommittee: true };
    expect(can(committee, 'organization.list')).toBe(true);
    expect(can(committee, 'organization.read', { orgId: OTHER })).toBe(true);
    expect(can(committee, 'organization.update', { orgId: OTHER })).toBe(false);
    expect(can(committee, 'organization.create')).toBe(false);
    expect(can(committee, 'user.create', { orgId: OTHER })).toBe(false);
  });
});
