/** The in-app inbox and the e-mail preference: each user's own, in their language. */
import type { Actor, UserActor } from '../actor.js';
import { audit, decodeCursor, iso, toPage, type Deps, type RequestMeta } from '../context.js';
import { Invalid, NotFound } from '../errors.js';
import { translate } from '../messages.js';
import type { Page } from '../model.js';
import { authorize, canRead, type ItemFacts } from '../policy.js';
import { mandatoryEventTypes, type EmailPreference, type InboxItem, type NotificationSettings } from './model.js';
import type { EventRecord, InboxRecord } from './ports.js';
import { itemFactsNow } from './notices.js';
import { noticeLink, renderNotice, type Notice } from './render.js';

/** The caller as a user, after the policy's say on acting on their own account. */
function self(actor: Actor, action: 'self.read' | 'self.update'): UserActor {
  authorize(actor, action, { userId: actor.kind === 'user' ? actor.userId : undefined });
  return actor as UserActor;
}

function itemView(me: UserActor, x: InboxRecord & { event: EventRecord }, now: ReadonlyMap<string, ItemFacts | null>): InboxItem {
  const item = x.event.audience.item;
  // Asked again at reading, of the item as it is now too (a revision may have narrowed its TLP since): an item the
  // reader can no longer see keeps its notice, but not its title.
  const current = item && now.get(x.event.subjectId);
  const hidden = item !== undefined && !(canRead(me, item) && current && canRead(me, current));
  const notice: Notice = hidden
    ? { title: translate(me.locale, 'notify_item_hidden'), link: noticeLink(x.event) }
    : renderNotice(x.event, me.locale, { detail: true });
  return {
    id: x.id,
    kind: x.event.type,
    title: notice.title,
    ...(notice.body ? { body: notice.body } : {}),
    // Email-only events never reach an inbox, so every notice here has a page to go to.
    link: notice.link ?? '/',
    createdAt: x.createdAt,
    readAt: x.readAt,
  };
}

/** The facts of the items these notices are about, as they are now (null: the item is gone). */
async function factsNow(deps: Deps, rows: readonly { event: EventRecord }[]): Promise<Map<string, ItemFacts | null>> {
  const out = new Map<string, ItemFacts | null>();
  for (const { event: e } of rows) {
    if (!e.audience.item || out.has(e.subjectId)) continue;
    out.set(e.subjectId, (await itemFactsNow(deps.store.read, e)) ?? null);
  }
  return out;
}

/** The caller's notices, newest first (only unread ones if asked). */
export async function listInbox(
  deps: Deps,
  actor: Actor,
  q: { cursor?: string | undefined; unread: boolean; limit: number },
): Promise<Page<InboxItem>> {
  const me = self(actor, 'self.read');
  const cursor = decodeCursor(q.cursor);
  if (cursor !== undefined && !/^\d{1,15}$/.test(cursor)) throw new Invalid('invalid_input');
  const rows = await deps.store.read.notifications.inbox.list({
    userId: me.userId,
    unread: q.unread,
    ...(cursor !== undefined ? { before: Number(cursor) } : {}),
    limit: q.limit + 1,
  });
  // In the order things happened: the event order, whatever order the fan-outs ran in.
  const page = toPage(rows, q.limit, (x) => x.eventId);
  const now = await factsNow(deps, page.items);
  return { items: page.items.map((x) => itemView(me, x, now)), next: page.next };
}

export async function unreadCount(deps: Deps, actor: Actor): Promise<{ count: number }> {
  const me = self(actor, 'self.read');
  return { count: await deps.store.read.notifications.inbox.unreadCount(me.userId) };
}

/** Mark one notice read; answers the unread count left (for the header). */
export async function markRead(deps: Deps, actor: Actor, id: string): Promise<{ count: number }> {
  const me = self(actor, 'self.update');
  const found = await deps.store.tx((r) => r.notifications.inbox.markRead(me.userId, id, iso(deps.now())));
  if (!found) throw new NotFound('not_found');
  return unreadCount(deps, me);
}

export async function markAllRead(deps: Deps, actor: Actor): Promise<{ count: number }> {
  const me = self(actor, 'self.update');
  await deps.store.tx((r) => r.notifications.inbox.markAllRead(me.userId, iso(deps.now())));
  return { count: 0 };
}

export async function notificationSettings(deps: Deps, actor: Actor): Promise<NotificationSettings> {
  const me = self(actor, 'self.read');
  const email = (await deps.store.read.notifications.preferences.get(me.userId)) ?? 'immediate';
  return { email, mandatory: [...mandatoryEventTypes] };
}

export async function setNotificationSettings(
  deps: Deps,
  actor: Actor,
  input: { email: EmailPreference },
  meta: RequestMeta,
): Promise<NotificationSettings> {
  const me = self(actor, 'self.update');
  await deps.store.tx(async (r) => {
    await r.notifications.preferences.set(me.userId, input.email, iso(deps.now()));
    await audit(r, deps, actor, meta, 'notification.settings', { type: 'user', id: me.userId }, { email: input.email });
  });
  return notificationSettings(deps, me);
}
