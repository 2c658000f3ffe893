/**
 * Webhooks of an organisation: its administrator registers a URL and the events to send (the signing secret is
 * shown once), removes it, reads its delivery log and sends a test. What a webhook receives is decided per delivery
 * (src/core/notifications/worker.ts): the events its organisation may see, with content only for TLP:CLEAR and GREEN.
 */
import type { Actor, UserActor } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { randomToken } from '../crypto.js';
import { Conflict, NotFound } from '../errors.js';
import type { Page } from '../model.js';
import { authorize } from '../policy.js';
import { webhookEventTypes, type Webhook, type WebhookCreate, type WebhookDelivery, type WebhookWithSecret } from './model.js';
import type { DeliveryRecord, WebhookRecord } from './ports.js';
import { eventLabel } from './render.js';
import { checkWebhookUrl } from './ssrf.js';

/** Enough for a few receivers per organisation; more would be a mistake or abuse. */
export const MAX_WEBHOOKS_PER_ORGANIZATION = 10;

const view = (w: WebhookRecord): Webhook => ({
  id: w.id,
  url: w.url,
  events: w.events,
  description: w.description,
  createdAt: w.createdAt,
  createdBy: w.createdBy,
});

const deliveryView = ({ webhookId: _w, eventId: _e, ...d }: DeliveryRecord): WebhookDelivery => d;

/** The URL as the audit log keeps it: a query string may hold a receiver's token. */
const auditedUrl = (url: URL): string => `${url.origin}${url.pathname}`;

function ownOrg(actor: Actor, action: 'webhook.read' | 'webhook.manage'): UserActor {
  authorize(actor, action, { orgId: actor.kind === 'user' ? actor.orgId : undefined });
  return actor as UserActor;
}

/** A live webhook of the caller's organisation, or "not found". */
async function ownWebhook(deps: Deps, me: UserActor, id: string): Promise<WebhookRecord> {
  const w = await deps.store.read.notifications.webhooks.byId(id);
  if (!w || w.deletedAt || w.orgId !== me.orgId) throw new NotFound('not_found');
  return w;
}

export async function listWebhooks(deps: Deps, actor: Actor): Promise<{ items: Webhook[] }> {
  const me = ownOrg(actor, 'webhook.read');
  return { items: (await deps.store.read.notifications.webhooks.listByOrg(me.orgId)).map(view) };
}

export async function createWebhook(
  deps: Deps,
  actor: Actor,
  input: WebhookCreate,
  opts: { allowPrivate: boolean },
  meta: RequestMeta,
): Promise<WebhookWithSecret> {
  const me = ownOrg(actor, 'webhook.manage');
  const url = await checkWebhookUrl(input.url, opts);
  const record: WebhookRecord = {
    id: newId(),
    orgId: me.orgId,
    url: url.toString(),
    events: [...new Set(input.events)],
    description: input.description || null,
    secret: `whsec_${randomToken(24)}`,
    createdBy: me.userId,
    createdAt: iso(deps.now()),
    deletedAt: null,
  };
  await deps.store.tx(async (r) => {
    if ((await r.notifications.webhooks.listByOrg(me.orgId)).length >= MAX_WEBHOOKS_PER_ORGANIZATION) {
      throw new Conflict('webhook_limit', { max: MAX_WEBHOOKS_PER_ORGANIZATION });
    }
    await r.notifications.webhooks.insert(record);
    await audit(r, deps, actor, meta, 'webhook.create', { type: 'webhook', id: record.id }, { url: auditedUrl(url), events: record.events });
  });
  return { ...view(record), secret: record.secret };
}

export async function deleteWebhook(deps: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<void> {
  const me = ownOrg(actor, 'webhook.manage');
  await ownWebhook(deps, me, id);
  await deps.store.tx(async (r) => {
    await r.notifications.webhooks.markDeleted(id, iso(deps.now()));
    await audit(r, deps, actor, meta, 'webhook.delete', { type: 'webhook', id });
  });
}

/** The delivery log, newest first. */
export async function listDeliveries(
  deps: Deps,
  actor: Actor,
  id: string,
  q: { cursor?: string | undefined; limit: number },
): Promise<Page<WebhookDelivery>> {
  const me = ownOrg(actor, 'webhook.read');
  await ownWebhook(deps, me, id);
  const rows = await deps.store.read.notifications.deliveries.list({ webhookId: id, before: decodeCursor(q.cursor), limit: q.limit + 1 });
  const page = toPage(rows, q.limit, (d) => d.id);
  return { items: page.items.map(deliveryView), next: page.next };
}

/** Queue a signed `ping` to the webhook; its outcome shows in the delivery log. */
export async function testWebhook(deps: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<WebhookDelivery> {
  const me = ownOrg(actor, 'webhook.manage');
  await ownWebhook(deps, me, id);
  const at = iso(deps.now());
  const delivery: DeliveryRecord = {
    id: newId(),
    webhookId: id,
    eventId: null,
    event: 'ping',
    status: 'pending',
    attempts: 0,
    responseStatus: null,
    error: null,
    createdAt: at,
    deliveredAt: null,
    nextAttemptAt: at,
  };
  await deps.store.tx(async (r) => {
    await r.notifications.deliveries.insert(delivery);
    await r.notifications.jobs.enqueue({ kind: 'webhook', key: `webhook:${delivery.id}`, payload: { deliveryId: delivery.id }, runAt: at, createdAt: at });
    await audit(r, deps, actor, meta, 'webhook.test', { type: 'webhook', id }, { deliveryId: delivery.id });
  });
  return deliveryView(delivery);
}

/**
 * The events a webhook may subscribe to, with their names in both languages: for any signed-in user (the names of
 * the mandatory notices on the preference screen come from here too).
 */
export function webhookEvents(actor: Actor): { items: { name: string; ja: string; en: string }[] } {
  authorize(actor, 'self.read', { userId: actor.kind === 'user' ? actor.userId : undefined });
  return { items: webhookEventTypes.map((name) => ({ name, ja: eventLabel(name, 'ja'), en: eventLabel(name, 'en') })) };
}
