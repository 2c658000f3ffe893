/**
 * What the core needs from storage. src/store implements it with Kysely on SQLite and PostgreSQL;
 * the core never sees SQL. Every use case runs inside `store.tx`, so authorize → work → audit
 * commit or roll back together.
 */
import type { AuditEntry, Organization, User } from './model.js';
import type { MembershipRepos } from './membership/ports.js';
import type { SharingRepos } from './sharing/ports.js';
import type { MarkRepos } from './sharing/marks-ports.js';
import type { RequestRepos } from './sharing/requests-ports.js';
import type { InteropRepos } from './interop/ports.js';
import type { NotificationRepos } from './notifications/ports.js';
import type { InsightRepos } from './insight/ports.js';
import type { SearchRepos } from './search/ports.js';

export interface UserRecord extends User {
  passwordHash: string;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  /** The last TOTP time step accepted, so a code cannot be replayed. */
  totpLastStep: number | null;
}

export interface SessionRecord {
  idHash: string;
  userId: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
}

export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string;
  tokenHash: string;
  prefix: string;
  readOnly: boolean;
  expiresAt: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface AuditInput {
  at: string;
  actorUserId: string | null;
  actorOrgId: string | null;
  actorLabel: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  detail: Record<string, unknown>;
  ip: string | null;
}

export interface AuditFilter {
  action?: string;
  actorUserId?: string;
  actorOrgId?: string;
  targetId?: string;
  from?: string;
  to?: string;
  /** Keyset: rows with seq below this (newest first). */
  beforeSeq?: number;
  limit: number;
}

/** One stored audit row with the hashes that chain it, as read back for verification. */
export interface StoredAuditRow extends AuditInput {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface Repos extends MembershipRepos {
  organizations: {
    insert(org: Organization): Promise<void>;
    update(id: string, patch: Partial<Organization>): Promise<void>;
    byId(id: string): Promise<Organization | undefined>;
    secretariat(): Promise<Organization | undefined>;
    /** Ordered by id (time-ordered UUIDv7); `after` is the last id of the previous page. */
    list(q: { after?: string; limit: number }): Promise<Organization[]>;
  };
  users: {
    insert(user: UserRecord): Promise<void>;
    update(id: string, patch: Partial<UserRecord>): Promise<void>;
    byId(id: string): Promise<UserRecord | undefined>;
    byLogin(login: string): Promise<UserRecord | undefined>;
    listByOrg(orgId: string, q: { after?: string; limit: number }): Promise<UserRecord[]>;
    count(): Promise<number>;
  };
  sessions: {
    insert(session: SessionRecord): Promise<void>;
    byHash(idHash: string): Promise<SessionRecord | undefined>;
    touch(idHash: string, lastSeenAt: string, expiresAt: string): Promise<void>;
    delete(idHash: string): Promise<void>;
    deleteForUser(userId: string, exceptHash?: string): Promise<void>;
    deleteExpired(now: string): Promise<number>;
  };
  tokens: {
    insert(token: ApiTokenRecord): Promise<void>;
    byHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
    byId(id: string): Promise<ApiTokenRecord | undefined>;
    listByUser(userId: string): Promise<ApiTokenRecord[]>;
    update(id: string, patch: Partial<ApiTokenRecord>): Promise<void>;
  };
  loginFailures: {
    record(login: string, ip: string | null, at: string): Promise<void>;
    /** Failures since a time, for this login and for this address, and when the latest was. */
    count(q: { login: string; ip: string | null; since: string }): Promise<{ byLogin: number; byIp: number; lastAt: string | null }>;
    clear(login: string): Promise<void>;
  };
  audit: {
    /** Append one row, chained to the previous one. Serialised across processes by the store. */
    append(entry: AuditInput): Promise<AuditEntry>;
    list(filter: AuditFilter): Promise<AuditEntry[]>;
  };
  settings: {
    get(key: string): Promise<unknown>;
    set(key: string, value: unknown): Promise<void>;
  };
  /** Reports, analysis, countermeasure information, releases and feedback. */
  sharing: SharingRepos;
  /** Confidentiality marks of exported documents (trace-leak). */
  marks: MarkRepos;
  /** Large-scale attack mode and information requests, non-member consultations, the give-and-take ledger. */
  requests: RequestRepos;
  /** STIX objects of the TAXII collections and the status resources of TAXII POSTs. */
  interop: InteropRepos;
  /** Events (the outbox), durable jobs, inboxes, e-mail preferences, webhooks and their deliveries. */
  notifications: NotificationRepos;
  /** Counts and groupings for the dashboards and the home page. */
  insight: InsightRepos;
  /** Full-text search and observable look-up. */
  search: SearchRepos;
}

export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Run `fn` in one transaction. Do not touch `store.read` inside: on SQLite it shares one connection. */
  tx<T>(fn: (repos: Repos) => Promise<T>): Promise<T>;
  /** Repositories outside a transaction, for plain reads. */
  readonly read: Repos;
  /** Every audit row in order, for verification; streamed in batches. */
  auditRows(): AsyncIterable<StoredAuditRow>;
  auditHead(): Promise<{ seq: number; hash: string }>;
  ping(): Promise<void>;
  /**
   * PostgreSQL: call `onSignal` whenever a transaction of any process commits an event (LISTEN/NOTIFY on a dedicated
   * connection that reconnects by itself). Absent on SQLite, where listeners poll.
   */
  listen?(onSignal: () => void, onError?: (err: Error) => void): { close(): Promise<void> };
  /** Refresh planner statistics where the database does not do it by itself (SQLite; PostgreSQL has autovacuum). */
  optimize(): Promise<void>;
  close(): Promise<void>;
}
