/**
 * Client of the information-sharing API (/api/v1/reports, /api/v1/advisories): reports and their
 * analysis, countermeasure information with its releases, feedback and the tally.
 */
import type {
  Advisory,
  AdvisoryContent,
  AdvisoryCreate,
  AdvisoryRevise,
  AdvisorySummary,
  Certainty,
  Comment,
  Confidence,
  FeedbackAnswer,
  FeedbackInput,
  Observable,
  ObservableType,
  Report,
  ReportCreate,
  ReportKind,
  ReportSummary,
  Stage,
  Tlp,
} from '../../core/sharing/model.js';
import { request, sendForm, type Page } from '../api.js';

export type {
  Advisory,
  AdvisoryContent,
  AdvisoryCreate,
  AdvisoryRevise,
  AdvisorySummary,
  Certainty,
  Comment,
  Confidence,
  FeedbackAnswer,
  FeedbackInput,
  Observable,
  ObservableType,
  Report,
  ReportCreate,
  ReportKind,
  ReportSummary,
  Stage,
  Tlp,
};

export type ReportStatus = Report['status'];
export type CommentKind = Comment['kind'];

export interface AlsoIn {
  kind: 'report' | 'advisory';
  id: string;
  title: string;
}

export interface Attachment {
  id: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface ReportDetail {
  report: Report;
  observables: (Observable & { alsoIn?: AlsoIn[] })[];
  comments: Comment[];
  corroborations: { count: number; orgs: { nameJa: string; nameEn: string; at: string }[]; mine: boolean };
  links: { id: string; title: string }[];
  attachments: Attachment[];
}

/** What the form sends: defaults filled in by the server are optional here. */
export type ReportInput = Pick<ReportCreate, 'title' | 'description' | 'kind' | 'certainty'> &
  Partial<Omit<ReportCreate, 'title' | 'description' | 'kind' | 'certainty'>>;

export type AdvisoryInput = Omit<AdvisoryCreate, 'recipientUserIds'> & { recipientUserIds?: string[] };
export type AdvisoryRevision = AdvisoryRevise;

export interface PersonalDataFlag {
  kind: string;
  text: string;
  field: string;
}

export interface DiffPart {
  value: string;
  added?: boolean;
  removed?: boolean;
}

export interface FieldDiff {
  field: string;
  parts: DiffPart[];
}

export interface TallyCounts {
  seen: number;
  not_seen: number;
  unknown: number;
}

export interface Tally {
  advisoryId: string;
  version: number;
  deadline: string | null;
  totals: Record<FeedbackAnswer, number>;
  bySector: (TallyCounts & { group: string })[];
  overTime: (TallyCounts & { at: string })[];
  answers: {
    orgId: string;
    nameJa: string;
    nameEn: string;
    answer: FeedbackAnswer;
    comment: string | null;
    late: boolean;
    answeredAt: string;
    sightings: number;
  }[];
  notAnswered: { orgId: string; nameJa: string; nameEn: string }[];
}

export interface ReleaseRequest {
  to: Stage;
  feedbackHours?: number;
  confirmFlags?: string[];
}

export type FeedbackRequest = Pick<FeedbackInput, 'answer'> & Partial<Omit<FeedbackInput, 'answer'>>;

const enc = encodeURIComponent;

export const sharingApi = {
  listReports: (q: { cursor?: string; limit?: number; kind?: ReportKind; consultations?: boolean }) =>
    request<Page<ReportSummary>>('GET', '/reports', {
      query: { cursor: q.cursor, limit: q.limit ?? 50, kind: q.kind, consultations: q.consultations === undefined ? undefined : String(q.consultations) },
    }),
  createReport: (body: ReportInput) => request<Report>('POST', '/reports', { body }),
  getReport: (id: string) => request<ReportDetail>('GET', `/reports/${enc(id)}`),
  setReportStatus: (id: string, status: ReportStatus) => request<undefined>('PATCH', `/reports/${enc(id)}`, { body: { status } }),
  addComment: (id: string, body: { body: string; kind: CommentKind }) => request<undefined>('POST', `/reports/${enc(id)}/comments`, { body }),
  corroborate: (id: string, note?: string) =>
    request<{ added: boolean }>('POST', `/reports/${enc(id)}/corroborations`, { body: note ? { note } : {} }),
  linkReport: (id: string, reportId: string) => request<undefined>('POST', `/reports/${enc(id)}/links`, { body: { reportId } }),
  uploadAttachment: (id: string, file: File) => {
    const form = new FormData();
    form.append('file', file, file.name);
    return sendForm<{ id: string; sha256: string }>(`/reports/${enc(id)}/attachments`, form);
  },
  /** A plain link: the browser downloads it with the session cookie. */
  attachmentUrl: (id: string) => `/api/v1/attachments/${enc(id)}`,

  listAdvisories: (q: { cursor?: string; limit?: number; stage?: Stage }) =>
    request<Page<AdvisorySummary>>('GET', '/advisories', { query: { cursor: q.cursor, limit: q.limit ?? 50, stage: q.stage } }),
  createAdvisory: (body: AdvisoryInput) => request<AdvisorySummary>('POST', '/advisories', { body }),
  getAdvisory: (id: string) => request<Advisory>('GET', `/advisories/${enc(id)}`),
  reviseAdvisory: (id: string, body: AdvisoryRevision) => request<AdvisorySummary>('PUT', `/advisories/${enc(id)}`, { body }),
  diff: (id: string, from: number, to: number) =>
    request<{ fields: FieldDiff[] }>('GET', `/advisories/${enc(id)}/diff`, { query: { from, to } }),
  releaseCheck: (id: string) => request<{ flags: PersonalDataFlag[] }>('GET', `/advisories/${enc(id)}/release-check`),
  release: (id: string, body: ReleaseRequest) => request<AdvisorySummary>('POST', `/advisories/${enc(id)}/releases`, { body }),
  submitFeedback: (id: string, body: FeedbackRequest) =>
    request<{ answer: FeedbackAnswer; late: boolean; version: number }>('PUT', `/advisories/${enc(id)}/feedback`, { body }),
  tally: (id: string, version?: number) => request<Tally>('GET', `/advisories/${enc(id)}/feedback`, { query: { version } }),
};
