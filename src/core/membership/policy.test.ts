/** The membership rows of the policy table, the rules gate and suspension (pure: no database). */
import { describe, expect, it } from 'vitest';
import { anonymous, type UserActor } from '../actor.js';
import type { UserRole } from '../model.js';
import { allowedBeforeRules, authorize, can, isWrite, type Action } from '../policy.js';

const OWN = 'org-own';
const OTHER = 'org-other';

function user(role: UserRole, opts: Partial<UserActor> = {}): UserActor {
  return {
    kind: 'user',
    userId: 'u1',
    orgId: OWN,
    login: 'u1',
    displayName: 'u1',
    role,
    locale: 'ja',
    isSecretariat: false,
    memberClass: 'general',
    designated: false,
    foreignCapital: false,
    specialApproval: false,
    suspended: false,
    isCommittee: false,
    rulesAccepted: true,
    totpEnabled: false,
    via: 'session',
    readOnly: false,
    ...opts,
  };
}

const actors = {
  'secretariat admin': user('admin', { isSecretariat: true, memberClass: 'none' }),
  'secretariat analyst': user('analyst', { isSecretariat: true, memberClass: 'none' }),
  'secretariat viewer': user('viewer', { isSecretariat: true, memberClass: 'none' }),
  committee: user('viewer', { isCommittee: true, memberClass: 'none' }),
  'member admin': user('admin'),
  'member analyst': user('analyst'),
};
type Who = keyof typeof actors;
const everyone = Object.keys(actors) as Who[];

const table: [Action, string | undefined, Who[]][] = [
  ['period.manage', undefined, ['secretariat admin']],
  ['roster.publish', undefined, ['secretariat admin']],
  ['rulebook.manage', undefined, ['secretariat admin']],
  ['settings.manage', undefined, ['secretariat admin']],
  ['committee.manage', undefined, ['secretariat admin']],
  ['application.read', undefined, ['secretariat admin', 'secretariat analyst', 'secretariat viewer', 'committee']],
  ['membership.stats', undefined, ['secretariat admin', 'secretariat analyst', 'secretariat viewer', 'committee']],
  ['application.review', undefined, ['secretariat admin', 'secretariat analyst']],
  ['change.review', undefined, ['secretariat admin', 'secretariat analyst']],
  ['application.decide', undefined, ['committee']],
  ['class.decide', undefined, ['committee']],
  ['sanction.decide', OTHER, ['committee']],
  ['special_approval.decide', OTHER, ['committee']],
  ['change.submit', OWN, ['secretariat admin', 'member admin']],
  ['change.submit', OTHER, []],
  ['class.request', OWN, ['secretariat admin', 'secretariat analyst', 'member admin']],
  ['class.request', OTHER, ['secretariat admin', 'secretariat analyst']],
  ['membership.read', OWN, everyone],
  ['membership.read', OTHER, ['secretariat admin', 'secretariat analyst', 'secretariat viewer', 'committee']],
  ['membership.withdraw', OWN, ['secretariat admin', 'member admin']],
  ['membership.withdraw', OTHER, ['secretariat admin']],
];

describe('policy: membership actions', () => {
  const rows = table.flatMap(([action, orgId, allowed]) => everyone.map((who) => [who, action, orgId, allowed.includes(who)] as const));
  it.each(rows)('%s → %s on %s: %s', (who, action, orgId, expected) => {
    const actor = actors[who];
    expect(can(actor, action, { orgId })).toBe(expected);
    expect(can({ ...actor, via: 'token', readOnly: true }, action, { orgId })).toBe(expected && !isWrite(action));
    expect(can(anonymous, action, { orgId })).toBe(false);
  });

  it('lets each user accept rules only for themselves', () => {
    const me = actors['member analyst'];
    expect(can(me, 'rulebook.accept', { userId: me.userId })).toBe(true);
    expect(can(me, 'rulebook.accept', { userId: 'other' })).toBe(false);
  });
});

describe('rules gate', () => {
  const pending = (who: Who) => ({ ...actors[who], rulesAccepted: false });

  it('refuses every action but the own account, the own standing and the rules, with rules_not_accepted', () => {
    for (const [action, orgId, allowed] of table) {
      for (const who of allowed) {
        const actor = pending(who);
        if (allowedBeforeRules(actor, action, { orgId })) continue;
        expect(can(actor, action, { orgId })).toBe(false);
        expect(() => authorize(actor, action, { orgId })).toThrow(expect.objectContaining({ code: 'rules_not_accepted', status: 403 }));
      }
    }
    const me = pending('member admin');
    for (const action of ['self.read', 'self.update', 'token.manage', 'rulebook.accept'] as const) {
      expect(can(me, action, { userId: me.userId })).toBe(true);
    }
    expect(can(me, 'organization.read', { orgId: OWN })).toBe(true);
    expect(can(me, 'membership.read', { orgId: OWN })).toBe(true);
    expect(can(me, 'user.list', { orgId: OWN })).toBe(false);
    expect(can(me, 'user.create', { orgId: OWN })).toBe(false);
    expect(() => authorize(pending('secretariat admin'), 'organization.list')).toThrow(expect.objectContaining({ code: 'rules_not_accepted' }));
    // Sharing actions are gated too.
    expect(() => authorize(pending('member admin'), 'report.create')).toThrow(expect.objectContaining({ code: 'rules_not_accepted' }));
  });
});

describe('suspension', () => {
  it('refuses member requests with organization_suspended but leaves reading the own standing', () => {
    const s = { ...actors['member admin'], suspended: true };
    for (const action of ['change.submit', 'class.request'] as const) {
      expect(can(s, action, { orgId: OWN })).toBe(false);
      expect(() => authorize(s, action, { orgId: OWN })).toThrow(expect.objectContaining({ code: 'organization_suspended', status: 403 }));
    }
    expect(can(s, 'membership.read', { orgId: OWN })).toBe(true);
    expect(can(s, 'organization.read', { orgId: OWN })).toBe(true);
    expect(can(s, 'self.read', { userId: s.userId })).toBe(true);
  });
});
