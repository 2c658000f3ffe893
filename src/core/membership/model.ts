/**
 * The membership vocabulary as zod schemas: recruitment periods (第N期), applications (加入申込書),
 * change notifications (申込み事項変更届), class changes, sanctions, rulebooks, the roster (構成員名簿)
 * and statistics. The API, the OpenAPI document and the web UI share these shapes.
 */
import { z } from 'zod';
import { Category, Contact, Id, Locale, MemberClass, MembershipStatus, Sector, SpecialApproval, type Organization } from '../model.js';

/** An instant with an explicit offset (entered in Japan time, e.g. `2022-02-28T18:00:00+09:00`); stored and answered in UTC. */
export const Instant = z.iso.datetime({ offset: true });
/** A calendar date in Japan (YYYY-MM-DD). */
export const JstDate = z.iso.date();

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();

/** The classes an applicant may ask for or the committee may give (the designated corporation is set by the secretariat). */
export const ApplicableClass = z.enum(['general', 'type2', 'type1']);
export type ApplicableClass = z.infer<typeof ApplicableClass>;

// ---------------------------------------------------------------- recruitment periods

export const PeriodState = z.enum(['upcoming', 'open', 'closed']);

export const RecruitmentPeriod = z.object({
  number: z.number().int(),
  opensAt: z.string(),
  closesAt: z.string(),
  /** Date (Japan) of the committee's decision, if planned. */
  decisionDate: z.string().nullable(),
  open: z.boolean(),
  state: PeriodState,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type RecruitmentPeriod = z.infer<typeof RecruitmentPeriod>;

export const PeriodCreate = z.object({
  /** Omitted: the next number after the highest existing one. */
  number: z.number().int().min(1).max(10_000).optional(),
  opensAt: Instant,
  closesAt: Instant,
  decisionDate: JstDate.nullable().optional(),
});
export type PeriodCreate = z.infer<typeof PeriodCreate>;

export const PeriodUpdate = z.object({
  opensAt: Instant.optional(),
  closesAt: Instant.optional(),
  decisionDate: JstDate.nullable().optional(),
});
export type PeriodUpdate = z.infer<typeof PeriodUpdate>;

// ---------------------------------------------------------------- applications

/** submitted → (returned ⇄ submitted) → checked → approved | rejected; withdrawn by the applicant before a decision. */
export const applicationStatuses = ['submitted', 'returned', 'checked', 'approved', 'rejected', 'withdrawn'] as const;
export const ApplicationStatus = z.enum(applicationStatuses);
export type ApplicationStatus = z.infer<typeof ApplicationStatus>;

/** The fields of the 加入申込書 (without defaults: see ApplicationCorrections). */
const applicationShape = {
  nameJa: text(200),
  nameEn: text(200),
  category: Category,
  sector: Sector.nullable().optional(),
  address: optionalText(300),
  foreignCapital: z.boolean(),
  /** Share of foreign capital in percent; required for a foreign-capital organisation. */
  foreignCapitalShare: z.number().min(0).max(100).nullable().optional(),
  requestedClass: ApplicableClass,
  /** The first contact becomes the organisation's first administrator on approval. */
  contacts: z.array(Contact).min(1).max(3),
  /** Why the organisation wants to join (加入理由). */
  reason: text(4000),
  /** Type 1: the original information and analysis it can provide. */
  capabilities: optionalText(4000),
  /** Type 2: commits to quick feedback (来ている／来ていない／わからない) on countermeasure information. */
  quickFeedbackCommitment: z.boolean(),
  /** Consent to appear on the public roster (構成員名簿). */
  rosterConsent: z.boolean(),
};

export const ApplicationFields = z.object({ ...applicationShape, quickFeedbackCommitment: z.boolean().default(false) });
export type ApplicationFields = z.infer<typeof ApplicationFields>;

export const ApplicationCreate = ApplicationFields.extend({
  /** Omitted: the period open now. */
  periodNumber: z.number().int().min(1).optional(),
  /** The applicant's language (for the status page and later the administrator account). */
  locale: Locale.default('ja'),
});
export type ApplicationCreate = z.infer<typeof ApplicationCreate>;

/** Corrections an applicant may send with an answer to the secretariat's questions. */
// Built from the shape without defaults: zod 4 applies `.default()` even inside `.partial()`, which would turn an
// omitted field into a correction.
export const ApplicationCorrections = z.object(applicationShape).partial();
export type ApplicationCorrections = z.infer<typeof ApplicationCorrections>;

export const eventKinds = ['submitted', 'returned', 'answered', 'checked', 'approved', 'rejected', 'withdrawn'] as const;
export const ApplicationEventKind = z.enum(eventKinds);
export type ApplicationEventKind = z.infer<typeof ApplicationEventKind>;

/** Who acted, as shown to the applicant (never a person's login). */
export const EventRole = z.enum(['applicant', 'secretariat', 'committee', 'system']);
export type EventRole = z.infer<typeof EventRole>;

export const ApplicationEvent = z.object({
  id: z.string(),
  at: z.string(),
  kind: ApplicationEventKind,
  role: EventRole,
  /** Questions, answers, decision reasons. */
  message: z.string().nullable(),
  /** The login or label of who acted (secretariat and committee only). */
  actorLabel: z.string().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
export type ApplicationEvent = z.infer<typeof ApplicationEvent>;

export const Application = z.object({
  id: Id,
  periodNumber: z.number().int(),
  status: ApplicationStatus,
  nameJa: z.string(),
  nameEn: z.string(),
  category: Category,
  sector: Sector.nullable(),
  address: z.string().nullable(),
  foreignCapital: z.boolean(),
  foreignCapitalShare: z.number().nullable(),
  requestedClass: ApplicableClass,
  contacts: z.array(Contact),
  reason: z.string(),
  capabilities: z.string().nullable(),
  quickFeedbackCommitment: z.boolean(),
  rosterConsent: z.boolean(),
  locale: Locale,
  decidedClass: ApplicableClass.nullable(),
  decisionReason: z.string().nullable(),
  decidedAt: z.string().nullable(),
  /** The organisation created on approval. */
  orgId: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Application = z.infer<typeof Application>;

/** Secretariat and committee view: the application with its whole history. */
export const ApplicationDetail = Application.extend({ history: z.array(ApplicationEvent) });
export type ApplicationDetail = z.infer<typeof ApplicationDetail>;

/** What the applicant sees through the private status link. */
export const ApplicantView = z.object({
  id: Id,
  periodNumber: z.number().int(),
  status: ApplicationStatus,
  nameJa: z.string(),
  nameEn: z.string(),
  requestedClass: ApplicableClass,
  decidedClass: ApplicableClass.nullable(),
  decisionReason: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Present once approved: whether the first administrator still has to set a password. */
  administrator: z.object({ login: z.string(), passwordSet: z.boolean() }).nullable(),
  history: z.array(ApplicationEvent.omit({ actorLabel: true, detail: true })),
  /** The fields as submitted, so the applicant can check and correct them when asked. */
  fields: ApplicationFields,
});
export type ApplicantView = z.infer<typeof ApplicantView>;

export const ApplicationQuery = z.object({
  status: ApplicationStatus.optional(),
  periodNumber: z.coerce.number().int().min(1).optional(),
  requestedClass: ApplicableClass.optional(),
  /** Part of the organisation name (Japanese or English). */
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type ApplicationQuery = z.infer<typeof ApplicationQuery>;

export const Message = z.object({ message: text(4000) });
export const Reason = z.object({ reason: text(2000) });
export const OptionalNote = z.object({ note: optionalText(2000) });

export const SpecialApprovalInput = z.object({
  reason: text(2000),
  /** When the committee decided; omitted: now. */
  at: Instant.optional(),
});
export type SpecialApprovalInput = z.infer<typeof SpecialApprovalInput>;

export const ApproveInput = z.object({
  /** May differ from the requested class. */
  memberClass: ApplicableClass,
  reason: optionalText(2000),
  /** Recorded together with the decision (needed for a foreign-capital organisation in Type 1 or Type 2). */
  specialApproval: SpecialApprovalInput.optional(),
});
export type ApproveInput = z.infer<typeof ApproveInput>;

export const ApprovalResult = z.object({
  application: ApplicationDetail,
  organizationId: Id,
  administrator: z.object({ userId: Id, login: z.string() }),
  /** One-time link token for the first administrator to set a password (shown once). */
  passwordSetupToken: z.string(),
  passwordSetupExpiresAt: z.string(),
});
export type ApprovalResult = z.infer<typeof ApprovalResult>;

export const SubmissionResult = z.object({
  application: ApplicantView,
  /** The private status link's token (shown once; only its hash is stored). */
  accessToken: z.string(),
});

export const PasswordSetupInfo = z.object({ login: z.string(), expiresAt: z.string() });
export const PasswordSetupInput = z.object({ token: z.string().min(10).max(200), password: z.string().min(12).max(256) });

// ---------------------------------------------------------------- change notifications and class changes

export const requestStatuses = ['submitted', 'accepted', 'rejected', 'cancelled'] as const;
export const RequestStatus = z.enum(requestStatuses);
export type RequestStatus = z.infer<typeof RequestStatus>;

/** What a change notification (申込み事項変更届) may change. */
export const ChangeFields = z
  .object({
    nameJa: text(200),
    nameEn: text(200),
    category: Category,
    sector: Sector.nullable(),
    foreignCapital: z.boolean(),
    foreignCapitalShare: z.number().min(0).max(100).nullable(),
    rosterConsent: z.boolean(),
    contacts: z.array(Contact).min(1).max(3),
  })
  .partial();
export type ChangeFields = z.infer<typeof ChangeFields>;

export const ChangeNotificationCreate = z.object({ changes: ChangeFields, note: optionalText(2000) });
export type ChangeNotificationCreate = z.infer<typeof ChangeNotificationCreate>;

export const ChangeNotification = z.object({
  id: Id,
  orgId: Id,
  orgNameJa: z.string(),
  orgNameEn: z.string(),
  status: RequestStatus,
  changes: ChangeFields,
  note: z.string().nullable(),
  submittedBy: z.string(),
  submittedAt: z.string(),
  reviewedBy: z.string().nullable(),
  reviewedAt: z.string().nullable(),
  reviewComment: z.string().nullable(),
});
export type ChangeNotification = z.infer<typeof ChangeNotification>;

export const ClassChangeCreate = z.object({
  requestedClass: ApplicableClass,
  reason: text(4000),
  capabilities: optionalText(4000),
  quickFeedbackCommitment: z.boolean().default(false),
});
export type ClassChangeCreate = z.infer<typeof ClassChangeCreate>;

export const ClassChangeRequest = z.object({
  id: Id,
  orgId: Id,
  orgNameJa: z.string(),
  orgNameEn: z.string(),
  fromClass: MemberClass,
  requestedClass: ApplicableClass,
  reason: z.string(),
  capabilities: z.string().nullable(),
  quickFeedbackCommitment: z.boolean(),
  status: RequestStatus,
  decidedClass: ApplicableClass.nullable(),
  decisionReason: z.string().nullable(),
  submittedBy: z.string(),
  submittedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export type ClassChangeRequest = z.infer<typeof ClassChangeRequest>;

export const ClassDecision = z.object({
  /** Omitted: the requested class. */
  memberClass: ApplicableClass.optional(),
  reason: optionalText(2000),
  specialApproval: SpecialApprovalInput.optional(),
});
export type ClassDecision = z.infer<typeof ClassDecision>;

export const RequestQuery = z.object({
  status: RequestStatus.optional(),
  orgId: Id.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export type RequestQuery = z.infer<typeof RequestQuery>;

// ---------------------------------------------------------------- membership history

export const membershipEventKinds = [
  'joined',
  'class_changed',
  'special_approval_granted',
  'special_approval_revoked',
  'suspended',
  'reinstated',
  'withdrawn',
  'expelled',
  'changed',
] as const;
export const MembershipEventKind = z.enum(membershipEventKinds);
export type MembershipEventKind = z.infer<typeof MembershipEventKind>;

export const MembershipEvent = z.object({
  id: z.string(),
  orgId: z.string(),
  at: z.string(),
  kind: MembershipEventKind,
  fromClass: MemberClass.nullable(),
  toClass: MemberClass.nullable(),
  periodNumber: z.number().int().nullable(),
  reason: z.string().nullable(),
  actorLabel: z.string(),
});
export type MembershipEvent = z.infer<typeof MembershipEvent>;

export const MembershipView = z.object({
  orgId: Id,
  status: MembershipStatus,
  statusReason: z.string().nullable(),
  memberClass: MemberClass,
  designated: z.boolean(),
  foreignCapital: z.boolean(),
  specialApproval: SpecialApproval.nullable(),
  periodJoined: z.number().int().nullable(),
  events: z.array(MembershipEvent),
  classChanges: z.array(ClassChangeRequest),
  changeNotifications: z.array(ChangeNotification),
});
export type MembershipView = z.infer<typeof MembershipView>;

// ---------------------------------------------------------------- rulebooks

/** 協議会規約, 24条タスクフォース規則, 守秘義務の誓約. */
export const rulebookKinds = ['council_rules', 'taskforce_rules', 'confidentiality_pledge'] as const;
export const RulebookKind = z.enum(rulebookKinds);
export type RulebookKind = z.infer<typeof RulebookKind>;

export const RulebookSummary = z.object({
  id: Id,
  kind: RulebookKind,
  version: z.number().int(),
  titleJa: z.string(),
  titleEn: z.string(),
  effectiveAt: z.string(),
  createdAt: z.string(),
});
export type RulebookSummary = z.infer<typeof RulebookSummary>;

export const Rulebook = RulebookSummary.extend({ bodyMd: z.string() });
export type Rulebook = z.infer<typeof Rulebook>;

export const RulebookCreate = z.object({
  kind: RulebookKind,
  /** Omitted: the kind's default title. */
  titleJa: optionalText(200),
  titleEn: optionalText(200),
  bodyMd: text(200_000),
  effectiveAt: Instant,
});
export type RulebookCreate = z.infer<typeof RulebookCreate>;

export const PendingRulebook = RulebookSummary.extend({ accepted: z.boolean(), acceptedAt: z.string().nullable() });
export const MyRulebooks = z.object({
  /** True when every rulebook that applies has been accepted (or none exists yet). */
  allAccepted: z.boolean(),
  items: z.array(PendingRulebook),
});
export type MyRulebooks = z.infer<typeof MyRulebooks>;

// ---------------------------------------------------------------- roster

/** Exactly the public interface: `{"asOf", "entries": [{"nameJa", "nameEn", "category"}]}`. */
export const RosterEntry = z.object({ nameJa: z.string(), nameEn: z.string(), category: Category });
export type RosterEntry = z.infer<typeof RosterEntry>;
export const Roster = z.object({ asOf: z.string(), entries: z.array(RosterEntry) });
export type Roster = z.infer<typeof Roster>;

export const RosterSummary = z.object({ id: Id, asOf: z.string(), publishedAt: z.string(), count: z.number().int() });
export type RosterSummary = z.infer<typeof RosterSummary>;

export const RosterPublish = z.object({ asOf: JstDate });

// ---------------------------------------------------------------- statistics and settings

export const statClasses = ['designated', 'type1', 'type2', 'general'] as const;
export type StatClass = (typeof statClasses)[number];

export const StatsRow = z.object({
  /** null for the row "now". */
  periodNumber: z.number().int().nullable(),
  asOf: z.string(),
  total: z.number().int(),
  /** Members who joined through this period's applications. */
  joined: z.number().int(),
  byClass: z.record(z.enum(statClasses), z.number().int()),
  byCategory: z.record(Category, z.number().int()),
});
export type StatsRow = z.infer<typeof StatsRow>;

export const MembershipStats = z.object({
  classes: z.array(z.enum(statClasses)),
  categories: z.array(Category),
  /** One row per period (members as of its decision date, or now if that is still to come), oldest first. */
  rows: z.array(StatsRow),
  current: StatsRow,
});
export type MembershipStats = z.infer<typeof MembershipStats>;

export const LocalizedName = z.object({ ja: text(200), en: text(200) });
export const CouncilSettings = z.object({ councilName: LocalizedName, secretariatName: LocalizedName });
export type CouncilSettings = z.infer<typeof CouncilSettings>;

export const CommitteeFlag = z.object({ isCommittee: z.boolean() });

/** Membership fields every new organisation starts with. */
export const membershipDefaults = (): Pick<
  Organization,
  'status' | 'statusReason' | 'specialApproval' | 'foreignCapitalShare' | 'rosterConsent' | 'periodJoined' | 'contacts'
> => ({
  status: 'member',
  statusReason: null,
  specialApproval: null,
  foreignCapitalShare: null,
  rosterConsent: false,
  periodJoined: null,
  contacts: [],
});

export { SpecialApproval };
