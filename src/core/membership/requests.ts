/**
 * Requests of member organisations: change notifications (申込み事項変更届), reviewed by the secretariat, and class
 * changes (general ⇄ Type 2 ⇄ Type 1), decided by the steering committee. The task-force rule applies to both.
 */
import type { Actor } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import type { Organization, Page } from '../model.js';
import { authorize } from '../policy.js';
import type { Repos } from '../ports.js';
import { checkOrganization } from '../usecases/organizations.js';
import { memberOrganization, membershipEvent, textOrNull, who } from './common.js';
import type {
  ChangeNotification,
  ChangeNotificationCreate,
  ClassChangeCreate,
  ClassChangeRequest,
  ClassDecision,
  RequestQuery,
} from './model.js';
import type { ChangeNotificationRecord, ClassChangeRecord, WithOrgNames } from './ports.js';
import { toUtc } from './time.js';
import { noticeMembershipDecision } from '../notifications/notices.js';

export const changeView = (c: WithOrgNames<ChangeNotificationRecord>): ChangeNotification => ({ ...c });
export const classChangeView = (c: WithOrgNames<ClassChangeRecord>): ClassChangeRequest => ({ ...c });

function requireMember(org: Organization): void {
  if (org.status !== 'member' || !org.active) throw new Conflict('organization_not_member');
}

/** The organisation as a change notification would leave it. */
function applyChanges(org: Organization, changes: ChangeNotificationCreate['changes']): Organization {
  const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined)) as Partial<Organization>;
  const after: Organization = { ...org, ...defined };
  // A category other than critical infrastructure has no sector, unless the notification names one (then it is refused).
  if (changes.category && changes.category !== 'critical_infrastructure' && changes.sector === undefined) after.sector = null;
  if (changes.foreignCapital === false && changes.foreignCapitalShare === undefined) after.foreignCapitalShare = null;
  return after;
}

// ---------------------------------------------------------------- change notifications

export async function submitChangeNotification(
  deps: Deps,
  actor: Actor,
  orgId: string,
  input: ChangeNotificationCreate,
  meta: RequestMeta,
): Promise<ChangeNotification> {
  authorize(actor, 'change.submit', { orgId }, { hide: true });
  const keys = Object.entries(input.changes).filter(([, v]) => v !== undefined);
  if (!keys.length) throw new Invalid('change_notification_empty');
  return deps.store.tx(async (r) => {
    const org = await memberOrganization(r, orgId);
    requireMember(org);
    const after = applyChanges(org, input.changes);
    // Field rules now; the task-force rule when the secretariat accepts (the facts are reported either way).
    checkOrganization({ ...after, foreignCapital: false });
    const record: ChangeNotificationRecord = {
      id: newId(),
      orgId,
      status: 'submitted',
      changes: input.changes,
      note: textOrNull(input.note),
      submittedBy: who(actor),
      submittedAt: iso(deps.now()),
      reviewedBy: null,
      reviewedAt: null,
      reviewComment: null,
    };
    await r.changeNotifications.insert(record);
    await audit(r, deps, actor, meta, 'change.submit', { type: 'change_notification', id: record.id }, {
      orgId,
      fields: keys.map(([k]) => k),
    });
    return changeView({ ...record, orgNameJa: org.nameJa, orgNameEn: org.nameEn });
  });
}

export async function listChangeNotifications(deps: Deps, actor: Actor, q: RequestQuery): Promise<Page<ChangeNotification>> {
  authorize(actor, 'membership.read', { ...(q.orgId ? { orgId: q.orgId } : {}) });
  const before = decodeCursor(q.cursor);
  const rows = await deps.store.read.changeNotifications.list({
    ...(q.status ? { status: q.status } : {}),
    ...(q.orgId ? { orgId: q.orgId } : {}),
    ...(before ? { beforeId: before } : {}),
    limit: q.limit + 1,
  });
  const page = toPage(rows, q.limit, (c) => c.id);
  return { items: page.items.map(changeView), next: page.next };
}

export async function getChangeNotification(deps: Deps, actor: Actor, id: string): Promise<ChangeNotification> {
  const c = await deps.store.read.changeNotifications.byId(id);
  authorize(actor, 'membership.read', { orgId: c?.orgId ?? '-' }, { hide: true });
  if (!c) throw new NotFound('not_found');
  return changeView(c);
}

