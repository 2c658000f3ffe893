/**
 * Three-way feedback (来ている / 来ていない / わからない): one answer per organisation per version,
 * changeable until the deadline. A first answer after the deadline is still taken, marked late; an
 * answer can no longer be changed once the deadline has passed.
 */
import type { Actor, UserActor } from '../actor.js';
import { audit, iso, newId, type Deps, type RequestMeta } from '../context.js';
import { Conflict, Invalid } from '../errors.js';
import type { Organization } from '../model.js';
import { authorize, canRead, inTaskForce, type ItemFacts } from '../policy.js';
import { jstParam } from '../time.js';
import { publishFeedback } from '../interop/publish.js';
import { readableAdvisory } from './advisories.js';
import { eachOrganization, recordLedger } from './ledger.js';
import type { FeedbackAnswer, FeedbackInput } from './model.js';
import { normaliseObservables } from './observables.js';

const OPEN_STAGES = new Set(['type2', 'members', 'public']);

export async function submitFeedback(
  deps: Deps,
  actor: Actor,
  advisoryId: string,
  input: FeedbackInput,
  meta: RequestMeta,
): Promise<{ answer: FeedbackAnswer; late: boolean; version: number }> {
  const sightings = input.sightings.map((s) => ({ ...s, observable: normaliseObservables([s.observable])[0] ?? s.observable }));
  return deps.store.tx(async (r) => {
    const a = await readableAdvisory(r, actor, advisoryId);
    authorize(actor, 'feedback.submit', { orgId: a.orgId });
    if (!OPEN_STAGES.has(a.stage)) throw new Invalid('feedback_not_open');
    const me = actor as UserActor;
    const now = deps.now();
    const past = a.feedbackDeadline !== null && now > new Date(a.feedbackDeadline);
    const existing = await r.sharing.feedback.get(advisoryId, a.version, me.orgId);
    if (existing && past) throw new Conflict('feedback_deadline_passed', { deadline: jstParam(a.feedbackDeadline as string) });
    if (existing) {
      await r.sharing.feedback.update(existing.id, {
        answer: input.answer,
        comment: input.comment ?? null,
        sightings,
        userId: me.userId,
        updatedAt: iso(now),
      });
    } else {
      const feedbackId = newId();
      await r.sharing.feedback.insert({
        id: feedbackId,
        advisoryId,
        version: a.version,
        orgId: me.orgId,
        userId: me.userId,
        answer: input.answer,
        comment: input.comment ?? null,
        sightings,
        late: past,
        answeredAt: iso(now),
        updatedAt: iso(now),
      });
      // Give and take: the first answer to a version, in time or late (changes do not count again).
      await recordLedger(r, deps, { orgId: me.orgId, kind: past ? 'feedback_late' : 'feedback_on_time', refId: feedbackId, itemId: advisoryId });
    }
    await publishFeedback(r, deps, a, me.orgId, existing);
    await audit(r, deps, actor, meta, existing ? 'feedback.change' : 'feedback.submit', { type: 'advisory', id: advisoryId }, {
      version: a.version,
      answer: input.answer,
      late: existing ? existing.late : past,
    });
    return { answer: input.answer, late: existing ? existing.late : past, version: a.version };
  });
}

export interface Tally {
  advisoryId: string;
  version: number;
  deadline: string | null;
  totals: Record<FeedbackAnswer, number>;
  /** By sector for critical infrastructure, by category otherwise. */
  bySector: { group: string; seen: number; not_seen: number; unknown: number }[];
  /** Cumulative answers after the release to Type 2, one point per answer. */
  overTime: { at: string; seen: number; not_seen: number; unknown: number }[];
  answers: { orgId: string; nameJa: string; nameEn: string; answer: FeedbackAnswer; comment: string | null; late: boolean; answeredAt: string; sightings: number }[];
  /** Type 2 organisations (task force) that have not answered this version. */
  notAnswered: { orgId: string; nameJa: string; nameEn: string }[];
}

/** The Type 1 group's view of the answers to one version (default: the current one). */
export async function feedbackTally(deps: Deps, actor: Actor, advisoryId: string, version?: number): Promise<Tally> {
  const r = deps.store.read;
  const a = await readableAdvisory(r, actor, advisoryId);
  authorize(actor, 'feedback.tally', { orgId: a.orgId });
  const v = version ?? a.version;
  const rows = await r.sharing.feedback.list(advisoryId, v);
  const totals = { seen: 0, not_seen: 0, unknown: 0 } as Record<FeedbackAnswer, number>;
  const bySector = new Map<string, Record<FeedbackAnswer, number>>();
  const overTime: Tally['overTime'] = [];
  const answers: Tally['answers'] = [];
  const answered = new Set<string>();
  for (const f of rows) {
    const org = await r.organizations.byId(f.orgId);
    totals[f.answer]++;
    const group = org ? (org.sector ?? org.category) : 'unknown';
    const g = bySector.get(group) ?? { seen: 0, not_seen: 0, unknown: 0 };
    g[f.answer]++;
    bySector.set(group, g);
    overTime.push({ at: f.answeredAt, ...totals });
    answered.add(f.orgId);
    answers.push({
      orgId: f.orgId,
      nameJa: org?.nameJa ?? '',
      nameEn: org?.nameEn ?? '',
      answer: f.answer,
      comment: f.comment,
      late: f.late,
      answeredAt: f.answeredAt,
      sightings: f.sightings.length,
    });
  }
  const notAnswered: Tally['notAnswered'] = [];
  const facts: ItemFacts = { stage: a.stage, tlp: a.tlp, ownerOrgId: a.orgId, recipientUserIds: [] };
  for await (const org of eachOrganization(r)) {
    if (!answered.has(org.id) && expectedToAnswer(org)(facts)) notAnswered.push({ orgId: org.id, nameJa: org.nameJa, nameEn: org.nameEn });
  }
  return {
    advisoryId,
    version: v,
    deadline: a.feedbackDeadline,
    totals,
    bySector: [...bySector.entries()].map(([group, c]) => ({ group, ...c })),
    overTime,
    answers,
    notAnswered,
  };
}

/**
 * Who is expected to answer an item: active Type 2 organisations in the task force that can actually see it (as an
 * analyst with a second factor would). The tally's "not answered", the dashboards' response rates and overdue
 * answers, and the home page's answers due all ask this.
 */
export function expectedToAnswer(org: Organization): (item: ItemFacts) => boolean {
  if (!org.active || org.memberClass !== 'type2') return () => false;
  const probe: UserActor = {
    kind: 'user',
    userId: '',
    orgId: org.id,
    login: '',
    displayName: '',
    role: 'analyst',
    locale: 'ja',
    isSecretariat: false,
    memberClass: org.memberClass,
    designated: org.designated,
    foreignCapital: org.foreignCapital,
    specialApproval: org.specialApproval !== null,
    suspended: org.status !== 'member',
    isCommittee: false,
    rulesAccepted: true,
    totpEnabled: true,
    via: 'session',
    readOnly: false,
  };
  if (!inTaskForce(probe)) return () => false;
  return (item) => canRead(probe, item);
}
