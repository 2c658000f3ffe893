/**
 * What information requests (情報提供依頼), non-member consultations (構成員でない方からの相談) and the give-and-take
 * ledger (ギブアンドテイク) need from storage (implemented in src/store/requests-repos.ts).
 */
import type { Locale } from '../messages.js';
import type { Observable } from './model.js';
import type {
  CampaignStatus,
  ConsultationAuthor,
  ConsultationStatus,
  LedgerKind,
  RequestAnswerKind,
  RequestAudience,
  RequestState,
  RequestStatus,
  WidenStage,
} from './requests-model.js';

/** 大規模サイバー攻撃時: one declaration of large-scale attack mode, for one campaign. */
export interface CampaignRecord {
  id: string;
  title: string;
  description: string;
  status: CampaignStatus;
  declaredAt: string;
  declaredBy: string;
  endedAt: string | null;
  endedBy: string | null;
  endNote: string | null;
  createdAt: string;
  updatedAt: string;
}

/** 情報提供依頼: one request of a campaign, addressed to the organisations snapshotted at issue time. */
export interface InfoRequestRecord {
  id: string;
  campaignId: string;
  title: string;
  body: string;
  audience: RequestAudience;
  deadline: string;
  status: RequestStatus;
  orgId: string;
  userId: string;
  closedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One organisation's answer (or refusal with its justified reason, 正当な理由) to one request. */
export interface RequestAnswerRecord {
  id: string;
  requestId: string;
  orgId: string;
  userId: string;
  kind: RequestAnswerKind;
  text: string | null;
  reason: string | null;
  observables: Observable[];
  late: boolean;
  answeredAt: string;
  updatedAt: string;
}

export interface ConsultationRecord {
  id: string;
  /** SHA-256 of the private link token (the token itself is given to the consulter once). */
  tokenHash: string;
  name: string;
  organization: string | null;
  email: string;
  locale: Locale;
  body: string;
  observables: Observable[];
  status: ConsultationStatus;
  /** 同意: the consulter agreed that Type 2 and general members may be asked. */
  consentAt: string | null;
  widenedAt: string | null;
  widenedBy: string | null;
  widenedStage: WidenStage | null;
  /** What members see: written by a Type 1 user, without the consulter's personal data. */
  summary: string | null;
  reportId: string | null;
  convertedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ConsultationMessageRecord {
  id: string;
  consultationId: string;
  author: ConsultationAuthor;
  orgId: string | null;
  userId: string | null;
  body: string;
  /** A member's answer becomes visible to the consulter when a Type 1 user relays it. */
  relayedAt: string | null;
  relayedBy: string | null;
  createdAt: string;
}

export interface LedgerRecord {
  id: string;
  orgId: string;
  kind: LedgerKind;
  /** What the entry is for; (orgId, kind, refId) is unique, which is what makes recording idempotent. */
  refId: string;
  /** The item a reader can open (report, countermeasure item, request, consultation). */
  itemId: string;
  at: string;
}

export interface RequestRepos {
  campaigns: {
    insert(c: CampaignRecord): Promise<void>;
    update(id: string, patch: Partial<CampaignRecord>): Promise<void>;
    byId(id: string): Promise<CampaignRecord | undefined>;
    /** Newest first by id. */
    list(q: { status?: CampaignStatus; before?: string; limit: number }): Promise<CampaignRecord[]>;
  };
  infoRequests: {
    insert(r: InfoRequestRecord): Promise<void>;
    update(id: string, patch: Partial<InfoRequestRecord>): Promise<void>;
    byId(id: string): Promise<InfoRequestRecord | undefined>;
    /** Newest first by id. */
    list(q: { campaignId?: string; before?: string; limit: number }): Promise<InfoRequestRecord[]>;
    /** Close every open request of a campaign; returns how many. */
    closeForCampaign(campaignId: string, at: string): Promise<number>;
    /** Requests addressed to an organisation, newest first by id. */
    forOrg(q: { orgId: string; state: RequestState; before?: string; limit: number }): Promise<InfoRequestRecord[]>;
    /** Open requests per campaign. */
    countOpen(campaignIds: readonly string[]): Promise<Map<string, number>>;
  };
  recipients: {
    add(requestId: string, orgIds: readonly string[]): Promise<void>;
    list(requestId: string): Promise<string[]>;
    isRecipient(requestId: string, orgId: string): Promise<boolean>;
    count(requestIds: readonly string[]): Promise<Map<string, number>>;
  };
  answers: {
    get(requestId: string, orgId: string): Promise<RequestAnswerRecord | undefined>;
    insert(a: RequestAnswerRecord): Promise<void>;
    update(id: string, patch: Partial<RequestAnswerRecord>): Promise<void>;
    list(requestId: string): Promise<RequestAnswerRecord[]>;
    forOrg(orgId: string, requestIds: readonly string[]): Promise<RequestAnswerRecord[]>;
    /** Answers per request and kind. */
    count(requestIds: readonly string[]): Promise<Map<string, Record<RequestAnswerKind, number>>>;
    /**
     * Per organisation: requests addressed to it whose deadline fell in [from, to) and before `now`, still without
     * any answer.
     */
    missed(q: { from: string; to: string; now: string }): Promise<Map<string, number>>;
  };
  consultations: {
    insert(c: ConsultationRecord): Promise<void>;
    update(id: string, patch: Partial<ConsultationRecord>): Promise<void>;
    byId(id: string): Promise<ConsultationRecord | undefined>;
    byTokenHash(hash: string): Promise<ConsultationRecord | undefined>;
    /** Newest first by id. */
    list(q: { status?: ConsultationStatus; before?: string; limit: number }): Promise<ConsultationRecord[]>;
    /** Consultations asked of the wider council at one of these stages, newest first by id. */
    listWidened(q: { stages: readonly WidenStage[]; before?: string; limit: number }): Promise<ConsultationRecord[]>;
    /** Set the report if none is set yet; false when another conversion got there first. */
    markConverted(id: string, reportId: string, at: string): Promise<boolean>;
  };
  consultationMessages: {
    insert(m: ConsultationMessageRecord): Promise<void>;
    update(id: string, patch: Partial<ConsultationMessageRecord>): Promise<void>;
    byId(id: string): Promise<ConsultationMessageRecord | undefined>;
    /** Oldest first. */
    list(consultationId: string): Promise<ConsultationMessageRecord[]>;
    count(consultationIds: readonly string[]): Promise<Map<string, { messages: number; lastAt: string | null }>>;
  };
  challenges: {
    /** Mark a proof-of-work challenge used (and forget expired ones); false when it had been used already. */
    use(hash: string, expiresAt: string, now: string): Promise<boolean>;
  };
  /** The server secret that signs challenges: `candidate` is stored if there is none yet; the stored one is returned. */
  powSecret(candidate: string): Promise<string>;
  ledger: {
    /** False when the (orgId, kind, refId) entry exists already. */
    add(e: LedgerRecord): Promise<boolean>;
    remove(q: { orgId: string; kind: LedgerKind; refId: string }): Promise<void>;
    /** Newest first by id. */
    list(q: { orgId: string; before?: string; limit: number }): Promise<LedgerRecord[]>;
    /** Counts per organisation and kind, for entries with from <= at < to (either bound optional). */
    totals(q: { orgId?: string; from?: string; to?: string }): Promise<{ orgId: string; kind: LedgerKind; n: number }[]>;
  };
}