async function openChange(r: Repos, id: string) {
  const c = await r.changeNotifications.byId(id);
  if (!c) throw new NotFound('not_found');
  if (c.status !== 'submitted') throw new Conflict('request_already_decided');
  return c;
}

/** The secretariat accepts: the organisation's data change, under every organisation rule including the task-force rule. */
export async function acceptChangeNotification(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { note?: string | undefined },
  meta: RequestMeta,
): Promise<ChangeNotification> {
  authorize(actor, 'change.review');
  return deps.store.tx(async (r) => {
    const c = await openChange(r, id);
    const org = await memberOrganization(r, c.orgId);
    requireMember(org);
    const now = iso(deps.now());
    const after = { ...applyChanges(org, c.changes), updatedAt: now };
    checkOrganization(after);
    await r.organizations.update(org.id, after);
    const reviewed = { status: 'accepted' as const, reviewedBy: who(actor), reviewedAt: now, reviewComment: textOrNull(input.note) };
    await r.changeNotifications.update(id, reviewed);
    await membershipEvent(r, deps, actor, org, 'changed', { fromClass: org.memberClass, toClass: org.memberClass });
    await audit(r, deps, actor, meta, 'change.accept', { type: 'change_notification', id }, { orgId: org.id, changes: c.changes });
    await noticeMembershipDecision(r, deps, actor, 'change', org.id, 'accepted');
    return changeView({ ...c, ...reviewed, orgNameJa: after.nameJa, orgNameEn: after.nameEn });
  });
}

export async function rejectChangeNotification(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { reason: string },
  meta: RequestMeta,
): Promise<ChangeNotification> {
  authorize(actor, 'change.review');
  return deps.store.tx(async (r) => {
    const c = await openChange(r, id);
    const reviewed = { status: 'rejected' as const, reviewedBy: who(actor), reviewedAt: iso(deps.now()), reviewComment: input.reason };
    await r.changeNotifications.update(id, reviewed);
    await audit(r, deps, actor, meta, 'change.reject', { type: 'change_notification', id }, { orgId: c.orgId, reason: input.reason });
    await noticeMembershipDecision(r, deps, actor, 'change', c.orgId, 'rejected');
    return changeView({ ...c, ...reviewed });
  });
}

// ---------------------------------------------------------------- class changes

/** An organisation (its administrator, or the secretariat on the council's initiative) asks for another class. */
export async function requestClassChange(
  deps: Deps,
  actor: Actor,
  orgId: string,
  input: ClassChangeCreate,
  meta: RequestMeta,
): Promise<ClassChangeRequest> {
  authorize(actor, 'class.request', { orgId }, { hide: true });
  if (input.requestedClass === 'type1' && !input.capabilities?.trim()) throw new Invalid('capabilities_required');
  if (input.requestedClass === 'type2' && !input.quickFeedbackCommitment) throw new Invalid('feedback_commitment_required');
  return deps.store.tx(async (r) => {
    const org = await memberOrganization(r, orgId);
    requireMember(org);
    if (org.designated) throw new Conflict('designated_class_fixed');
    if (org.memberClass === input.requestedClass) throw new Conflict('class_unchanged');
    if ((await r.classChanges.list({ orgId, status: 'submitted', limit: 1 })).length) throw new Conflict('class_change_pending');
    const record: ClassChangeRecord = {
      id: newId(),
      orgId,
      fromClass: org.memberClass,
      requestedClass: input.requestedClass,
      reason: input.reason,
      capabilities: textOrNull(input.capabilities),
      quickFeedbackCommitment: input.quickFeedbackCommitment,
      status: 'submitted',
      decidedClass: null,
      decisionReason: null,
      submittedBy: who(actor),
      submittedAt: iso(deps.now()),
      decidedBy: null,
      decidedAt: null,
    };
    await r.classChanges.insert(record);
    await audit(r, deps, actor, meta, 'class_change.submit', { type: 'class_change', id: record.id }, {
      orgId,
      from: org.memberClass,
      requested: input.requestedClass,
    });
    return classChangeView({ ...record, orgNameJa: org.nameJa, orgNameEn: org.nameEn });
  });
}

export async function listClassChanges(deps: Deps, actor: Actor, q: RequestQuery): Promise<Page<ClassChangeRequest>> {
  authorize(actor, 'membership.read', { ...(q.orgId ? { orgId: q.orgId } : {}) });
  const before = decodeCursor(q.cursor);
  const rows = await deps.store.read.classChanges.list({
    ...(q.status ? { status: q.status } : {}),
    ...(q.orgId ? { orgId: q.orgId } : {}),
    ...(before ? { beforeId: before } : {}),
    limit: q.limit + 1,
  });
  const page = toPage(rows, q.limit, (c) => c.id);
  return { items: page.items.map(classChangeView), next: page.next };
}

