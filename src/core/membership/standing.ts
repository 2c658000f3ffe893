/**
 * An organisation's standing: withdrawal (退会), suspension and expulsion for rule violations (資格停止・除名),
 * reinstatement, the committee's special approval, and the membership history.
 */
import type { Actor } from '../actor.js';
import { audit, iso, type Deps, type RequestMeta } from '../context.js';
import { Conflict, DomainError } from '../errors.js';
import type { MembershipStatus, Organization } from '../model.js';
import { authorize } from '../policy.js';
import type { Repos } from '../ports.js';
import { memberOrganization, membershipEvent, statusParams, textOrNull, who } from './common.js';
import type { MembershipEventKind, MembershipView, SpecialApprovalInput } from './model.js';
import { changeView, classChangeView } from './requests.js';
import { assertTaskForceRule } from './rules.js';
import { toUtc } from './time.js';

const HISTORY = 100;

export async function membershipView(deps: Deps, actor: Actor, orgId: string): Promise<MembershipView> {
  authorize(actor, 'membership.read', { orgId }, { hide: true });
  const r = deps.store.read;
  const org = await memberOrganization(r, orgId);
  return {
    orgId: org.id,
    status: org.status,
    statusReason: org.statusReason,
    memberClass: org.memberClass,
    designated: org.designated,
    foreignCapital: org.foreignCapital,
    specialApproval: org.specialApproval,
    periodJoined: org.periodJoined,
    events: await r.membershipEvents.listByOrg(orgId, HISTORY),
    classChanges: (await r.classChanges.list({ orgId, limit: HISTORY })).map(classChangeView),
    changeNotifications: (await r.changeNotifications.list({ orgId, limit: HISTORY })).map(changeView),
  };
}

/** Open requests of an organisation that leaves lapse with it. */
async function cancelOpenRequests(r: Repos, deps: Deps, orgId: string, by: string): Promise<void> {
  const now = iso(deps.now());
  for (const c of await r.classChanges.list({ orgId, status: 'submitted', limit: HISTORY })) {
    await r.classChanges.update(c.id, { status: 'cancelled', decidedAt: now, decidedBy: by });
  }
  for (const c of await r.changeNotifications.list({ orgId, status: 'submitted', limit: HISTORY })) {
    await r.changeNotifications.update(c.id, { status: 'cancelled', reviewedAt: now, reviewedBy: by });
  }
}

interface Transition {
  action: 'membership.withdraw' | 'sanction.decide';
  from: MembershipStatus[];
  to: MembershipStatus;
  event: MembershipEventKind;
  audit: string;
  /** The organisation leaves: its accounts stop working and its open requests lapse. */
  leaves: boolean;
}

const transitions = {
  withdraw: { action: 'membership.withdraw', from: ['member', 'suspended'], to: 'withdrawn', event: 'withdrawn', audit: 'organization.withdraw', leaves: true },
  suspend: { action: 'sanction.decide', from: ['member'], to: 'suspended', event: 'suspended', audit: 'organization.suspend', leaves: false },
  expel: { action: 'sanction.decide', from: ['member', 'suspended'], to: 'expelled', event: 'expelled', audit: 'organization.expel', leaves: true },
  reinstate: { action: 'sanction.decide', from: ['suspended'], to: 'member', event: 'reinstated', audit: 'organization.reinstate', leaves: false },
} satisfies Record<string, Transition>;

export type StandingChange = keyof typeof transitions;

/**
 * Change an organisation's standing. Withdrawal: its own administrator or a secretariat administrator; suspension,
 * expulsion and reinstatement: the steering committee, with a reason. A suspended organisation's users keep their
 * accounts (the policy shows them nothing non-public); withdrawn and expelled organisations are deactivated.
 */
export async function changeStanding(
  deps: Deps,
  actor: Actor,
  orgId: string,
  change: StandingChange,
  input: { reason?: string | undefined },
  meta: RequestMeta,
): Promise<Organization> {
  const t: Transition = transitions[change];
  // Only a member organisation's own request hides other organisations; the committee and secretariat know them all.
  authorize(actor, t.action, { orgId }, { hide: t.action === 'membership.withdraw' });
  return deps.store.tx(async (r) => {
    const org = await memberOrganization(r, orgId);
    if (!t.from.includes(org.status)) throw new Conflict('invalid_status_transition', statusParams(org.status));
    const reason = textOrNull(input.reason);
    const after: Organization = {
      ...org,
      status: t.to,
      statusReason: reason,
      ...(t.leaves ? { active: false } : {}),
      updatedAt: iso(deps.now()),
    };
    await r.organizations.update(orgId, {
      status: after.status,
      statusReason: after.statusReason,
      active: after.active,
      updatedAt: after.updatedAt,
    });
    if (t.leaves) await cancelOpenRequests(r, deps, orgId, who(actor));
    await membershipEvent(r, deps, actor, org, t.event, { fromClass: org.memberClass, toClass: org.memberClass, reason });
    await audit(r, deps, actor, meta, t.audit, { type: 'organization', id: orgId }, { reason, from: org.status });
    return after;
  });
}

/** The committee records a special approval (特別承認: 長年にわたり高度の信頼関係等を有するもの) with reason and date. */
export async function grantSpecialApproval(
  deps: Deps,
  actor: Actor,
  orgId: string,
  input: SpecialApprovalInput,
  meta: RequestMeta,
): Promise<Organization> {
  authorize(actor, 'special_approval.decide', { orgId });
  return deps.store.tx(async (r) => {
    const org = await memberOrganization(r, orgId);
    const specialApproval = { at: input.at ? toUtc(input.at) : iso(deps.now()), reason: input.reason };
    const after: Organization = { ...org, specialApproval, updatedAt: iso(deps.now()) };
    await r.organizations.update(orgId, { specialApproval, updatedAt: after.updatedAt });
    await membershipEvent(r, deps, actor, org, 'special_approval_granted', { reason: input.reason });
    await audit(r, deps, actor, meta, 'organization.special_approval', { type: 'organization', id: orgId }, specialApproval);
    return after;
  });
}

/** The committee withdraws a special approval; refused while the organisation is in the task force because of it. */
export async function revokeSpecialApproval(
  deps: Deps,
  actor: Actor,
  orgId: string,
  input: { reason: string },
  meta: RequestMeta,
): Promise<Organization> {
  authorize(actor, 'special_approval.decide', { orgId });
  return deps.store.tx(async (r) => {
    const org = await memberOrganization(r, orgId);
    const after: Organization = { ...org, specialApproval: null, updatedAt: iso(deps.now()) };
    try {
      assertTaskForceRule(after);
    } catch (err) {
      if (err instanceof DomainError) throw new Conflict('special_approval_in_use');
      throw err;
    }
    await r.organizations.update(orgId, { specialApproval: null, updatedAt: after.updatedAt });
    await membershipEvent(r, deps, actor, org, 'special_approval_revoked', { reason: input.reason });
    await audit(r, deps, actor, meta, 'organization.special_approval_revoked', { type: 'organization', id: orgId }, {
      reason: input.reason,
    });
    return after;
  });
}
