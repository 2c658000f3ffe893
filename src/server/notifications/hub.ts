/**
 * The live stream's hub: one per server process. It reads each new event once from the events table (woken by
 * PostgreSQL NOTIFY from any process, by a change made through this process, or by a slow poll) and hands it to
 * every subscriber the event's audience admits — the policy answer per subscriber is a few comparisons against a
 * read filter worked out when it connected. A subscriber that comes back with `Last-Event-ID` first gets what it
 * missed from the table, filtered the same way, then the live events, in order and without a gap or a repeat.
 */
import type { UserActor } from '../../core/actor.js';
import type { Deps } from '../../core/context.js';
import type { Locale } from '../../core/messages.js';
import { audienceNow, compileAudience, isRecipient, personViewer, reachesUsers, type Viewer } from '../../core/notifications/audience.js';
import { itemFactsNow } from '../../core/notifications/notices.js';
import type { StreamNotice } from '../../core/notifications/model.js';
import type { EventRecord, Log } from '../../core/notifications/ports.js';
import { renderNotice } from '../../core/notifications/render.js';

export interface StreamConnection {
  actor: UserActor;
  /** The actor as it is now (class, rules, second factor may change), or undefined when the credentials ended. */
  reauthenticate(): Promise<UserActor | undefined>;
  /** Write to the socket; false when its buffer is full. */
  write(chunk: string): boolean;
  /** Bytes waiting in the socket's buffer. */
  buffered(): number;
  end(): void;
}

export interface HubOptions {
  /** Look for new events this often even without a signal. */
  pollMs: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: number;
  /** Ask again who each subscriber is this often. */
  reauthenticateMs: number;
  log: Log;
}

/** A subscriber whose socket holds this much unsent is too slow to keep. */
const MAX_BUFFERED = 1024 * 1024;
const BATCH = 500;
/** At most this many subscribers are asked again per heartbeat: the database sees a trickle, not a wave. */
const CHECKS_PER_BEAT = 200;

interface Subscriber {
  conn: StreamConnection;
  viewer: Viewer;
  nextCheck: number;
  /** Replaying what it missed: live events wait here until the replay is done. */
  pending: EventRecord[] | null;
}

/** One SSE message: `id:` is the event id a client sends back as `Last-Event-ID`. */
function frame(e: EventRecord, locale: Locale): string {
  const n = renderNotice(e, locale, { detail: true });
  const notice: StreamNotice = {
    eventId: e.id,
    kind: e.type,
    title: n.title,
    ...(n.body ? { body: n.body } : {}),
    link: n.link ?? '/',
    subject: { type: e.subjectType, id: e.subjectId },
    createdAt: e.createdAt,
  };
  return `id: ${e.id}\nevent: notification\ndata: ${JSON.stringify(notice)}\n\n`;
}

/** The frames of one event, rendered at most once per language however many subscribers get it. */
function framesOf(e: EventRecord): (locale: Locale) => string {
  const cache = new Map<Locale, string>();
  return (locale) => {
    let f = cache.get(locale);
    if (f === undefined) cache.set(locale, (f = frame(e, locale)));
    return f;
  };
}

export class StreamHub {
  private readonly subscribers = new Set<Subscriber>();
  private lastId = 0;
  private starting: Promise<void> | undefined;
  private timers: NodeJS.Timeout[] = [];
  private pumping = false;
  private again = false;

