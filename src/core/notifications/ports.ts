/** What notifications need from storage (src/store/notifications-repos.ts) and from the outside world (SMTP, HTTP). */
import type { Organization } from '../model.js';
import type { UserRecord } from '../ports.js';
import type { Tlp } from '../sharing/model.js';
import type { Audience } from './audience.js';
import type { DeliveryStatus, EmailPreference, EventType } from './model.js';

/** One thing that happened, in the order it was committed (the id is the stream's `id:` and `Last-Event-ID`). */
export interface EventRecord {
  id: number;
  type: EventType;
  subjectType: string;
  subjectId: string;
  actorUserId: string | null;
  audience: Audience;
  /** What the messages are made of (titles, deadlines, counts). */
  data: Record<string, unknown>;
  /** The TLP of the item it is about: decides whether content may leave the platform (mail, webhooks). */
  tlp: Tlp | null;
  createdAt: string;
}

export type JobKind = 'fanout' | 'mail' | 'digest' | 'webhook' | 'reminder';

export interface JobInput {
  kind: JobKind;
  /** Unique: the same work is never queued twice (e.g. `mail:<event>:<user>`). */
  key: string;
  payload: unknown;
  runAt: string;
  createdAt: string;
  /** Lower runs first: fan-outs before the deliveries they queue. */
  priority?: number;
}

export interface JobRecord {
  id: string;
  kind: JobKind;
  key: string;
  payload: unknown;
  priority: number;
  runAt: string;
  /** Including the current one, once claimed. */
  attempts: number;
  lockedUntil: string | null;
  lockedBy: string | null;
  doneAt: string | null;
  failed: boolean;
  lastError: string | null;
  createdAt: string;
}

export interface InboxRecord {
  id: string;
  userId: string;
  eventId: number;
  createdAt: string;
  readAt: string | null;
  /** Waiting for the user's daily digest mail. */
  digestPending: boolean;
}

export interface WebhookRecord {
  id: string;
  orgId: string;
  url: string;
  events: EventType[];
  description: string | null;
  secret: string;
  createdBy: string;
  createdAt: string;
  deletedAt: string | null;
}

export interface DeliveryRecord {
  id: string;
  webhookId: string;
  /** Null for a test delivery. */
  eventId: number | null;
  event: string;
  status: DeliveryStatus;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  createdAt: string;
  deliveredAt: string | null;
  nextAttemptAt: string | null;
}

export interface NotificationRepos {
  events: {
    /**
     * Append an event. Ids become visible in id order: the transaction holds a lock until it commits. On PostgreSQL
     * the other server processes are told at commit (NOTIFY).
     */
    append(e: Omit<EventRecord, 'id'>): Promise<EventRecord>;
    byId(id: number): Promise<EventRecord | undefined>;
    /** Events after an id, oldest first. */
    after(id: number, limit: number): Promise<EventRecord[]>;
    lastId(): Promise<number>;
  };
  jobs: {
    /** False when a job with this key exists already. */
    enqueue(job: JobInput): Promise<boolean>;
    /** Several at once; those whose key exists already are left alone. */
    enqueueMany(jobs: readonly JobInput[]): Promise<void>;
    /** Take due jobs no one holds (or whose holder's lease ran out), at most `limit`, for `workerId` until `leaseUntil`. */
    claim(q: { now: string; leaseUntil: string; workerId: string; limit: number }): Promise<JobRecord[]>;
    extendLease(id: string, workerId: string, until: string): Promise<void>;
    /** Mark done (only while `workerId` holds it, or in the transaction that did the work). */
    complete(id: string, workerId: string, at: string): Promise<void>;
    retry(id: string, workerId: string, runAt: string, error: string): Promise<void>;
    fail(id: string, workerId: string, at: string, error: string): Promise<void>;
    byKey(key: string): Promise<JobRecord | undefined>;
    /** Jobs not done yet (tests, operations). */
    pending(kind?: JobKind): Promise<JobRecord[]>;
    purgeDone(before: string): Promise<number>;
  };
  inbox: {
    /** Rows already there (same user and event) are left alone. */
    insertMany(rows: readonly InboxRecord[]): Promise<void>;
    /** Newest event first; `before` is an event id. */
    list(q: { userId: string; unread: boolean; before?: number; limit: number }): Promise<(InboxRecord & { event: EventRecord })[]>;
    unreadCount(userId: string): Promise<number>;
    markRead(userId: string, id: string, at: string): Promise<boolean>;
    markAllRead(userId: string, at: string): Promise<void>;
    digestPending(userId: string): Promise<(InboxRecord & { event: EventRecord })[]>;
    digestSent(userId: string, ids: readonly string[]): Promise<void>;
  };
  preferences: {
    get(userId: string): Promise<EmailPreference | undefined>;
    set(userId: string, email: EmailPreference, at: string): Promise<void>;
    many(userIds: readonly string[]): Promise<Map<string, EmailPreference>>;
  };
  recipients: {
    /** Active users of active organisations, by id: the candidates of a fan-out. */
    candidates(q: { userIds?: readonly string[]; orgIds?: readonly string[]; after?: string; limit: number }): Promise<{ user: UserRecord; org: Organization }[]>;
    /** Which of these rulebooks each of these users accepted. */
    acceptances(userIds: readonly string[], rulebookIds: readonly string[]): Promise<{ userId: string; rulebookId: string }[]>;
  };
  webhooks: {
    insert(w: WebhookRecord): Promise<void>;
    byId(id: string): Promise<WebhookRecord | undefined>;
    listByOrg(orgId: string): Promise<WebhookRecord[]>;
    markDeleted(id: string, at: string): Promise<void>;
    /** Live webhooks subscribed to this event type. */
    subscribedTo(type: EventType): Promise<WebhookRecord[]>;
  };
  deliveries: {
    /** False when this webhook already has a delivery of this event. */
    insert(d: DeliveryRecord): Promise<boolean>;
    byId(id: string): Promise<DeliveryRecord | undefined>;
    update(id: string, patch: Partial<DeliveryRecord>): Promise<void>;
    list(q: { webhookId: string; before?: string; limit: number }): Promise<DeliveryRecord[]>;
  };
}

/** One e-mail, ready to send. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Stable per notice, so a receiver can tell a repeat after a crash from a new mail. */
  messageId: string;
  locale: 'ja' | 'en';
  headers?: Record<string, string>;
}

export interface Mailer {
  send(m: MailMessage): Promise<void>;
  close(): Promise<void>;
}

export interface WebhookRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
}

export interface WebhookSender {
  /** POST and answer the response status; throws when no answer came (refused address, timeout, connection error). */
  post(req: WebhookRequest): Promise<{ status: number }>;
}

/** The little logging the worker does (pino's shape). */
export interface Log {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}
