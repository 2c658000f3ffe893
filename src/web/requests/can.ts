/**
 * What the screens of large-scale attack mode, information requests, consultations and give and take offer,
 * mirroring the `campaign.*`, `request.*`, `consultation.*` and `ledger.*` cases of `canShare` in
 * src/core/policy.ts. The server enforces the same rules anyway: these only hide what would be refused.
 */
import type { Session } from '../api.js';
import { inType1Group } from '../sharing/can.js';

const writer = (s: Session) => s.user.role !== 'viewer';
/** A suspended organisation's users may do none of this (canShare refuses them everything). */
const standing = (s: Session) => s.organization.status !== 'suspended';
const member = (s: Session) => s.organization.memberClass !== 'none';

export const req = {
  /** campaign.read: whether large-scale attack mode is in force (the banner). */
  readCampaigns: (s: Session) => standing(s) && (member(s) || s.organization.isSecretariat),
  /** campaign.manage, request.issue: the secretariat declares and ends the mode and issues requests. */
  manageCampaigns: (s: Session) => standing(s) && writer(s) && s.organization.isSecretariat,
  /** request.status: who answered, refused (and why) or is missing — the secretariat and the designated corporation. */
  requestStatus: (s: Session) =>
    standing(s) && (s.organization.isSecretariat || (s.organization.designated && inType1Group(s) && s.user.totpEnabled)),
  /** Requests are addressed to member organisations (request.read); their writers answer (request.answer). */
  receiveRequests: (s: Session) => standing(s) && member(s),
  answerRequests: (s: Session) => standing(s) && writer(s) && member(s),
  /** consultation.read / consultation.answer: the Type 1 group, with a second factor. */
  readConsultations: (s: Session) => standing(s) && inType1Group(s) && s.user.totpEnabled,
  answerConsultations: (s: Session) => standing(s) && writer(s) && inType1Group(s) && s.user.totpEnabled,
  /** consultation.question / consultation.contribute: members see and answer the widened questions. */
  questions: (s: Session) => standing(s) && (member(s) || s.organization.isSecretariat),
  contribute: (s: Session) => standing(s) && writer(s) && member(s),
  /** ledger.read of the own organisation (shown to members, the secretariat and the committee). */
  ownLedger: (s: Session) => standing(s) && (member(s) || s.organization.isSecretariat || s.user.isCommittee),
  /** ledger.ranking and other organisations' ledgers: the steering committee and the secretariat. */
  ranking: (s: Session) => standing(s) && (s.organization.isSecretariat || s.user.isCommittee),
};
