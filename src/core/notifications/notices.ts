/**
 * The events the use cases record, one call each, inside the use case's transaction: who hears of what is said
 * here, in the terms of the access policy (the item's facts, an action the recipient must be allowed, the
 * organisations concerned).
 */
import type { Actor } from '../actor.js';
import type { Deps } from '../context.js';
import type { ApplicationRecord } from '../membership/ports.js';
import type { ItemFacts } from '../policy.js';
import type { Repos } from '../ports.js';
import type { Stage } from '../sharing/model.js';
import type { AdvisoryRecord, ReportRecord } from '../sharing/ports.js';
import type { ConsultationRecord, InfoRequestRecord } from '../sharing/requests-ports.js';
import { emit } from './emit.js';

async function factsOf(r: Repos, item: AdvisoryRecord | ReportRecord, stage: Stage = item.stage): Promise<ItemFacts> {
  return { stage, tlp: item.tlp, ownerOrgId: item.orgId, recipientUserIds: await r.sharing.recipients.list(item.id) };
}

/**
 * The policy facts of the item an event is about, as it is now: undefined when the event is not about an item,
 * null when the item is gone.
 */
export async function itemFactsNow(r: Repos, e: { subjectType: string; subjectId: string }): Promise<ItemFacts | null | undefined> {
  if (e.subjectType !== 'advisory' && e.subjectType !== 'report') return undefined;
  const item = e.subjectType === 'advisory' ? await r.sharing.advisories.byId(e.subjectId) : await r.sharing.reports.byId(e.subjectId);
  return item ? factsOf(r, item) : null;
}

/**
 * Countermeasure information reached a new stage: its new audience hears of it. The release to Type 2 asks them for
 * feedback by the deadline (a mandatory notice, with a reminder and the tally at the deadline).
 */
export async function noticeRelease(r: Repos, deps: Deps, actor: Actor, a: AdvisoryRecord, from: Stage): Promise<void> {
  const asked = a.stage === 'type2' && a.feedbackDeadline !== null;
  await emit(r, deps, {
    type: asked ? 'feedback.requested' : 'advisory.released',
    subject: { type: 'advisory', id: a.id },
    audience: { item: await factsOf(r, a), previously: await factsOf(r, a, from) },
    data: { title: a.title, stage: a.stage, version: a.version, ...(asked ? { deadline: a.feedbackDeadline } : {}) },
    actor,
  });
}

/** A report (or a consultation turned into one) in the Type 1 group's queue: its analysts hear of it. */
export async function noticeReport(r: Repos, deps: Deps, actor: Actor, report: ReportRecord): Promise<void> {
  await emit(r, deps, {
    type: 'report.created',
    subject: { type: 'report', id: report.id },
    audience: { item: await factsOf(r, report), may: { action: 'report.comment' } },
    data: { title: report.title },
    actor,
  });
}

/** A reply on a report: to the provider when the Type 1 group answers, to the group's analysts when the provider does. */
export async function noticeReply(r: Repos, deps: Deps, actor: Actor, report: ReportRecord): Promise<void> {
  const fromProvider = actor.kind === 'user' && actor.orgId === report.orgId;
  await emit(r, deps, {
    type: 'report.replied',
    subject: { type: 'report', id: report.id },
    audience: fromProvider
      ? { item: await factsOf(r, report), may: { action: 'report.comment' } }
      : { item: await factsOf(r, report), orgIds: [report.orgId] },
    data: { title: report.title },
    actor,
  });
}

/** An information request: the organisations addressed must answer (a mandatory notice, with a reminder). */
export async function noticeRequest(r: Repos, deps: Deps, actor: Actor, x: InfoRequestRecord, orgIds: string[]): Promise<void> {
  await emit(r, deps, {
    type: 'request.issued',
    subject: { type: 'info_request', id: x.id },
    audience: { orgIds, may: { action: 'request.read' } },
    data: { title: x.title, deadline: x.deadline },
    actor,
  });
}

/** A consultation from a non-member: the Type 1 group, who may read consultations, hears of it (nothing of its content). */
export async function noticeConsultation(r: Repos, deps: Deps, c: Pick<ConsultationRecord, 'id'>): Promise<void> {
  await emit(r, deps, { type: 'consultation.received', subject: { type: 'consultation', id: c.id }, audience: { may: { action: 'consultation.read' } } });
}

/** The consulter hears by e-mail that there is something new on their private link (never what). */
export async function noticeConsulter(r: Repos, deps: Deps, actor: Actor, c: Pick<ConsultationRecord, 'id' | 'email' | 'locale'>): Promise<void> {
  await emit(r, deps, {
    type: 'consultation.answered',
    subject: { type: 'consultation', id: c.id },
    audience: { emails: [{ address: c.email, locale: c.locale }] },
    actor,
  });
}

/** Members of the stage a consultation was widened to are asked for their view. */
export async function noticeWidened(r: Repos, deps: Deps, actor: Actor, c: Pick<ConsultationRecord, 'id'>, stage: Stage): Promise<void> {
  await emit(r, deps, {
    type: 'consultation.widened',
    subject: { type: 'consultation', id: c.id },
    audience: { stage, may: { action: 'consultation.contribute' } },
    data: { stage },
    actor,
  });
}

/** A member answered a widened consultation: the Type 1 group may relay it. */
export async function noticeContribution(r: Repos, deps: Deps, actor: Actor, c: Pick<ConsultationRecord, 'id'>): Promise<void> {
  await emit(r, deps, {
    type: 'consultation.contributed',
    subject: { type: 'consultation', id: c.id },
    audience: { may: { action: 'consultation.answer' } },
    actor,
  });
}

/** The applicant's contacts hear by e-mail that the committee decided (the decision itself is on the status link). */
export async function noticeApplicationDecided(r: Repos, deps: Deps, actor: Actor, a: Pick<ApplicationRecord, 'id' | 'contacts' | 'locale'>): Promise<void> {
  await emit(r, deps, {
    type: 'application.decided',
    subject: { type: 'application', id: a.id },
    audience: { emails: a.contacts.map((c) => ({ address: c.email, locale: a.locale })) },
    actor,
  });
}

/** A change notification or a class change was decided: the organisation's administrators (who may ask for one) hear of it. */
export async function noticeMembershipDecision(
  r: Repos,
  deps: Deps,
  actor: Actor,
  kind: 'change' | 'class_change',
  orgId: string,
  decision: 'accepted' | 'approved' | 'rejected',
): Promise<void> {
  await emit(r, deps, {
    type: kind === 'change' ? 'change.decided' : 'class_change.decided',
    subject: { type: 'organization', id: orgId },
    audience: { orgIds: [orgId], may: { action: kind === 'change' ? 'change.submit' : 'class.request', target: { orgId } } },
    data: { decision },
    actor,
  });
}
