/**
 * Information and how it flows: reports (情報提供・相談), countermeasure information (対策情報) released
 * in stages, and three-way feedback (来ている / 来ていない / わからない).
 */
import { z } from 'zod';

/** Release stages, in order. Each release moves an item exactly one step to the right. */
export const stages = ['draft', 'type1', 'type2', 'members', 'public'] as const;
export const Stage = z.enum(stages);
export type Stage = z.infer<typeof Stage>;

/** FIRST TLP 2.0 labels, least to most restrictive. */
export const tlps = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const;
export const Tlp = z.enum(tlps);
export type Tlp = z.infer<typeof Tlp>;

export const tlpLabel = (tlp: Tlp): string => `TLP:${tlp.toUpperCase()}`;

export const reportKinds = ['suspicious_activity', 'incident', 'vulnerability', 'malware', 'phishing', 'other'] as const;
export const ReportKind = z.enum(reportKinds);
export type ReportKind = z.infer<typeof ReportKind>;

/** From 直感的な違和感 (intuitive unease) to confirmed. */
export const certainties = ['unease', 'suspected', 'likely', 'confirmed'] as const;
export const Certainty = z.enum(certainties);
export type Certainty = z.infer<typeof Certainty>;

export const confidences = ['low', 'medium', 'high'] as const;
export const Confidence = z.enum(confidences);
export type Confidence = z.infer<typeof Confidence>;

export const observableTypes = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'cve'] as const;
export const ObservableType = z.enum(observableTypes);
export type ObservableType = z.infer<typeof ObservableType>;

export const Observable = z.object({ type: ObservableType, value: z.string().min(1).max(2048) });
export type Observable = z.infer<typeof Observable>;

export const feedbackAnswers = ['seen', 'not_seen', 'unknown'] as const;
export const FeedbackAnswer = z.enum(feedbackAnswers);
export type FeedbackAnswer = z.infer<typeof FeedbackAnswer>;

const text = (max: number) => z.string().trim().min(1).max(max);
const optionalText = (max: number) => z.string().trim().max(max).optional();

/** 情報提供・相談: what a member sends in, at any stage of certainty. */
export const ReportCreate = z.object({
  title: text(200),
  description: text(20_000),
  kind: ReportKind,
  certainty: Certainty,
  confidence: Confidence.default('low'),
  tlp: Tlp.default('amber'),
  isConsultation: z.boolean().default(false),
  /** Type 1 members mark original information (オリジナル情報) they provide. */
  isOriginal: z.boolean().default(false),
  providerNamed: z.boolean().default(false),
  observables: z.array(Observable).max(500).default([]),
  attackSource: optionalText(1000),
  technique: optionalText(1000),
  objective: optionalText(1000),
  /** TLP:RED: the people it is for (user ids). */
  recipientUserIds: z.array(z.uuid()).max(100).default([]),
});
export type ReportCreate = z.infer<typeof ReportCreate>;

export const reportStatuses = ['open', 'analysing', 'closed'] as const;
export const ReportStatus = z.enum(reportStatuses);

export const ObservableView = Observable.extend({
  /** Other items holding the same observable that the reader may see ("also in …"). */
  alsoIn: z.array(z.object({ kind: z.enum(['report', 'advisory']), id: z.string(), title: z.string() })).optional(),
});

