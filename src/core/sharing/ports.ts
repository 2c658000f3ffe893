/** What the sharing use cases need from storage (implemented in src/store/sharing-repos.ts). */
import type { ReadFilter } from '../policy.js';
import type {
  AdvisoryContent,
  Certainty,
  Confidence,
  FeedbackAnswer,
  Observable,
  ReportKind,
  Sighting,
  Stage,
  Tlp,
} from './model.js';

export interface ReportRecord {
  id: string;
  orgId: string;
  userId: string;
  stage: Stage;
  tlp: Tlp;
  kind: ReportKind;
  certainty: Certainty;
  confidence: Confidence;
  isConsultation: boolean;
  isOriginal: boolean;
  providerNamed: boolean;
  title: string;
  description: string;
  attackSource: string | null;
  technique: string | null;
  objective: string | null;
  status: 'open' | 'analysing' | 'closed';
  createdAt: string;
  updatedAt: string;
}

export interface AdvisoryRecord {
  id: string;
  orgId: string;
  userId: string;
  stage: Stage;
  tlp: Tlp;
  version: number;
  title: string;
  sourceReportId: string | null;
  feedbackDeadline: string | null;
  releasedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface VersionRecord {
  advisoryId: string;
  version: number;
  content: AdvisoryContent;
  userId: string;
  note: string | null;
  createdAt: string;
}

export interface ReleaseRecord {
  id: string;
  advisoryId: string;
  version: number;
  fromStage: Stage;
  toStage: Stage;
  userId: string;
  orgId: string;
  feedbackDeadline: string | null;
  confirmedFlags: string[];
  createdAt: string;
}

export interface CommentRecord {
  id: string;
  reportId: string;
  orgId: string;
  userId: string;
  kind: 'comment' | 'original' | 'reply';
  audience: 'type1' | 'provider';
  body: string;
  createdAt: string;
}

export interface FeedbackRecord {
  id: string;
  advisoryId: string;
  version: number;
  orgId: string;
  userId: string;
  answer: FeedbackAnswer;
  comment: string | null;
  sightings: Sighting[];
  late: boolean;
  answeredAt: string;
  updatedAt: string;
}

export interface AttachmentRecord {
  id: string;
  reportId: string;
  filename: string;
  mediaType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

/** A list query under the access policy: only rows the filter admits, newest first by id. */
export interface VisibleQuery {
  filter: ReadFilter;
  userId: string | undefined;
  /** Keyset: ids below this one. */
  before?: string;
  limit: number;
}

export interface SharingRepos {
  reports: {
    insert(r: ReportRecord): Promise<void>;
    update(id: string, patch: Partial<ReportRecord>): Promise<void>;
    byId(id: string): Promise<ReportRecord | undefined>;
    list(q: VisibleQuery & { kind?: ReportKind; consultations?: boolean }): Promise<ReportRecord[]>;
  };
  recipients: {
    set(itemId: string, userIds: readonly string[]): Promise<void>;
    list(itemId: string): Promise<string[]>;
  };
  observables: {
    replace(itemKind: 'report' | 'advisory', itemId: string, list: readonly Observable[], at: string): Promise<void>;
    forItem(itemId: string): Promise<Observable[]>;
    /** Other items holding any of these values. */
    itemsWith(values: readonly Observable[], excludeItemId: string): Promise<{ kind: 'report' | 'advisory'; itemId: string; type: string; value: string }[]>;
  };
  attachments: {
    insert(a: AttachmentRecord): Promise<void>;
    byId(id: string): Promise<AttachmentRecord | undefined>;
    list(reportId: string): Promise<AttachmentRecord[]>;
  };
  comments: {
    insert(c: CommentRecord): Promise<void>;
    list(reportId: string, audiences: readonly ('type1' | 'provider')[]): Promise<CommentRecord[]>;
    count(reportIds: readonly string[]): Promise<Map<string, number>>;
  };
  corroborations: {
    /** Returns false when the organisation had already corroborated. */
    add(c: { reportId: string; orgId: string; userId: string; note: string | null; createdAt: string }): Promise<boolean>;
    list(reportId: string): Promise<{ orgId: string; note: string | null; createdAt: string }[]>;
    count(reportIds: readonly string[]): Promise<Map<string, number>>;
  };
  links: {
    add(fromId: string, toId: string, userId: string, at: string): Promise<void>;
    list(reportId: string): Promise<string[]>;
  };
  advisories: {
    insert(a: AdvisoryRecord): Promise<void>;
    update(id: string, patch: Partial<AdvisoryRecord>): Promise<void>;
    byId(id: string): Promise<AdvisoryRecord | undefined>;
    list(q: VisibleQuery & { stage?: Stage }): Promise<AdvisoryRecord[]>;
  };
  versions: {
    insert(v: VersionRecord): Promise<void>;
    get(advisoryId: string, version: number): Promise<VersionRecord | undefined>;
    list(advisoryId: string): Promise<VersionRecord[]>;
  };
  releases: {
    insert(r: ReleaseRecord): Promise<void>;
    list(advisoryId: string): Promise<ReleaseRecord[]>;
  };
  feedback: {
    get(advisoryId: string, version: number, orgId: string): Promise<FeedbackRecord | undefined>;
    insert(f: FeedbackRecord): Promise<void>;
    update(id: string, patch: Partial<FeedbackRecord>): Promise<void>;
    list(advisoryId: string, version: number): Promise<FeedbackRecord[]>;
  };
}
