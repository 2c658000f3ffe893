/**
 * The outbox: a use case records what happened in its own transaction, so that an event exists exactly when the act
 * committed. A fan-out job queued with it turns the event into inbox rows, e-mails and webhook deliveries later,
 * outside the request; the live stream reads the events table directly.
 */
import type { Actor } from '../actor.js';
import { iso, type Deps } from '../context.js';
import type { Repos } from '../ports.js';
import type { Audience } from './audience.js';
import type { EventType } from './model.js';

export interface EventInput {
  type: EventType;
  subject: { type: string; id: string };
  audience: Audience;
  /** What the messages are made of (titles, deadlines, counts): facts, never personal data of outsiders. */
  data?: Record<string, unknown>;
  /** Who caused it: not told of their own act. */
  actor?: Actor;
}

/** Record an event in the caller's transaction and queue its fan-out. Answers the event id. */
export async function emit(r: Repos, deps: Deps, e: EventInput): Promise<number> {
  const now = iso(deps.now());
  const actorUserId = e.actor?.kind === 'user' ? e.actor.userId : null;
  const event = await r.notifications.events.append({
    type: e.type,
    subjectType: e.subject.type,
    subjectId: e.subject.id,
    actorUserId,
    audience: actorUserId ? { ...e.audience, exceptUserId: actorUserId } : e.audience,
    data: e.data ?? {},
    tlp: e.audience.item?.tlp ?? null,
    createdAt: now,
  });
  await r.notifications.jobs.enqueue({
    kind: 'fanout',
    key: `fanout:${event.id}`,
    payload: { eventId: event.id },
    runAt: now,
    createdAt: now,
    priority: 0,
  });
  return event.id;
}