  constructor(
    private readonly deps: Deps,
    private readonly opts: HubOptions,
    /** Called when the hub starts and stops needing cross-process signals. */
    private readonly listening: { start(): void; stop(): void },
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Add a subscriber; with `lastEventId`, first replay what it missed. Answers the function that removes it. */
  async subscribe(conn: StreamConnection, lastEventId?: number): Promise<() => void> {
    await this.start();
    const sub: Subscriber = {
      conn,
      viewer: personViewer(conn.actor),
      // Spread out, so that a crowd that connected together is not asked again all at once.
      nextCheck: Date.now() + this.opts.reauthenticateMs * (0.5 + Math.random() / 2),
      pending: lastEventId !== undefined && lastEventId < this.lastId ? [] : null,
    };
    this.subscribers.add(sub);
    if (sub.pending && lastEventId !== undefined) void this.replay(sub, lastEventId, this.lastId);
    return () => this.remove(sub);
  }

  /** New events may have been committed: read them. */
  poke(): void {
    if (this.subscribers.size) void this.pump();
  }

  async close(): Promise<void> {
    for (const sub of this.subscribers) sub.conn.end();
    this.subscribers.clear();
    this.stop();
    await this.starting?.catch(() => {});
  }

  private start(): Promise<void> {
    this.starting ??= (async () => {
      this.lastId = await this.deps.store.read.notifications.events.lastId();
      this.listening.start();
      this.timers = [
        setInterval(() => this.poke(), this.opts.pollMs),
        setInterval(() => this.heartbeat(), this.opts.heartbeatMs),
      ];
      for (const t of this.timers) t.unref();
    })().catch((err: unknown) => {
      this.starting = undefined;
      throw err;
    });
    return this.starting;
  }

  private stop(): void {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    this.starting = undefined;
    this.listening.stop();
  }

  private remove(sub: Subscriber): void {
    if (!this.subscribers.delete(sub)) return;
    // Nobody left to tell: stop reading until someone subscribes again.
    if (this.subscribers.size === 0) this.stop();
  }

  private send(sub: Subscriber, chunk: string): void {
    sub.conn.write(chunk);
    if (sub.conn.buffered() > MAX_BUFFERED) {
      this.opts.log.warn({ user: sub.viewer.actor.login }, 'stream subscriber too slow; closing');
      this.remove(sub);
      sub.conn.end();
    }
  }

  private deliver(sub: Subscriber, e: EventRecord, compiledOf: () => ReturnType<typeof compileAudience>, frames: (l: Locale) => string): void {
    if (isRecipient(sub.viewer, compiledOf())) this.send(sub, frames(sub.viewer.actor.locale));
  }

  /** Events in (after, until] from the table for one subscriber, then whatever arrived live meanwhile. */
  private async replay(sub: Subscriber, after: number, until: number): Promise<void> {
    try {
      for (let cursor = after; cursor < until; ) {
        const events = (await this.deps.store.read.notifications.events.after(cursor, BATCH)).filter((e) => e.id <= until);
        if (!events.length) break;
        for (const e of events) {
          if (!reachesUsers(e.audience)) continue;
          // Replayed events may be old: their item as it is now decides too (a revision may have narrowed it).
          const compiled = compileAudience(audienceNow(e.audience, await itemFactsNow(this.deps.store.read, e)));
          this.deliver(sub, e, () => compiled, framesOf(e));
        }
        cursor = events.at(-1)?.id ?? until;
      }
    } catch (err) {
      this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'stream replay failed');
    }
    const live = sub.pending ?? [];
    sub.pending = null;
    for (const e of live) this.deliver(sub, e, () => compileAudience(e.audience), framesOf(e));
  }

  private async pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const events = await this.deps.store.read.notifications.events.after(this.lastId, BATCH);
          for (const e of events) this.dispatch(e);
          const last = events.at(-1);
          if (last) this.lastId = last.id;
          if (events.length < BATCH) break;
        }
      } while (this.again);
    } catch (err) {
      this.opts.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'stream could not read events');
    } finally {
      this.pumping = false;
    }
  }

  private dispatch(e: EventRecord): void {
    if (!reachesUsers(e.audience)) return;
    let compiled: ReturnType<typeof compileAudience> | undefined;
    const compiledOf = () => (compiled ??= compileAudience(e.audience));
    const frames = framesOf(e);
    for (const sub of this.subscribers) {
      if (sub.pending) sub.pending.push(e);
      else this.deliver(sub, e, compiledOf, frames);
    }
  }

  /** Keep idle streams open, and every so often ask again who each subscriber is (a few per beat, spread out). */
  private heartbeat(): void {
    const now = Date.now();
    let checks = 0;
    for (const sub of this.subscribers) {
      this.send(sub, ': ping\n\n');
      if (sub.nextCheck > now || checks >= CHECKS_PER_BEAT) continue;
      checks++;
      sub.nextCheck = now + this.opts.reauthenticateMs;
      void sub.conn.reauthenticate().then(
        (actor) => {
          if (actor) sub.viewer = personViewer(actor);
          else {
            this.remove(sub);
            sub.conn.end();
          }
        },
        () => {},
      );
    }
  }
}