export const Report = z.object({
  id: z.string(),
  stage: Stage,
  tlp: Tlp,
  kind: ReportKind,
  certainty: Certainty,
  confidence: Confidence,
  isConsultation: z.boolean(),
  isOriginal: z.boolean(),
  providerNamed: z.boolean(),
  /** The provider, shown only to those allowed to know it (secretariat, designated corporation, the provider). */
  provider: z.object({ orgId: z.string(), nameJa: z.string(), nameEn: z.string() }).nullable(),
  own: z.boolean(),
  title: z.string(),
  description: z.string(),
  attackSource: z.string().nullable(),
  technique: z.string().nullable(),
  objective: z.string().nullable(),
  status: ReportStatus,
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Report = z.infer<typeof Report>;

export const ReportSummary = Report.pick({
  id: true,
  stage: true,
  tlp: true,
  kind: true,
  certainty: true,
  isConsultation: true,
  isOriginal: true,
  title: true,
  status: true,
  createdAt: true,
  own: true,
}).extend({ corroborations: z.number().int(), comments: z.number().int() });
export type ReportSummary = z.infer<typeof ReportSummary>;

export const commentKinds = ['comment', 'original', 'reply'] as const;
export const CommentCreate = z.object({
  body: text(20_000),
  /** comment: analysis inside the Type 1 group; original: original information; reply: to the provider. */
  kind: z.enum(commentKinds).default('comment'),
});
export const Comment = z.object({
  id: z.string(),
  kind: z.enum(commentKinds),
  body: z.string(),
  author: z.object({ orgNameJa: z.string(), orgNameEn: z.string(), displayName: z.string() }),
  createdAt: z.string(),
});
export type Comment = z.infer<typeof Comment>;

/** 対策情報: the content of one version. */
export const AdvisoryContent = z.object({
  title: text(200),
  summary: text(5_000),
  threat: text(20_000),
  /** 対策: recommended actions. */
  actions: text(20_000),
  affectedProducts: z.array(text(200)).max(100).default([]),
  sectors: z.array(z.string().max(50)).max(20).default([]),
  indicators: z.array(Observable).max(1000).default([]),
  confidence: Confidence.default('medium'),
});
export type AdvisoryContent = z.infer<typeof AdvisoryContent>;

export const AdvisoryCreate = AdvisoryContent.extend({
  tlp: Tlp.default('amber'),
  recipientUserIds: z.array(z.uuid()).max(100).default([]),
  sourceReportId: z.uuid().optional(),
});
export type AdvisoryCreate = z.infer<typeof AdvisoryCreate>;

export const AdvisoryRevise = AdvisoryContent.extend({ note: optionalText(1000), tlp: Tlp.optional() });
export type AdvisoryRevise = z.infer<typeof AdvisoryRevise>;

export const AdvisorySummary = z.object({
  id: z.string(),
  stage: Stage,
  tlp: Tlp,
  title: z.string(),
  version: z.number().int(),
  feedbackDeadline: z.string().nullable(),
  releasedAt: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type AdvisorySummary = z.infer<typeof AdvisorySummary>;

export const Advisory = AdvisorySummary.extend({
  content: AdvisoryContent,
  own: z.boolean(),
  author: z.object({ orgNameJa: z.string(), orgNameEn: z.string() }).nullable(),
  versions: z.array(z.object({ version: z.number().int(), createdAt: z.string(), note: z.string().nullable() })),
  releases: z.array(
    z.object({ fromStage: Stage, toStage: Stage, version: z.number().int(), at: z.string(), feedbackDeadline: z.string().nullable() }),
  ),
  /** The caller's organisation's answer for the current version, if any. */
  myFeedback: z.object({ answer: FeedbackAnswer, comment: z.string().nullable(), late: z.boolean(), answeredAt: z.string() }).nullable(),
});
export type Advisory = z.infer<typeof Advisory>;

/** A release moves the item one stage on. Likely personal data must be confirmed (or redacted first). */
export const ReleaseInput = z.object({
  to: Stage,
  /** For a release to Type 2: hours until feedback is due (default 24). */
  feedbackHours: z.number().int().min(1).max(24 * 14).default(24),
  /** The flags the releasing user has looked at and confirms are not personal data to remove. */
  confirmFlags: z.array(z.string().max(300)).max(500).default([]),
});
export type ReleaseInput = z.infer<typeof ReleaseInput>;

export const Sighting = z.object({
  observable: Observable,
  firstSeen: z.iso.datetime({ offset: true }).optional(),
  lastSeen: z.iso.datetime({ offset: true }).optional(),
  count: z.number().int().min(1).max(1_000_000_000).default(1),
});
export type Sighting = z.infer<typeof Sighting>;

export const FeedbackInput = z.object({
  answer: FeedbackAnswer,
  comment: optionalText(5_000),
  sightings: z.array(Sighting).max(500).default([]),
});
export type FeedbackInput = z.infer<typeof FeedbackInput>;
