/** SQL behind the notification ports: the event outbox, the durable job queue, inboxes, webhooks and their deliveries. */
import { sql, type Kysely, type Selectable } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import type { Audience } from '../core/notifications/audience.js';
import type { DeliveryStatus, EmailPreference, EventType } from '../core/notifications/model.js';
import type {
  DeliveryRecord,
  EventRecord,
  InboxRecord,
  JobInput,
  JobKind,
  JobRecord,
  NotificationRepos,
  WebhookRecord,
} from '../core/notifications/ports.js';
import type { Tlp } from '../core/sharing/model.js';
import type { Dialect } from './connect.js';
import type { EventsTable, JobsTable, WebhookDeliveriesTable, WebhooksTable } from './notifications-schema.js';
import { toOrganization, toUser } from './repos.js';
import type { Database } from './schema.js';

/** Rows per multi-row insert: well under either database's limit on bound parameters. */
const CHUNK = 500;

/** The channel the server processes LISTEN on, one per schema (tests share a database, one schema each). */
export const EVENTS_CHANNEL_PREFIX = 'kyogikai_events_';

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

function toEvent(r: Selectable<EventsTable>): EventRecord {
  return {
    id: Number(r.id),
    type: r.type as EventType,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    actorUserId: r.actor_user_id,
    audience: JSON.parse(r.audience) as Audience,
    data: JSON.parse(r.data) as Record<string, unknown>,
    tlp: r.tlp as Tlp | null,
    createdAt: r.created_at,
  };
}

function toJob(r: Selectable<JobsTable>): JobRecord {
  return {
    id: r.id,
    kind: r.kind as JobKind,
    key: r.key,
    payload: JSON.parse(r.payload) as unknown,
    priority: Number(r.priority),
    runAt: r.run_at,
    attempts: Number(r.attempts),
    lockedUntil: r.locked_until,
    lockedBy: r.locked_by,
    doneAt: r.done_at,
    failed: Number(r.failed) === 1,
    lastError: r.last_error,
    createdAt: r.created_at,
  };
}

function toWebhook(r: Selectable<WebhooksTable>): WebhookRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    url: r.url,
    events: JSON.parse(r.events) as EventType[],
    description: r.description,
    secret: r.secret,
    createdBy: r.created_by,
    createdAt: r.created_at,
    deletedAt: r.deleted_at,
  };
}

function toDelivery(r: Selectable<WebhookDeliveriesTable>): DeliveryRecord {
  return {
    id: r.id,
    webhookId: r.webhook_id,
    eventId: r.event_id === null ? null : Number(r.event_id),
    event: r.event,
    status: r.status as DeliveryStatus,
    attempts: Number(r.attempts),
    responseStatus: r.response_status === null ? null : Number(r.response_status),
    error: r.error,
    createdAt: r.created_at,
    deliveredAt: r.delivered_at,
    nextAttemptAt: r.next_attempt_at,
  };
}

function deliveryColumns(p: Partial<DeliveryRecord>): Partial<WebhookDeliveriesTable> {
  const c: Partial<WebhookDeliveriesTable> = {};
  if (p.status !== undefined) c.status = p.status;
  if (p.attempts !== undefined) c.attempts = p.attempts;
  if (p.responseStatus !== undefined) c.response_status = p.responseStatus;
  if (p.error !== undefined) c.error = p.error;
  if (p.deliveredAt !== undefined) c.delivered_at = p.deliveredAt;
  if (p.nextAttemptAt !== undefined) c.next_attempt_at = p.nextAttemptAt;
  return c;
}

const jobRow = (j: JobInput) => ({
  id: uuidv7(),
  kind: j.kind,
  key: j.key,
  payload: JSON.stringify(j.payload),
  priority: j.priority ?? 1,
  run_at: j.runAt,
  attempts: 0,
  failed: 0,
  created_at: j.createdAt,
});

/** Inbox rows with the event each is about. */
const inboxWithEvent = (db: Kysely<Database>) =>
  db
    .selectFrom('inbox')
    .innerJoin('events', 'events.id', 'inbox.event_id')
    .select([
      'inbox.id as id',
      'inbox.user_id as user_id',
      'inbox.event_id as event_id',
      'inbox.created_at as created_at',
      'inbox.read_at as read_at',
      'inbox.digest_pending as digest_pending',
      'events.type as e_type',
      'events.subject_type as e_subject_type',
      'events.subject_id as e_subject_id',
      'events.actor_user_id as e_actor_user_id',
      'events.audience as e_audience',
      'events.data as e_data',
      'events.tlp as e_tlp',
      'events.created_at as e_created_at',
    ]);

