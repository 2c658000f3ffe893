/** Option lists and colours of information sharing (the values mirror src/core/sharing/model.ts). */
import type { TFunction } from 'i18next';
import { categories, sectors } from '../labels.js';
import type { Certainty, CommentKind, Confidence, FeedbackAnswer, ObservableType, ReportKind, ReportStatus, Stage, Tlp } from './api.js';

export const stages = ['draft', 'type1', 'type2', 'members', 'public'] as const satisfies readonly Stage[];
export const tlps = ['clear', 'green', 'amber', 'amber+strict', 'red'] as const satisfies readonly Tlp[];
export const reportKinds = ['suspicious_activity', 'incident', 'vulnerability', 'malware', 'phishing', 'other'] as const satisfies readonly ReportKind[];
export const certainties = ['unease', 'suspected', 'likely', 'confirmed'] as const satisfies readonly Certainty[];
export const confidences = ['low', 'medium', 'high'] as const satisfies readonly Confidence[];
export const reportStatuses = ['open', 'analysing', 'closed'] as const satisfies readonly ReportStatus[];
export const commentKinds = ['comment', 'original', 'reply'] as const satisfies readonly CommentKind[];
export const feedbackAnswers = ['seen', 'not_seen', 'unknown'] as const satisfies readonly FeedbackAnswer[];
export const observableTypes = ['ipv4', 'ipv6', 'domain', 'url', 'email', 'md5', 'sha1', 'sha256', 'cve'] as const satisfies readonly ObservableType[];

type SectorKey = (typeof sectors)[number];
type CategoryKey = (typeof categories)[number];
const sectorKeys = new Set<string>(sectors);
const categoryKeys = new Set<string>(categories);

export const pick = <T extends string>(list: readonly T[], v: string | null | undefined): T | undefined => list.find((x) => x === v);

/** The stage after `s` (a release never skips one). */
export const nextStage = (s: Stage): Stage | undefined => stages[stages.indexOf(s) + 1];

export const reportKindOptions = (t: TFunction) => reportKinds.map((value) => ({ value, label: t(`reportKind.${value}`) }));
export const certaintyOptions = (t: TFunction) => certainties.map((value) => ({ value, label: t(`certainty.${value}`) }));
export const confidenceOptions = (t: TFunction) => confidences.map((value) => ({ value, label: t(`confidence.${value}`) }));
export const stageOptions = (t: TFunction) => stages.map((value) => ({ value, label: t(`stage.${value}`) }));
export const reportStatusOptions = (t: TFunction) => reportStatuses.map((value) => ({ value, label: t(`reportStatus.${value}`) }));

/** Technical names stay as they are in both languages; the others are translated. */
export function observableTypeLabel(t: TFunction, type: ObservableType): string {
  switch (type) {
    case 'domain':
      return t('observable.domain');
    case 'email':
      return t('observable.email');
    case 'ipv4':
      return 'IPv4';
    case 'ipv6':
      return 'IPv6';
    case 'url':
      return 'URL';
    case 'md5':
      return 'MD5';
    case 'sha1':
      return 'SHA-1';
    case 'sha256':
      return 'SHA-256';
    case 'cve':
      return 'CVE';
  }
}

export const stageColor: Record<Stage, string> = {
  draft: 'gray',
  type1: 'grape',
  type2: 'violet',
  members: 'blue',
  public: 'teal',
};

export const certaintyColor: Record<Certainty, string> = {
  unease: 'yellow',
  suspected: 'orange',
  likely: 'red',
  confirmed: 'dark',
};

export const statusColor: Record<ReportStatus, string> = {
  open: 'blue',
  analysing: 'orange',
  closed: 'gray',
};

export const answerColor: Record<FeedbackAnswer, string> = {
  seen: 'red',
  not_seen: 'teal',
  unknown: 'gray',
};

export const commentKindColor: Record<CommentKind, string> = {
  comment: 'indigo',
  original: 'grape',
  reply: 'teal',
};

/** The label of a field of countermeasure information (`affectedProducts.2` → 影響を受ける製品). */
export function advisoryFieldLabel(t: TFunction, field: string): string {
  switch (field.split('.')[0]) {
    case 'title':
      return t('advisory.title');
    case 'summary':
      return t('advisory.summary');
    case 'threat':
      return t('advisory.threat');
    case 'actions':
      return t('advisory.actions');
    case 'affectedProducts':
      return t('advisory.affectedProducts');
    case 'sectors':
      return t('advisory.sectors');
    case 'indicators':
      return t('advisory.indicators');
    case 'confidence':
      return t('confidence.label');
    default:
      return field;
  }
}

/** A tally group is a critical-infrastructure sector, or the organisation's category otherwise. */
export function groupLabel(t: TFunction, group: string): string {
  if (sectorKeys.has(group)) return t(`sector.${group as SectorKey}`);
  if (categoryKeys.has(group)) return t(`category.${group as CategoryKey}`);
  return t('tally.unknownGroup');
}
