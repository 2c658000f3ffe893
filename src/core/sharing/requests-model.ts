/**
 * Shapes of large-scale attack mode and information requests (大規模サイバー攻撃時・情報提供依頼), non-member
 * consultations (構成員でない方からの相談) and the give-and-take ledger (ギブアンドテイク): the API's request and
 * response schemas, shared with the web UI.
 */
import { z } from 'zod';
import { Locale, MemberClass } from '../model.js';
import { Certainty, Confidence, Observable, ReportKind, Tlp } from './model.js';

const text = (max: number) => z.string().trim().min(1).max(max);

// ------------------------------------------------------------------ large-scale attack mode

export const campaignStatuses = ['active', 'ended'] as const;
export const CampaignStatus = z.enum(campaignStatuses);
export type CampaignStatus = z.infer<typeof CampaignStatus>;

export const CampaignCreate = z.object({ title: text(200), description: text(20_000) });
export type CampaignCreate = z.infer<typeof CampaignCreate>;

export const CampaignEnd = z.object({ note: z.string().trim().max(5_000).optional() });
export type CampaignEnd = z.infer<typeof CampaignEnd>;

export const Campaign = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  status: CampaignStatus,
  declaredAt: z.string(),
  endedAt: z.string().nullable(),
  endNote: z.string().nullable(),
  /** Requests of this campaign still open. */
  openRequests: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Campaign = z.infer<typeof Campaign>;

// ------------------------------------------------------------------ information requests

/** general: general members (一般の構成員) only; all: every member organisation (general, Type 2, Type 1). */
export const requestAudiences = ['general', 'all'] as const;
export const RequestAudience = z.enum(requestAudiences);
export type RequestAudience = z.infer<typeof RequestAudience>;

export const requestStatuses = ['open', 'closed'] as const;
export const RequestStatus = z.enum(requestStatuses);
export type RequestStatus = z.infer<typeof RequestStatus>;

/** outstanding: open and not answered yet; open: every open request; all: every request ever addressed. */
export const requestStates = ['outstanding', 'open', 'all'] as const;
export const RequestState = z.enum(requestStates);
export type RequestState = z.infer<typeof RequestState>;

export const requestAnswerKinds = ['answer', 'refusal'] as const;
export const RequestAnswerKind = z.enum(requestAnswerKinds);
export type RequestAnswerKind = z.infer<typeof RequestAnswerKind>;

export const InfoRequestCreate = z.object({
  title: text(200),
  body: text(20_000),
  /** When answers are due (ISO 8601 with offset; stored in UTC, shown in Japan time). */
  deadline: z.iso.datetime({ offset: true }),
  audience: RequestAudience.default('general'),
});
export type InfoRequestCreate = z.infer<typeof InfoRequestCreate>;

/** An answer, or a refusal with its justified reason (正当な理由). Which text is required depends on `kind`. */
export const RequestAnswerInput = z.object({
  kind: RequestAnswerKind,
  text: z.string().trim().max(20_000).optional(),
  reason: z.string().trim().max(5_000).optional(),
  observables: z.array(Observable).max(500).default([]),
});
export type RequestAnswerInput = z.infer<typeof RequestAnswerInput>;

