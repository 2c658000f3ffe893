/**
 * The notification worker: takes due jobs from the durable job table and does them — fan an event out to inboxes,
 * e-mails and webhook deliveries; send a mail or a digest; deliver to a webhook; send a deadline reminder or the
 * tally at a deadline. Every server process runs one; the table's claim (SKIP LOCKED on PostgreSQL) gives each job
 * to one worker, and a lease gives it to another if its worker dies. Work that only touches the database commits
 * with the job's completion, so it happens once; a mail or a webhook call cannot be in the same transaction, so it
 * happens at least once — after a crash at most the deliveries in flight repeat, with the same Message-ID or
 * delivery id for the receiver to recognise.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { system } from '../actor.js';
import { iso, newId, type Deps } from '../context.js';
import { getCouncilSettings } from '../membership/settings.js';
import type { Locale } from '../messages.js';
import { can, type ItemFacts } from '../policy.js';
import { feedbackTally } from '../sharing/feedback.js';
import { actorForUser } from '../usecases/auth.js';
import { sha256 } from '../crypto.js';
import { audienceNow, compileAudience, isRecipient, organizationViewer, personViewer, reachesUsers, type CompiledAudience } from './audience.js';
import { emit, type EventInput } from './emit.js';
import { eventCatalogue, type EmailPreference } from './model.js';
import type { EventRecord, InboxRecord, JobInput, JobKind, JobRecord, Log, Mailer, WebhookSender } from './ports.js';
import { itemFactsNow } from './notices.js';
import { candidatePages } from './recipients.js';
import { contentMayLeave, noticeLink, renderDigest, renderMail } from './render.js';
import { signatureHeader } from './signature.js';

export interface NotificationConfig {
  /** The platform's address, for links in mails and webhooks. */
  publicUrl: string;
  /** Deliver webhooks to loopback and private addresses (development, tests, closed networks). */
  webhookAllowPrivate: boolean;
  /** Reminders go this long before a feedback or information-request deadline. */
  reminderHours: number;
  /** The daily digest goes at this hour, Japan time. */
  digestHourJst: number;
  /** A claimed job is another worker's after this long without its worker finishing or extending it. */
  leaseSeconds: number;
}

export const defaultNotificationConfig: NotificationConfig = {
  publicUrl: 'http://localhost:3000',
  webhookAllowPrivate: false,
  reminderHours: 6,
  digestHourJst: 8,
  leaseSeconds: 120,
};

export interface WorkerOptions {
  deps: Deps;
  config: NotificationConfig;
  /** Null when no SMTP server is configured: no mail is queued then (the inbox and the stream still work). */
  mailer: Mailer | null;
  webhooks: WebhookSender;
  log: Log;
  /** Jobs claimed at once, and run side by side. */
  batchSize?: number;
  concurrency?: number;
  /** How long an idle worker waits before looking again (a poke wakes it sooner). */
  pollMs?: number;
}

export interface Worker {
  readonly id: string;
  /** Claim one batch of due jobs and do them. Answers how many ran. */
  runOnce(): Promise<number>;
  /** Run batches until nothing is due (tests, and the bench). */
  runUntilIdle(): Promise<number>;
  /** Loop in the background until `stop`. */
  start(): void;
  /** Finish the jobs in hand and stop. */
  stop(): Promise<void>;
  /** Something may be due: look now. */
  poke(): void;
}

/** Give up after this many attempts; with the backoff below a mail keeps trying for about a day. */
const MAX_ATTEMPTS: Record<JobKind, number> = { fanout: 20, mail: 30, digest: 30, webhook: 12, reminder: 20 };
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_MAX_MS = 60 * 60_000;
const DONE_JOBS_KEPT_MS = 7 * 24 * 3_600_000;
const PURGE_EVERY_MS = 3_600_000;

/** Exponential backoff with a little jitter, so that retries of one outage do not all come back at once. */
export function retryDelayMs(attempt: number): number {
  const base = Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1), BACKOFF_MAX_MS);
  return Math.round(base * (1 + Math.random() * 0.1));
}

interface JobContext {
  /** The last attempt: a failure now is final. */
  final: boolean;
  /** When the job runs again if this attempt fails. */
  retryAt: string;
  extendLease(): Promise<void>;
}

type ReminderPayload = { subject: 'feedback' | 'request'; phase: 'remind' | 'close'; id: string; deadline: string };
type MailPayload = { eventId: number; userId: string } | { eventId: number; email: string; locale: Locale };