export async function getClassChange(deps: Deps, actor: Actor, id: string): Promise<ClassChangeRequest> {
  const c = await deps.store.read.classChanges.byId(id);
  authorize(actor, 'membership.read', { orgId: c?.orgId ?? '-' }, { hide: true });
  if (!c) throw new NotFound('not_found');
  return classChangeView(c);
}

async function openClassChange(r: Repos, id: string) {
  const c = await r.classChanges.byId(id);
  if (!c) throw new NotFound('not_found');
  if (c.status !== 'submitted') throw new Conflict('request_already_decided');
  return c;
}

/**
 * The committee approves, into the requested class or another one, and may record a special approval with it.
 * A foreign-capital organisation without a special approval cannot be put into Type 1 or Type 2.
 */
export async function approveClassChange(
  deps: Deps,
  actor: Actor,
  id: string,
  input: ClassDecision,
  meta: RequestMeta,
): Promise<ClassChangeRequest> {
  authorize(actor, 'class.decide');
  return deps.store.tx(async (r) => {
    const c = await openClassChange(r, id);
    const org = await memberOrganization(r, c.orgId);
    requireMember(org);
    const memberClass = input.memberClass ?? c.requestedClass;
    if (memberClass === org.memberClass) throw new Conflict('class_unchanged');
    const now = iso(deps.now());
    const specialApproval = input.specialApproval
      ? { at: input.specialApproval.at ? toUtc(input.specialApproval.at) : now, reason: input.specialApproval.reason }
      : org.specialApproval;
    const after: Organization = { ...org, memberClass, specialApproval, updatedAt: now };
    checkOrganization(after);
    await r.organizations.update(org.id, { memberClass, specialApproval, updatedAt: now });
    const decided = {
      status: 'accepted' as const,
      decidedClass: memberClass,
      decisionReason: textOrNull(input.reason),
      decidedBy: who(actor),
      decidedAt: now,
    };
    await r.classChanges.update(id, decided);
    if (input.specialApproval) {
      await membershipEvent(r, deps, actor, org, 'special_approval_granted', { reason: input.specialApproval.reason });
    }
    await membershipEvent(r, deps, actor, org, 'class_changed', {
      fromClass: org.memberClass,
      toClass: memberClass,
      reason: decided.decisionReason,
    });
    await audit(r, deps, actor, meta, 'class_change.approve', { type: 'class_change', id }, {
      orgId: org.id,
      from: org.memberClass,
      to: memberClass,
      specialApproval: input.specialApproval ? specialApproval : null,
    });
    await noticeMembershipDecision(r, deps, actor, 'class_change', org.id, 'approved');
    return classChangeView({ ...c, ...decided });
  });
}

export async function rejectClassChange(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { reason: string },
  meta: RequestMeta,
): Promise<ClassChangeRequest> {
  authorize(actor, 'class.decide');
  return deps.store.tx(async (r) => {
    const c = await openClassChange(r, id);
    const decided = { status: 'rejected' as const, decisionReason: input.reason, decidedBy: who(actor), decidedAt: iso(deps.now()) };
    await r.classChanges.update(id, decided);
    await audit(r, deps, actor, meta, 'class_change.reject', { type: 'class_change', id }, { orgId: c.orgId, reason: input.reason });
    await noticeMembershipDecision(r, deps, actor, 'class_change', c.orgId, 'rejected');
    return classChangeView({ ...c, ...decided });
  });
}

/** The requesting organisation (or the secretariat) withdraws an open class-change request. */
export async function cancelClassChange(deps: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<ClassChangeRequest> {
  return deps.store.tx(async (r) => {
    const existing = await r.classChanges.byId(id);
    authorize(actor, 'class.request', { orgId: existing?.orgId ?? '-' }, { hide: true });
    const c = await openClassChange(r, id);
    const decided = { status: 'cancelled' as const, decidedBy: who(actor), decidedAt: iso(deps.now()) };
    await r.classChanges.update(id, decided);
    await audit(r, deps, actor, meta, 'class_change.cancel', { type: 'class_change', id }, { orgId: c.orgId });
    return classChangeView({ ...c, ...decided });
  });
}

