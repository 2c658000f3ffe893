/**
 * Who the dashboards are for, mirroring the `insight.*` cases of src/core/policy.ts. The server enforces the same
 * rules anyway: these only keep the navigation to what would be answered.
 */
import type { Session } from '../api.js';
import { inType1Group } from '../sharing/can.js';

/** A suspended organisation's users see no dashboard (the policy refuses them every sharing action). */
const standing = (s: Session) => s.organization.status !== 'suspended';

export const insight = {
  /** insight.type1: the Type 1 group and the secretariat, with a second factor (as the feedback tally). */
  type1: (s: Session) => standing(s) && (inType1Group(s) || s.organization.isSecretariat) && s.user.totpEnabled,
  /** insight.council: the secretariat and the steering committee (as the give-and-take ranking). */
  council: (s: Session) => standing(s) && (s.organization.isSecretariat || s.user.isCommittee),
  /** insight.organization: every organisation its own. */
  organization: (s: Session) => standing(s),
};