const HOUR = 3_600_000;
const JST_OFFSET = 9 * HOUR;

/** The next time it is `hour`:00 in Japan after `now`. */
export function nextDigestAt(now: Date, hour: number): Date {
  const jst = new Date(now.getTime() + JST_OFFSET);
  const at = Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth(), jst.getUTCDate(), hour) - JST_OFFSET;
  return new Date(at > now.getTime() ? at : at + 24 * HOUR);
}

export function createWorker(opts: WorkerOptions): Worker {
  const { deps, config, mailer, webhooks, log } = opts;
  const batchSize = opts.batchSize ?? 50;
  const concurrency = opts.concurrency ?? 8;
  const pollMs = opts.pollMs ?? 1000;
  const id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const read = deps.store.read;
  const now = () => deps.now();

  // ------------------------------------------------------------------ fan-out

  async function fanout(job: JobRecord, ctx: JobContext): Promise<void> {
    const { eventId } = job.payload as { eventId: number };
    const event = await read.notifications.events.byId(eventId);
    if (!event) return;
    const spec = eventCatalogue[event.type];
    const compiled = compileAudience(event.audience);
    const at = iso(now());

    if (mailer && event.audience.emails?.length) {
      const jobs = event.audience.emails.map(
        (m): JobInput => ({
          kind: 'mail',
          key: `mail:${event.id}:${m.address.toLowerCase()}`,
          payload: { eventId: event.id, email: m.address, locale: m.locale } satisfies MailPayload,
          runAt: at,
          createdAt: at,
        }),
      );
      await deps.store.tx((r) => r.notifications.jobs.enqueueMany(jobs));
    }

    if (reachesUsers(event.audience)) {
      for await (const page of candidatePages(read, event.audience, now())) {
        const recipients = page.filter((c) => isRecipient(personViewer(c.actor), compiled));
        if (!recipients.length) continue;
        const prefs = mailer ? await read.notifications.preferences.many(recipients.map((c) => c.user.id)) : new Map<string, EmailPreference>();
        const inbox: InboxRecord[] = [];
        const jobs: JobInput[] = [];
        for (const { user } of recipients) {
          const pref = prefs.get(user.id) ?? 'immediate';
          const digest = mailer !== null && !spec.mandatory && pref === 'digest';
          inbox.push({ id: newId(), userId: user.id, eventId: event.id, createdAt: event.createdAt, readAt: null, digestPending: digest });
          if (mailer && (spec.mandatory || pref === 'immediate')) {
            jobs.push({ kind: 'mail', key: `mail:${event.id}:${user.id}`, payload: { eventId: event.id, userId: user.id } satisfies MailPayload, runAt: at, createdAt: at });
          }
          if (digest) {
            const when = nextDigestAt(now(), config.digestHourJst);
            jobs.push({ kind: 'digest', key: `digest:${user.id}:${iso(when)}`, payload: { userId: user.id }, runAt: iso(when), createdAt: at });
          }
        }
        // Rows already there from an earlier, interrupted run of this job are left alone: each notice once.
        await deps.store.tx(async (r) => {
          await r.notifications.inbox.insertMany(inbox);
          await r.notifications.jobs.enqueueMany(jobs);
        });
        await ctx.extendLease();
      }
    }

    if (spec.webhook) await queueWebhooks(event, compiled, at);
    await scheduleDeadlines(event, at);
  }

  /** A delivery for every live webhook subscribed to the event whose organisation may see it. */
  async function queueWebhooks(event: EventRecord, compiled: CompiledAudience, at: string): Promise<void> {
    for (const hook of await read.notifications.webhooks.subscribedTo(event.type)) {
      if (!(await webhookMaySee(hook.orgId, hook.createdBy, event, compiled))) continue;
      const deliveryId = newId();
      await deps.store.tx(async (r) => {
        const added = await r.notifications.deliveries.insert({
          id: deliveryId,
          webhookId: hook.id,
          eventId: event.id,
          event: event.type,
          status: 'pending',
          attempts: 0,
          responseStatus: null,
          error: null,
          createdAt: at,
          deliveredAt: null,
          nextAttemptAt: at,
        });
        if (added) await r.notifications.jobs.enqueue({ kind: 'webhook', key: `webhook:${deliveryId}`, payload: { deliveryId }, runAt: at, createdAt: at });
      });
    }
  }

  /** A webhook acts with the rights of the administrator who registered it, as its organisation (never as a named person). */
  async function webhookMaySee(orgId: string, creatorId: string, event: EventRecord | null, compiled: CompiledAudience | null): Promise<boolean> {
    const creator = await read.users.byId(creatorId);
    const actor = creator && (await actorForUser(read, creator, { via: 'session', readOnly: false }, now()));
    if (!actor || !can(actor, 'webhook.read', { orgId })) return false;
    return !event || !compiled || isRecipient(organizationViewer(actor), compiled);
  }

  /** Reminders before a deadline and the tally at it, queued when the deadline is set. */
  async function scheduleDeadlines(event: EventRecord, at: string): Promise<void> {
    const subject = event.type === 'feedback.requested' ? 'feedback' : event.type === 'request.issued' ? 'request' : null;
    const deadline = typeof event.data.deadline === 'string' ? event.data.deadline : null;
    if (!subject || !deadline) return;
    const remindAt = new Date(new Date(deadline).getTime() - config.reminderHours * HOUR);
    const jobs: JobInput[] = [
      { kind: 'reminder', key: `close:${subject}:${event.subjectId}:${deadline}`, payload: { subject, phase: 'close', id: event.subjectId, deadline } satisfies ReminderPayload, runAt: deadline, createdAt: at },
    ];
    if (remindAt > now()) {
      jobs.push({ kind: 'reminder', key: `remind:${subject}:${event.subjectId}:${deadline}`, payload: { subject, phase: 'remind', id: event.subjectId, deadline } satisfies ReminderPayload, runAt: iso(remindAt), createdAt: at });
    }
    await deps.store.tx((r) => r.notifications.jobs.enqueueMany(jobs));
  }

  // ------------------------------------------------------------------ reminders

  async function feedbackNotice(p: ReminderPayload): Promise<EventInput | null> {
    const a = await read.sharing.advisories.byId(p.id);
    if (!a || a.feedbackDeadline !== p.deadline) return null;
    const tally = await feedbackTally(deps, system('notifications'), p.id);
    const item: ItemFacts = { stage: a.stage, tlp: a.tlp, ownerOrgId: a.orgId, recipientUserIds: await read.sharing.recipients.list(p.id) };
    const subject = { type: 'advisory', id: a.id };
    if (p.phase === 'remind') {
      // Those the tally counts as expected to answer and still missing.
      if (!tally.notAnswered.length) return null;
      return {
        type: 'feedback.reminder',
        subject,
        audience: { item, orgIds: tally.notAnswered.map((o) => o.orgId), may: { action: 'feedback.submit' } },
        data: { title: a.title, deadline: p.deadline },
      };
    }
    return {
      type: 'feedback.closed',
      subject,
      audience: { item, may: { action: 'feedback.tally' } },
      data: { title: a.title, deadline: p.deadline, seen: tally.totals.seen, notSeen: tally.totals.not_seen, unknown: tally.totals.unknown, notAnswered: tally.notAnswered.length },
    };
  }

  async function requestNotice(p: ReminderPayload): Promise<EventInput | null> {
    const x = await read.requests.infoRequests.byId(p.id);
    if (!x || x.deadline !== p.deadline) return null;
    const addressed = await read.requests.recipients.list(p.id);
    const answers = await read.requests.answers.list(p.id);
    const answered = new Set(answers.map((a) => a.orgId));
    const missing = addressed.filter((o) => !answered.has(o));
    const subject = { type: 'info_request', id: x.id };
    if (p.phase === 'remind') {
      if (x.status !== 'open' || !missing.length) return null;
      return { type: 'request.reminder', subject, audience: { orgIds: missing, may: { action: 'request.read' } }, data: { title: x.title, deadline: p.deadline } };
    }
    const refused = answers.filter((a) => a.kind === 'refusal').length;
    return {
      type: 'request.closed',
      subject,
      // Who answered is for those who may see the request's status; the notice carries the counts only.
      audience: { may: { action: 'request.status' } },
      data: { title: x.title, deadline: p.deadline, addressed: addressed.length, answered: answers.length - refused, refused, missing: missing.length },
    };
  }

  async function reminder(job: JobRecord): Promise<void> {
    const p = job.payload as ReminderPayload;
    const notice = p.subject === 'feedback' ? await feedbackNotice(p) : await requestNotice(p);
    // The event and the job's completion commit together: a reminder is sent once even if the worker dies here.
    await deps.store.tx(async (r) => {
      if (notice) await emit(r, deps, notice);
      await r.notifications.jobs.complete(job.id, id, iso(now()));
    });
  }

  // ------------------------------------------------------------------ mail

  /** Asked again at sending, of the item as it is now too: a revision since the event may have narrowed it. */
  async function audienceAtSending(event: EventRecord): Promise<CompiledAudience> {
    return compileAudience(audienceNow(event.audience, await itemFactsNow(read, event)));
  }

  async function mailContext(locale: Locale) {
    const council = (await getCouncilSettings(deps)).councilName[locale];
    return { publicUrl: config.publicUrl, council };
  }

  const mailHost = (): string => {
    try {
      return new URL(config.publicUrl).hostname || 'kyogikai';
    } catch {
      return 'kyogikai';
    }
  };

  async function mail(job: JobRecord): Promise<void> {
    if (!mailer) return;
    const p = job.payload as MailPayload;
    const event = await read.notifications.events.byId(p.eventId);
    if (!event) return;
    let to: string;
    let locale: Locale;
    let who: string;
    if ('userId' in p) {
      // Asked again at sending: whoever lost access since the fan-out gets nothing.
      const user = await read.users.byId(p.userId);
      const actor = user && (await actorForUser(read, user, { via: 'session', readOnly: false }, now()));
      if (!user || !actor || !isRecipient(personViewer(actor), await audienceAtSending(event))) return;
      to = user.email;
      locale = user.locale;
      who = `u${user.id}`;
    } else {
      to = p.email;
      locale = p.locale;
      who = `m${sha256(p.email.toLowerCase()).slice(0, 16)}`;
    }
    const { subject, text } = renderMail(event, locale, await mailContext(locale));
    await mailer.send({ to, subject, text, locale, messageId: `<e${event.id}.${who}@${mailHost()}>`, headers: { 'X-Kyogikai-Event': event.type } });
  }

  async function digest(job: JobRecord): Promise<void> {
    if (!mailer) return;
    const { userId } = job.payload as { userId: string };
    const user = await read.users.byId(userId);
    const actor = user && (await actorForUser(read, user, { via: 'session', readOnly: false }, now()));
    const rows = await read.notifications.inbox.digestPending(userId);
    if (!rows.length) return;
    if (user && actor) {
      const viewer = personViewer(actor);
      const events: EventRecord[] = [];
      for (const x of rows) if (isRecipient(viewer, await audienceAtSending(x.event))) events.push(x.event);
      if (events.length) {
        const { subject, text } = renderDigest(events, user.locale, await mailContext(user.locale));
        await mailer.send({ to: user.email, subject, text, locale: user.locale, messageId: `<digest.${job.id}@${mailHost()}>` });
      }
    }
    await deps.store.tx((r) => r.notifications.inbox.digestSent(userId, rows.map((x) => x.id)));
  }

  // ------------------------------------------------------------------ webhooks

  async function deliver(job: JobRecord, ctx: JobContext): Promise<void> {
    const { deliveryId } = job.payload as { deliveryId: string };
    const delivery = await read.notifications.deliveries.byId(deliveryId);
    if (!delivery) return;
    const hook = await read.notifications.webhooks.byId(delivery.webhookId);
    const event = delivery.eventId === null ? null : ((await read.notifications.events.byId(delivery.eventId)) ?? null);
    const cancel = (error: string) => deps.store.tx((r) => r.notifications.deliveries.update(deliveryId, { status: 'cancelled', error, nextAttemptAt: null }));
    if (!hook || hook.deletedAt) return cancel('webhook_deleted');
    if (!(await webhookMaySee(hook.orgId, hook.createdBy, event, event && (await audienceAtSending(event))))) return cancel('not_permitted');

    const sentAt = now();
    const link = event && noticeLink(event);
    const payload = event
      ? {
          id: delivery.id,
          event: event.type,
          eventId: event.id,
          createdAt: event.createdAt,
          organizationId: hook.orgId,
          subject: { type: event.subjectType, id: event.subjectId },
          tlp: event.tlp,
          link: link ? `${config.publicUrl.replace(/\/+$/, '')}${link}` : null,
          // The same rule as e-mail: the item's content only for TLP:CLEAR and GREEN, otherwise the link alone.
          ...(contentMayLeave(event) ? { data: event.data } : {}),
        }
      : { id: delivery.id, event: 'ping', createdAt: delivery.createdAt, organizationId: hook.orgId, webhookId: hook.id };
    const body = JSON.stringify(payload);
    const headers = {
      'content-type': 'application/json',
      'user-agent': 'kyogikai-webhook/1',
      'kyogikai-event': payload.event,
      'kyogikai-delivery': delivery.id,
      'kyogikai-signature': signatureHeader(hook.secret, body, Math.floor(sentAt.getTime() / 1000)),
    };
    let responseStatus: number | null = null;
    let error: string | null = null;
    try {
      responseStatus = (await webhooks.post({ url: hook.url, body, headers })).status;
      if (responseStatus < 200 || responseStatus >= 300) error = `HTTP ${responseStatus}`;
    } catch (err) {
      error = err instanceof Error ? err.message : String(err);
    }
    const ok = error === null;
    await deps.store.tx((r) =>
      r.notifications.deliveries.update(deliveryId, {
        status: ok ? 'delivered' : ctx.final ? 'failed' : 'retrying',
        attempts: job.attempts,
        responseStatus,
        error,
        deliveredAt: ok ? iso(now()) : null,
        nextAttemptAt: ok || ctx.final ? null : ctx.retryAt,
      }),
    );
    if (!ok) throw new Error(`webhook ${hook.id}: ${error}`);
  }

  // ------------------------------------------------------------------ the loop

  const handlers: Record<JobKind, (job: JobRecord, ctx: JobContext) => Promise<void>> = {
    fanout,
    mail,
    digest,
    webhook: deliver,
    reminder,
  };

  async function run(job: JobRecord): Promise<void> {
    const attemptAt = now();
    const ctx: JobContext = {
      final: job.attempts >= MAX_ATTEMPTS[job.kind],
      retryAt: iso(new Date(attemptAt.getTime() + retryDelayMs(job.attempts))),
      extendLease: () => read.notifications.jobs.extendLease(job.id, id, iso(new Date(now().getTime() + config.leaseSeconds * 1000))),
    };
    try {
      await handlers[job.kind](job, ctx);
      await read.notifications.jobs.complete(job.id, id, iso(now()));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (ctx.final) {
        log.error({ job: job.key, attempts: job.attempts, err: message }, 'notification job failed for good');
        await read.notifications.jobs.fail(job.id, id, iso(now()), message);
      } else {
        log.warn({ job: job.key, attempts: job.attempts, retryAt: ctx.retryAt, err: message }, 'notification job failed; will retry');
        await read.notifications.jobs.retry(job.id, id, ctx.retryAt, message);
      }
    }
  }

  async function runOnce(): Promise<number> {
    const at = now();
    const jobs = await deps.store.tx((r) =>
      r.notifications.jobs.claim({
        now: iso(at),
        leaseUntil: iso(new Date(at.getTime() + config.leaseSeconds * 1000)),
        workerId: id,
        limit: batchSize,
      }),
    );
    // Fan-outs first (they queue the rest), then the others side by side.
    const queue = [...jobs];
    const lanes = Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await run(job);
    });
    await Promise.all(lanes);
    return jobs.length;
  }

  let stopping = false;
  let looping: Promise<void> | undefined;
  let wake: (() => void) | undefined;
  let lastPurge = 0;

  async function loop(): Promise<void> {
    while (!stopping) {
      let ran = 0;
      try {
        ran = await runOnce();
        if (Date.now() - lastPurge > PURGE_EVERY_MS) {
          lastPurge = Date.now();
          await read.notifications.jobs.purgeDone(iso(new Date(now().getTime() - DONE_JOBS_KEPT_MS)));
        }
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'notification worker could not claim jobs');
      }
      if (ran === 0 && !stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, pollMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
    }
  }

  return {
    id,
    runOnce,
    async runUntilIdle() {
      let total = 0;
      for (let n = await runOnce(); n > 0; n = await runOnce()) total += n;
      return total;
    },
    start() {
      if (looping) return;
      stopping = false;
      if (!mailer) log.info({}, 'no SMTP_URL: notifications go to the inbox and the stream only');
      looping = loop();
    },
    async stop() {
      stopping = true;
      wake?.();
      await looping;
      looping = undefined;
    },
    poke() {
      wake?.();
    },
  };
}