type InboxJoinRow = Awaited<ReturnType<ReturnType<typeof inboxWithEvent>['execute']>>[number];

function toInboxWithEvent(r: InboxJoinRow): InboxRecord & { event: EventRecord } {
  return {
    id: r.id,
    userId: r.user_id,
    eventId: Number(r.event_id),
    createdAt: r.created_at,
    readAt: r.read_at,
    digestPending: Number(r.digest_pending) === 1,
    event: toEvent({
      id: r.event_id,
      type: r.e_type,
      subject_type: r.e_subject_type,
      subject_id: r.e_subject_id,
      actor_user_id: r.e_actor_user_id,
      audience: r.e_audience,
      data: r.e_data,
      tlp: r.e_tlp,
      created_at: r.e_created_at,
    }),
  };
}

export function createNotificationRepos(db: Kysely<Database>, dialect: Dialect): NotificationRepos {
  return {
    events: {
      async append(e) {
        if (dialect === 'postgres') {
          // Stream clients resume after the last id they saw, so a smaller id must never become visible after a
          // larger one. Every emitting transaction takes the audit chain's head lock (held until commit; it audits
          // anyway, and one lock cannot deadlock with itself), so ids are handed out in commit order. SQLite has one
          // writer at a time already.
          await db.selectFrom('audit_head').select('seq').where('id', '=', 1).forUpdate().execute();
        }
        const row = await db
          .insertInto('events')
          .values({
            type: e.type,
            subject_type: e.subjectType,
            subject_id: e.subjectId,
            actor_user_id: e.actorUserId,
            audience: JSON.stringify(e.audience),
            data: JSON.stringify(e.data),
            tlp: e.tlp,
            created_at: e.createdAt,
          })
          .returningAll()
          .executeTakeFirstOrThrow();
        // Delivered to every listening process when (and only if) the transaction commits.
        if (dialect === 'postgres') await sql`select pg_notify(${EVENTS_CHANNEL_PREFIX}::text || current_schema()::text, ${String(row.id)}::text)`.execute(db);
        return toEvent(row);
      },
      async byId(id) {
        const r = await db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toEvent(r);
      },
      async after(id, limit) {
        const rows = await db.selectFrom('events').selectAll().where('id', '>', id).orderBy('id').limit(limit).execute();
        return rows.map(toEvent);
      },
      async lastId() {
        const r = await db.selectFrom('events').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst();
        return Number(r?.id ?? 0);
      },
    },

    jobs: {
      async enqueue(job) {
        const r = await db
          .insertInto('jobs')
          .values(jobRow(job))
          .onConflict((oc) => oc.column('key').doNothing())
          .executeTakeFirst();
        return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      },
      async enqueueMany(jobs) {
        for (const part of chunks(jobs)) {
          await db
            .insertInto('jobs')
            .values(part.map(jobRow))
            .onConflict((oc) => oc.column('key').doNothing())
            .execute();
        }
      },
      async claim({ now, leaseUntil, workerId, limit }) {
        let due = db
          .selectFrom('jobs')
          .select('id')
          .where('done_at', 'is', null)
          .where('run_at', '<=', now)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
          .orderBy('priority')
          .orderBy('run_at')
          .limit(limit);
        // Several processes claim at once: each skips the rows another is claiming instead of waiting for them.
        // SQLite runs one writer at a time, so its single UPDATE … RETURNING is atomic as it is.
        if (dialect === 'postgres') due = due.forUpdate().skipLocked();
        const rows = await db
          .updateTable('jobs')
          .set({ locked_until: leaseUntil, locked_by: workerId, attempts: sql<number>`attempts + 1` })
          .where('id', 'in', due)
          .returningAll()
          .execute();
        return rows.map(toJob).sort((a, b) => a.priority - b.priority || a.runAt.localeCompare(b.runAt));
      },
      async extendLease(id, workerId, until) {
        await db.updateTable('jobs').set({ locked_until: until }).where('id', '=', id).where('locked_by', '=', workerId).execute();
      },
      async complete(id, workerId, at) {
        await db
          .updateTable('jobs')
          .set({ done_at: at, locked_until: null })
          .where('id', '=', id)
          .where('locked_by', '=', workerId)
          .where('done_at', 'is', null)
          .execute();
      },
      async retry(id, workerId, runAt, error) {
        await db
          .updateTable('jobs')
          .set({ run_at: runAt, last_error: error, locked_until: null, locked_by: null })
          .where('id', '=', id)
          .where('locked_by', '=', workerId)
          .where('done_at', 'is', null)
          .execute();
      },
      async fail(id, workerId, at, error) {
        await db
          .updateTable('jobs')
          .set({ done_at: at, failed: 1, last_error: error, locked_until: null })
          .where('id', '=', id)
          .where('locked_by', '=', workerId)
          .where('done_at', 'is', null)
          .execute();
      },
      async byKey(key) {
        const r = await db.selectFrom('jobs').selectAll().where('key', '=', key).executeTakeFirst();
        return r && toJob(r);
      },
      async pending(kind) {
        let q = db.selectFrom('jobs').selectAll().where('done_at', 'is', null).orderBy('priority').orderBy('run_at');
        if (kind) q = q.where('kind', '=', kind);
        return (await q.execute()).map(toJob);
      },
      async purgeDone(before) {
        const r = await db.deleteFrom('jobs').where('done_at', '<', before).executeTakeFirst();
        return Number(r.numDeletedRows);
      },
    },

    inbox: {
      async insertMany(rows) {
        for (const part of chunks(rows)) {
          await db
            .insertInto('inbox')
            .values(
              part.map((r) => ({
                id: r.id,
                user_id: r.userId,
                event_id: r.eventId,
                created_at: r.createdAt,
                read_at: r.readAt,
                digest_pending: r.digestPending ? 1 : 0,
              })),
            )
            .onConflict((oc) => oc.columns(['user_id', 'event_id']).doNothing())
            .execute();
        }
      },
      async list({ userId, unread, before, limit }) {
        let q = inboxWithEvent(db).where('inbox.user_id', '=', userId).orderBy('inbox.event_id', 'desc').limit(limit);
        if (unread) q = q.where('inbox.read_at', 'is', null);
        if (before !== undefined) q = q.where('inbox.event_id', '<', before);
        return (await q.execute()).map(toInboxWithEvent);
      },
      async unreadCount(userId) {
        const r = await db
          .selectFrom('inbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('user_id', '=', userId)
          .where('read_at', 'is', null)
          .executeTakeFirstOrThrow();
        return Number(r.n);
      },
      async markRead(userId, id, at) {
        const found = await db.selectFrom('inbox').select('read_at').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
        if (!found) return false;
        if (found.read_at === null) await db.updateTable('inbox').set({ read_at: at }).where('id', '=', id).execute();
        return true;
      },
      async markAllRead(userId, at) {
        await db.updateTable('inbox').set({ read_at: at }).where('user_id', '=', userId).where('read_at', 'is', null).execute();
      },
      async digestPending(userId) {
        const rows = await inboxWithEvent(db)
          .where('inbox.user_id', '=', userId)
          .where('inbox.digest_pending', '=', 1)
          .orderBy('inbox.event_id')
          .execute();
        return rows.map(toInboxWithEvent);
      },
      async digestSent(userId, ids) {
        for (const part of chunks(ids)) {
          await db.updateTable('inbox').set({ digest_pending: 0 }).where('user_id', '=', userId).where('id', 'in', part).execute();
        }
      },
    },

    preferences: {
      async get(userId) {
        const r = await db.selectFrom('notification_preferences').select('email').where('user_id', '=', userId).executeTakeFirst();
        return r?.email as EmailPreference | undefined;
      },
      async set(userId, email, at) {
        await db
          .insertInto('notification_preferences')
          .values({ user_id: userId, email, updated_at: at })
          .onConflict((oc) => oc.column('user_id').doUpdateSet({ email, updated_at: at }))
          .execute();
      },
      async many(userIds) {
        const out = new Map<string, EmailPreference>();
        for (const part of chunks(userIds)) {
          const rows = await db.selectFrom('notification_preferences').select(['user_id', 'email']).where('user_id', 'in', part).execute();
          for (const r of rows) out.set(r.user_id, r.email as EmailPreference);
        }
        return out;
      },
    },

    recipients: {
      async candidates({ userIds, orgIds, after, limit }) {
        if ((userIds && userIds.length === 0) || (orgIds && orgIds.length === 0)) return [];
        let q = db
          .selectFrom('users')
          .selectAll()
          .where('active', '=', 1)
          .where('org_id', 'in', db.selectFrom('organizations').select('id').where('active', '=', 1))
          .orderBy('id')
          .limit(limit);
        if (userIds) q = q.where('id', 'in', [...userIds]);
        if (orgIds) q = q.where('org_id', 'in', [...orgIds]);
        if (after) q = q.where('id', '>', after);
        const users = (await q.execute()).map(toUser);
        const ids = [...new Set(users.map((u) => u.orgId))];
        const orgs = new Map(
          ids.length ? (await db.selectFrom('organizations').selectAll().where('id', 'in', ids).execute()).map((r) => [r.id, toOrganization(r)]) : [],
        );
        return users.flatMap((user) => {
          const org = orgs.get(user.orgId);
          return org ? [{ user, org }] : [];
        });
      },
      async acceptances(userIds, rulebookIds) {
        if (!userIds.length || !rulebookIds.length) return [];
        const out: { userId: string; rulebookId: string }[] = [];
        for (const part of chunks(userIds)) {
          const rows = await db
            .selectFrom('rulebook_acceptances')
            .select(['user_id', 'rulebook_id'])
            .where('user_id', 'in', part)
            .where('rulebook_id', 'in', [...rulebookIds])
            .execute();
          for (const r of rows) out.push({ userId: r.user_id, rulebookId: r.rulebook_id });
        }
        return out;
      },
    },

    webhooks: {
      async insert(w) {
        await db
          .insertInto('webhooks')
          .values({
            id: w.id,
            org_id: w.orgId,
            url: w.url,
            events: JSON.stringify(w.events),
            description: w.description,
            secret: w.secret,
            created_by: w.createdBy,
            created_at: w.createdAt,
            deleted_at: w.deletedAt,
          })
          .execute();
      },
      async byId(id) {
        const r = await db.selectFrom('webhooks').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toWebhook(r);
      },
      async listByOrg(orgId) {
        const rows = await db.selectFrom('webhooks').selectAll().where('org_id', '=', orgId).where('deleted_at', 'is', null).orderBy('id').execute();
        return rows.map(toWebhook);
      },
      async markDeleted(id, at) {
        await db.updateTable('webhooks').set({ deleted_at: at }).where('id', '=', id).where('deleted_at', 'is', null).execute();
      },
      async subscribedTo(type) {
        // The list of events is JSON text in both databases; the few live webhooks are filtered here.
        const rows = await db.selectFrom('webhooks').selectAll().where('deleted_at', 'is', null).orderBy('id').execute();
        return rows.map(toWebhook).filter((w) => w.events.includes(type));
      },
    },

    deliveries: {
      async insert(d) {
        const r = await db
          .insertInto('webhook_deliveries')
          .values({
            id: d.id,
            webhook_id: d.webhookId,
            event_id: d.eventId,
            event: d.event,
            status: d.status,
            attempts: d.attempts,
            response_status: d.responseStatus,
            error: d.error,
            created_at: d.createdAt,
            delivered_at: d.deliveredAt,
            next_attempt_at: d.nextAttemptAt,
          })
          .onConflict((oc) => oc.columns(['webhook_id', 'event_id']).doNothing())
          .executeTakeFirst();
        return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      },
      async byId(id) {
        const r = await db.selectFrom('webhook_deliveries').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toDelivery(r);
      },
      async update(id, patch) {
        const cols = deliveryColumns(patch);
        if (Object.keys(cols).length) await db.updateTable('webhook_deliveries').set(cols).where('id', '=', id).execute();
      },
      async list({ webhookId, before, limit }) {
        let q = db.selectFrom('webhook_deliveries').selectAll().where('webhook_id', '=', webhookId).orderBy('id', 'desc').limit(limit);
        if (before) q = q.where('id', '<', before);
        return (await q.execute()).map(toDelivery);
      },
    },
  };
}
