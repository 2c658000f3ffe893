/** What the membership use cases need from storage (implemented in src/store/membership-repos.ts). */
import type { Contact, MemberClass, Organization } from '../model.js';
import type {
  ApplicableClass,
  ApplicationEventKind,
  ApplicationStatus,
  ChangeFields,
  EventRole,
  MembershipEventKind,
  RequestStatus,
  RosterEntry,
  RulebookKind,
} from './model.js';

export interface PeriodRecord {
  number: number;
  opensAt: string;
  closesAt: string;
  decisionDate: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ApplicationRecord {
  id: string;
  periodNumber: number;
  status: ApplicationStatus;
  accessTokenHash: string;
  nameJa: string;
  nameEn: string;
  /** Normalised names and e-mail domain: how duplicates in one period are found. */
  nameJaNorm: string;
  nameEnNorm: string;
  /** Null for free-mail domains, which say nothing about the organisation. */
  emailDomain: string | null;
  category: Organization['category'];
  sector: Organization['sector'];
  address: string | null;
  foreignCapital: boolean;
  foreignCapitalShare: number | null;
  requestedClass: ApplicableClass;
  contacts: Contact[];
  reason: string;
  capabilities: string | null;
  quickFeedbackCommitment: boolean;
  rosterConsent: boolean;
  locale: 'ja' | 'en';
  decidedClass: ApplicableClass | null;
  decisionReason: string | null;
  decidedAt: string | null;
  orgId: string | null;
  adminUserId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ApplicationEventRecord {
  id: string;
  applicationId: string;
  at: string;
  kind: ApplicationEventKind;
  role: EventRole;
  actorLabel: string;
  message: string | null;
  detail: Record<string, unknown>;
}

export interface ApplicationFilter {
  status?: ApplicationStatus;
  periodNumber?: number;
  requestedClass?: ApplicableClass;
  /** Normalised fragment of a name. */
  nameLike?: string;
  /** Keyset: ids below this (newest first). */
  beforeId?: string;
  limit: number;
}

export interface ChangeNotificationRecord {
  id: string;
  orgId: string;
  status: RequestStatus;
  changes: ChangeFields;
  note: string | null;
  submittedBy: string;
  submittedAt: string;
  reviewedBy: string | null;
  reviewedAt: string | null;
  reviewComment: string | null;
}

export interface ClassChangeRecord {
  id: string;
  orgId: string;
  fromClass: MemberClass;
  requestedClass: ApplicableClass;
  reason: string;
  capabilities: string | null;
  quickFeedbackCommitment: boolean;
  status: RequestStatus;
  decidedClass: ApplicableClass | null;
  decisionReason: string | null;
  submittedBy: string;
  submittedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

/** Lists of requests carry the organisation's names, so a list screen needs nothing else. */
export type WithOrgNames<T> = T & { orgNameJa: string; orgNameEn: string };

export interface RequestFilter {
  status?: RequestStatus;
  orgId?: string;
  beforeId?: string;
  limit: number;
}

export interface MembershipEventRecord {
  id: string;
  orgId: string;
  at: string;
  kind: MembershipEventKind;
  fromClass: MemberClass | null;
  toClass: MemberClass | null;
  periodNumber: number | null;
  reason: string | null;
  actorLabel: string;
}

export interface RulebookRecord {
  id: string;
  kind: RulebookKind;
  version: number;
  titleJa: string;
  titleEn: string;
  bodyMd: string;
  effectiveAt: string;
  createdAt: string;
  createdBy: string;
}

export type RulebookHead = Omit<RulebookRecord, 'bodyMd'>;

export interface RosterRecord {
  id: string;
  asOf: string;
  publishedAt: string;
  entries: RosterEntry[];
  count: number;
}

export interface PasswordSetupRecord {
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
}

export interface MembershipRepos {
  periods: {
    insert(p: PeriodRecord): Promise<void>;
    update(number: number, patch: Partial<PeriodRecord>): Promise<void>;
    delete(number: number): Promise<void>;
    byNumber(number: number): Promise<PeriodRecord | undefined>;
    /** All periods, newest first (a council has a handful, one or two a year). */
    list(): Promise<PeriodRecord[]>;
    maxNumber(): Promise<number>;
  };
  applications: {
    insert(a: ApplicationRecord): Promise<void>;
    update(id: string, patch: Partial<ApplicationRecord>): Promise<void>;
    byId(id: string): Promise<ApplicationRecord | undefined>;
    byTokenHash(hash: string): Promise<ApplicationRecord | undefined>;
    list(f: ApplicationFilter): Promise<ApplicationRecord[]>;
    /** An application in the period, still alive (not rejected or withdrawn), with the same name or e-mail domain. */
    findDuplicate(q: {
      periodNumber: number;
      nameJaNorm: string;
      nameEnNorm: string;
      emailDomain: string | null;
      exceptId?: string;
    }): Promise<ApplicationRecord | undefined>;
    countByPeriod(periodNumber: number): Promise<number>;
  };
  applicationEvents: {
    insert(e: ApplicationEventRecord): Promise<void>;
    list(applicationId: string): Promise<ApplicationEventRecord[]>;
  };
  changeNotifications: {
    insert(c: ChangeNotificationRecord): Promise<void>;
    update(id: string, patch: Partial<ChangeNotificationRecord>): Promise<void>;
    byId(id: string): Promise<WithOrgNames<ChangeNotificationRecord> | undefined>;
    list(f: RequestFilter): Promise<WithOrgNames<ChangeNotificationRecord>[]>;
  };
  classChanges: {
    insert(c: ClassChangeRecord): Promise<void>;
    update(id: string, patch: Partial<ClassChangeRecord>): Promise<void>;
    byId(id: string): Promise<WithOrgNames<ClassChangeRecord> | undefined>;
    list(f: RequestFilter): Promise<WithOrgNames<ClassChangeRecord>[]>;
  };
  membershipEvents: {
    insert(e: MembershipEventRecord): Promise<void>;
    /** Newest first. */
    listByOrg(orgId: string, limit: number): Promise<MembershipEventRecord[]>;
    /** Every event, oldest first: for statistics. */
    all(): Promise<MembershipEventRecord[]>;
  };
  members: {
    /** Every organisation except the secretariat: for statistics and the roster. */
    all(): Promise<Organization[]>;
  };
  rulebooks: {
    insert(r: RulebookRecord): Promise<void>;
    byId(id: string): Promise<RulebookRecord | undefined>;
    maxVersion(kind: RulebookKind): Promise<number>;
    /** Versions of every kind in effect at `at` (without bodies), newest effective first within each kind. */
    effective(at: string): Promise<RulebookHead[]>;
    /** All versions, newest first (without bodies). */
    list(kind?: RulebookKind): Promise<RulebookHead[]>;
    accept(userId: string, rulebookId: string, at: string): Promise<void>;
    /** The user's acceptances among these rulebooks. */
    acceptances(userId: string, rulebookIds: string[]): Promise<{ rulebookId: string; acceptedAt: string }[]>;
  };
  rosters: {
    insert(r: RosterRecord): Promise<void>;
    latest(): Promise<RosterRecord | undefined>;
    byId(id: string): Promise<RosterRecord | undefined>;
    /** Newest first, without entries. */
    list(q: { beforeId?: string; limit: number }): Promise<Omit<RosterRecord, 'entries'>[]>;
  };
  passwordSetup: {
    insert(r: PasswordSetupRecord): Promise<void>;
    byHash(hash: string): Promise<PasswordSetupRecord | undefined>;
    markUsed(hash: string, at: string): Promise<void>;
    /** Expire every unused link of the user (a new link replaces older ones). */
    invalidateForUser(userId: string, at: string): Promise<void>;
    /** Has the user ever completed a password setup? */
    completed(userId: string): Promise<boolean>;
  };
}