export const InfoRequest = z.object({
  id: z.string(),
  campaignId: z.string(),
  campaignTitle: z.string(),
  title: z.string(),
  body: z.string(),
  audience: RequestAudience,
  deadline: z.string(),
  status: RequestStatus,
  closedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type InfoRequest = z.infer<typeof InfoRequest>;

export const RequestAnswer = z.object({
  kind: RequestAnswerKind,
  text: z.string().nullable(),
  reason: z.string().nullable(),
  observables: z.array(Observable),
  late: z.boolean(),
  answeredAt: z.string(),
  updatedAt: z.string(),
});
export type RequestAnswer = z.infer<typeof RequestAnswer>;

/** A request as the addressed organisation sees it. */
export const ReceivedRequest = InfoRequest.extend({
  myAnswer: RequestAnswer.nullable(),
  /** Open and not answered yet. */
  outstanding: z.boolean(),
  /** The deadline has passed. */
  overdue: z.boolean(),
});
export type ReceivedRequest = z.infer<typeof ReceivedRequest>;

export const RequestCounts = z.object({
  addressed: z.number().int(),
  answered: z.number().int(),
  refused: z.number().int(),
  missing: z.number().int(),
});

export const InfoRequestSummary = InfoRequest.extend({ counts: RequestCounts });
export type InfoRequestSummary = z.infer<typeof InfoRequestSummary>;

const OrgRef = z.object({ orgId: z.string(), nameJa: z.string(), nameEn: z.string(), memberClass: MemberClass });

/** The secretariat's view of one request: who answered, who refused and why, who is missing. */
export const RequestStatusView = z.object({
  request: InfoRequest,
  counts: RequestCounts.extend({ late: z.number().int() }),
  responses: z.array(OrgRef.extend(RequestAnswer.shape)),
  missing: z.array(OrgRef),
});
export type RequestStatusView = z.infer<typeof RequestStatusView>;

// ------------------------------------------------------------------ consultations

export const consultationStatuses = ['open', 'closed'] as const;
export const ConsultationStatus = z.enum(consultationStatuses);
export type ConsultationStatus = z.infer<typeof ConsultationStatus>;

/** Who wrote a message: the consulter, the Type 1 group (council), or a member answering the widened question. */
export const consultationAuthors = ['consulter', 'council', 'member'] as const;
export const ConsultationAuthor = z.enum(consultationAuthors);
export type ConsultationAuthor = z.infer<typeof ConsultationAuthor>;

/** How far a consultation is widened: the task force (Type 2 and up) or every member. */
export const widenStages = ['type2', 'members'] as const;
export const WidenStage = z.enum(widenStages);
export type WidenStage = z.infer<typeof WidenStage>;

export const PowChallenge = z.object({
  challenge: z.string(),
  /** Leading zero bits required of sha256(challenge + nonce). */
  difficulty: z.number().int(),
  expiresAt: z.string(),
  algorithm: z.literal('sha256-leading-zero-bits'),
});
export type PowChallenge = z.infer<typeof PowChallenge>;

export const ConsultationCreate = z.object({
  challenge: z.string().min(1).max(500),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
  name: text(100),
  organization: z.string().trim().max(200).optional(),
  email: z.email().max(254),
  body: text(20_000),
  locale: Locale.optional(),
  observables: z.array(Observable).max(100).default([]),
});
export type ConsultationCreate = z.infer<typeof ConsultationCreate>;

export const ConsultationCreated = z.object({
  /** The private link token: shown once, stored only hashed. */
  token: z.string(),
});

export const MessageInput = z.object({ body: text(20_000) });

/** A message as the consulter sees it: nobody in the council is named. */
export const ConsulterMessage = z.object({
  id: z.string(),
  /** consulter; council (the Type 1 group); council_member (a member's answer relayed by the Type 1 group). */
  from: z.enum(['consulter', 'council', 'council_member']),
  body: z.string(),
  createdAt: z.string(),
});

export const ConsulterView = z.object({
  status: ConsultationStatus,
  name: z.string(),
  organization: z.string().nullable(),
  email: z.string(),
  locale: Locale,
  body: z.string(),
  observables: z.array(Observable),
  createdAt: z.string(),
  consent: z.object({ given: z.boolean(), at: z.string().nullable() }),
  /** Members have been asked (with the consulter's consent). */
  widened: z.boolean(),
  messages: z.array(ConsulterMessage),
});
export type ConsulterView = z.infer<typeof ConsulterView>;

export const ConsentInput = z.object({ consent: z.boolean() });

export const ConsultationSummary = z.object({
  id: z.string(),
  status: ConsultationStatus,
  name: z.string(),
  organization: z.string().nullable(),
  excerpt: z.string(),
  locale: Locale,
  consentAt: z.string().nullable(),
  widenedAt: z.string().nullable(),
  widenedStage: WidenStage.nullable(),
  reportId: z.string().nullable(),
  messages: z.number().int(),
  lastMessageAt: z.string().nullable(),
  createdAt: z.string(),
});
export type ConsultationSummary = z.infer<typeof ConsultationSummary>;

export const CouncilMessage = z.object({
  id: z.string(),
  author: ConsultationAuthor,
  /** The writing organisation and person (null for the consulter). */
  orgNameJa: z.string().nullable(),
  orgNameEn: z.string().nullable(),
  displayName: z.string().nullable(),
  body: z.string(),
  /** Shown on the private link: the consulter's and the council's messages always, members' once relayed. */
  visibleToConsulter: z.boolean(),
  relayedAt: z.string().nullable(),
  createdAt: z.string(),
});

export const ConsultationDetail = z.object({
  id: z.string(),
  status: ConsultationStatus,
  name: z.string(),
  organization: z.string().nullable(),
  email: z.string(),
  locale: Locale,
  body: z.string(),
  observables: z.array(Observable),
  consentAt: z.string().nullable(),
  widenedAt: z.string().nullable(),
  widenedStage: WidenStage.nullable(),
  summary: z.string().nullable(),
  reportId: z.string().nullable(),
  convertedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  messages: z.array(CouncilMessage),
});
export type ConsultationDetail = z.infer<typeof ConsultationDetail>;

export const WidenInput = z.object({
  /** What members are asked: the Type 1 user's summary, never the consulter's name, organisation or e-mail. */
  summary: text(5_000),
  stage: WidenStage.default('members'),
  /** Likely personal data flagged in the summary that the user has looked at and confirms. */
  confirmFlags: z.array(z.string().max(300)).max(100).default([]),
});
export type WidenInput = z.infer<typeof WidenInput>;

export const ConvertInput = z.object({
  title: text(200),
  description: text(20_000),
  kind: ReportKind,
  certainty: Certainty,
  confidence: Confidence.default('low'),
  tlp: Tlp.default('amber'),
  /** Omitted: the consultation's observables. */
  observables: z.array(Observable).max(500).optional(),
});
export type ConvertInput = z.infer<typeof ConvertInput>;

/** The widened question as members see it. */
export const ConsultationQuestion = z.object({
  id: z.string(),
  summary: z.string(),
  stage: WidenStage,
  status: ConsultationStatus,
  widenedAt: z.string(),
  /** What the caller's organisation has answered. */
  myAnswers: z.array(z.object({ id: z.string(), body: z.string(), relayed: z.boolean(), createdAt: z.string() })),
});
export type ConsultationQuestion = z.infer<typeof ConsultationQuestion>;

// ------------------------------------------------------------------ give and take

export const ledgerKinds = [
  'report',
  'original',
  'analysis',
  'corroboration',
  'feedback_on_time',
  'feedback_late',
  'request_answered',
  'request_late',
  'request_refused',
  'consultation_answered',
] as const;
export const LedgerKind = z.enum(ledgerKinds);
export type LedgerKind = z.infer<typeof LedgerKind>;

export const LedgerTotals = z.record(LedgerKind, z.number().int());
export type LedgerTotals = z.infer<typeof LedgerTotals>;

export const LedgerEntry = z.object({ id: z.string(), kind: LedgerKind, refId: z.string(), itemId: z.string(), at: z.string() });

export const LedgerPeriod = z.object({
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export const OrgLedger = z.object({
  orgId: z.string(),
  /** Totals by kind over the period asked (all time without one). */
  totals: LedgerTotals,
  score: z.number(),
  items: z.array(LedgerEntry),
  next: z.string().nullable(),
});
export type OrgLedger = z.infer<typeof OrgLedger>;

export const LedgerRanking = z.object({
  from: z.string(),
  to: z.string(),
  weights: LedgerTotals,
  items: z.array(
    z.object({
      rank: z.number().int(),
      orgId: z.string(),
      nameJa: z.string(),
      nameEn: z.string(),
      memberClass: MemberClass,
      totals: LedgerTotals,
      score: z.number(),
      /** Information requests addressed to it, due in the period and past, never answered (not in the score). */
      missedRequests: z.number().int(),
    }),
  ),
});
export type LedgerRanking = z.infer<typeof LedgerRanking>;
