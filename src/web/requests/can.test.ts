import { describe, expect, it } from 'vitest';
import type { UserActor } from '../../core/actor.js';
import type { MemberClass, Organization, User, UserRole } from '../../core/model.js';
import { can, type Action } from '../../core/policy.js';
import type { Session } from '../api.js';
import { req } from './can.js';

interface Profile {
  memberClass: MemberClass;
  designated: boolean;
  isSecretariat: boolean;
  role: UserRole;
  totp: boolean;
  committee: boolean;
  suspended: boolean;
  foreignCapital: boolean;
}

function profiles(): Profile[] {
  const out: Profile[] = [];
  for (const memberClass of ['none', 'general', 'type2', 'type1'] as const)
    for (const designated of [false, true])
      for (const isSecretariat of [false, true])
        for (const role of ['admin', 'analyst', 'viewer'] as const)
          for (const totp of [false, true])
            for (const committee of [false, true])
              for (const suspended of [false, true])
                for (const foreignCapital of [false, true]) out.push({ memberClass, designated, isSecretariat, role, totp, committee, suspended, foreignCapital });
  return out;
}

const session = (p: Profile): Session =>
  ({
    user: { id: 'u1', orgId: 'o1', role: p.role, totpEnabled: p.totp, isCommittee: p.committee } as User,
    organization: {
      id: 'o1',
      memberClass: p.memberClass,
      designated: p.designated,
      isSecretariat: p.isSecretariat,
      foreignCapital: p.foreignCapital,
      specialApproval: null,
      status: p.suspended ? 'suspended' : 'member',
    } as Organization,
    csrfToken: 'x',
  }) as Session;

const actor = (p: Profile): UserActor => ({
  kind: 'user',
  userId: 'u1',
  orgId: 'o1',
  login: 'u1',
  displayName: 'u1',
  role: p.role,
  locale: 'ja',
  isSecretariat: p.isSecretariat,
  memberClass: p.memberClass,
  designated: p.designated,
  foreignCapital: p.foreignCapital,
  specialApproval: false,
  suspended: p.suspended,
  isCommittee: p.committee,
  rulesAccepted: true,
  totpEnabled: p.totp,
  via: 'session',
  readOnly: false,
});

/** Each screen check and the policy action it mirrors. */
const mirrors: [keyof typeof req, Action][] = [
  ['readCampaigns', 'campaign.read'],
  ['manageCampaigns', 'campaign.manage'],
  ['requestStatus', 'request.status'],
  ['answerRequests', 'request.answer'],
  ['readConsultations', 'consultation.read'],
  ['answerConsultations', 'consultation.answer'],
  ['questions', 'consultation.question'],
  ['contribute', 'consultation.contribute'],
  ['ranking', 'ledger.ranking'],
];

describe('the screens of requests, consultations and the ledger offer what the policy allows', () => {
  for (const [check, action] of mirrors) {
    it(`${check} agrees with ${action} for every profile`, () => {
      const differing = profiles().filter((p) => req[check](session(p)) !== can(actor(p), action, { orgId: 'o1' }));
      expect(differing).toEqual([]);
    });
  }

  it('offers requests to answer only to organisations that may read them, and the own ledger only where it may be read', () => {
    for (const p of profiles()) {
      if (req.receiveRequests(session(p))) expect(can(actor(p), 'request.read')).toBe(true);
      if (req.ownLedger(session(p))) expect(can(actor(p), 'ledger.read', { orgId: 'o1' })).toBe(true);
    }
  });
});
