/**
 * Shapes of the dashboards (Type 1 group, secretariat and committee, each organisation) and of the home page's
 * "needs attention" list: the API's response schemas, shared with the web UI. Every count in them covers only what
 * the viewer may read (src/core/policy.ts `readFilter`).
 */
import { z } from 'zod';
import { MemberClass } from '../model.js';
import { MembershipStats } from '../membership/model.js';
import { Stage, Tlp } from '../sharing/model.js';
import { LedgerRanking, LedgerTotals } from '../sharing/requests-model.js';

const count = z.number().int();

/** A period of time asked for (ISO 8601 with offset); each dashboard has its own default. */
export const DashboardPeriod = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});
export type DashboardPeriod = z.infer<typeof DashboardPeriod>;

/** Countermeasure items at one stage, by TLP. */
export const StageCount = z.object({ stage: Stage, total: count, byTlp: z.record(Tlp, count) });
export type StageCount = z.infer<typeof StageCount>;

export const AnswerCounts = z.object({ seen: count, not_seen: count, unknown: count });
export type AnswerCounts = z.infer<typeof AnswerCounts>;

/** One release to Type 2 and the feedback to the version released. */
export const Type2Release = z.object({
  advisoryId: z.string(),
  title: z.string(),
  version: count,
  tlp: Tlp,
  /** Where the item is now. */
  stage: Stage,
  releasedAt: z.string(),
  deadline: z.string(),
  /** Type 2 organisations expected to answer (in the task force and able to see the item). */
  expected: count,
  /** Of those, how many have not answered (yet). */
  notAnswered: count,
  /** Every answer, late ones included. */
  totals: AnswerCounts,
  late: count,
  /** By critical-infrastructure sector, or by category for other organisations. */
  bySector: z.array(AnswerCounts.extend({ group: z.string() })),
  /** Answers given in time, cumulative, from the release to the deadline (or now), one point per hour. */
  overTime: z.array(AnswerCounts.extend({ at: z.string() })),
});
export type Type2Release = z.infer<typeof Type2Release>;

export const releaseStages = ['type1', 'type2', 'members', 'public'] as const satisfies readonly Stage[];
export type ReleaseStage = (typeof releaseStages)[number];
const Hours = z.record(z.enum(releaseStages), z.number().nullable());

/** From the report an item was written from to its first release to each stage. */
export const LeadTime = z.object({
  advisoryId: z.string(),
  title: z.string(),
  reportId: z.string(),
  reportedAt: z.string(),
  /** Hours from the report to the first release to the stage; null: not released there (yet). */
  hours: Hours,
});
export type LeadTime = z.infer<typeof LeadTime>;

export const Type1Dashboard = z.object({
  from: z.string(),
  to: z.string(),
  /** Every countermeasure item the viewer may read, now (not limited to the period). */
  stages: z.array(StageCount),
  /** Releases to Type 2 in the period, newest first (at most 20). */
  releases: z.array(Type2Release),
  /** Items whose report came in during the period, newest first (at most 50). */
  leadTimes: z.array(LeadTime),
  medianHours: Hours,
});
export type Type1Dashboard = z.infer<typeof Type1Dashboard>;

const OrgRef = z.object({ orgId: z.string(), nameJa: z.string(), nameEn: z.string(), memberClass: MemberClass });

/** An organisation's answers that were due in the period and missing, or given late. */
export const OverdueRow = OrgRef.extend({
  /** Releases to Type 2 (that the viewer may read) it was expected to answer by a deadline now past, unanswered. */
  feedbackMissing: count,
  /** …answered after the deadline. */
  feedbackLate: count,
  /** Information requests addressed to it, past their deadline, unanswered. */
  requestsMissing: count,
  /** Information requests answered after the deadline (from the give-and-take ledger). */
  requestsLate: count,
});
export type OverdueRow = z.infer<typeof OverdueRow>;

export const CouncilDashboard = z.object({
  from: z.string(),
  to: z.string(),
  /** Members per recruitment period, class and category (src/core/membership/stats.ts). */
  membership: MembershipStats,
  /** The give-and-take ranking of the period, best first (src/core/sharing/ledger.ts). */
  ranking: LedgerRanking,
  /** Organisations with overdue answers, most missing first. */
  overdue: z.array(OverdueRow),
});
export type CouncilDashboard = z.infer<typeof CouncilDashboard>;

export const deadlineKinds = ['feedback', 'request'] as const;
export const DeadlineKind = z.enum(deadlineKinds);
export type DeadlineKind = z.infer<typeof DeadlineKind>;

/** Something the organisation is asked to answer by a deadline: feedback on an item, or an information request. */
export const Deadline = z.object({
  kind: DeadlineKind,
  /** The countermeasure item or the request, as in /api/v1/advisories or /api/v1/info-requests. */
  id: z.string(),
  title: z.string(),
  deadline: z.string(),
  answered: z.boolean(),
  overdue: z.boolean(),
});
export type Deadline = z.infer<typeof Deadline>;

export const LedgerMonth = z.object({ month: z.string(), counts: LedgerTotals });

export const OrganizationDashboard = z.object({
  orgId: z.string(),
  nameJa: z.string(),
  nameEn: z.string(),
  /** The organisation's give-and-take ledger: all-time totals and score, and the last twelve months (Japan time). */
  ledger: z.object({ totals: LedgerTotals, score: z.number(), months: z.array(LedgerMonth) }),
  /** Open information requests addressed to it and feedback it is expected to give, soonest deadline first. */
  deadlines: z.array(Deadline),
  /** Countermeasure items the viewer may read, per stage. */
  available: z.array(StageCount),
});
export type OrganizationDashboard = z.infer<typeof OrganizationDashboard>;

export const HomeItem = z.object({
  kind: z.enum(['advisory', 'report']),
  id: z.string(),
  title: z.string(),
  stage: Stage,
  tlp: Tlp,
  at: z.string(),
});

export const HomeConsultation = z.object({
  /** consultation: from a non-member, waiting for the Type 1 group; question: asked of members, not answered by us. */
  kind: z.enum(['consultation', 'question']),
  id: z.string(),
  title: z.string(),
  at: z.string(),
});

/** What needs the user's attention first. */
export const Home = z.object({
  /** New items are those since this time: the previous sign-in, or a week ago. */
  since: z.string(),
  sinceLastVisit: z.boolean(),
  /** Answers the organisation owes (unanswered), soonest deadline first; overdue ones can still be given, late. */
  due: z.array(Deadline),
  newItems: z.object({ total: count, items: z.array(HomeItem) }),
  consultations: z.object({ total: count, items: z.array(HomeConsultation) }),
});
export type Home = z.infer<typeof Home>;
