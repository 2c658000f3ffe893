/**
 * What the sharing screens offer, mirroring `canShare` and the need-to-know rules of src/core/policy.ts.
 * The server enforces the same rules anyway: these only hide buttons that would be refused.
 */
import type { Session } from '../api.js';

const writer = (s: Session) => s.user.role !== 'viewer';

/** 第一類・第二類 (the task force): class, and the foreign-capital rule unless specially approved. */
export function inTaskForce(s: Session): boolean {
  const o = s.organization;
  const tfClass = o.memberClass === 'type1' || o.memberClass === 'type2' || o.designated;
  return tfClass && (!o.foreignCapital || o.specialApproval !== null);
}

/** 第一類構成員G: Type 1 members and the designated corporation. */
export function inType1Group(s: Session): boolean {
  return inTaskForce(s) && (s.organization.memberClass === 'type1' || s.organization.designated);
}

export const share = {
  /** 情報提供・相談: any member (or the secretariat) who is not a viewer. */
  createReport: (s: Session) => writer(s) && (s.organization.memberClass !== 'none' || s.organization.isSecretariat),
  /** Analysis, corroboration, links, status, countermeasure drafting and releases: the Type 1 group with TOTP. */
  analyse: (s: Session) => writer(s) && inType1Group(s) && s.user.totpEnabled,
  /** Replies and attachments: the provider on its own report, or the Type 1 group. */
  reply: (s: Session, ownReport: boolean) => writer(s) && (ownReport || share.analyse(s)),
  feedback: (s: Session) => writer(s) && s.organization.memberClass !== 'none',
  tally: (s: Session) => (inType1Group(s) || s.organization.isSecretariat) && s.user.totpEnabled,
};
