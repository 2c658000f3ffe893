/** The inbox, the e-mail preference, and an organisation's webhooks with their delivery log. */
import { z } from 'zod';
import { page } from '../../core/model.js';
import {
  listInbox,
  markAllRead,
  markRead,
  notificationSettings,
  setNotificationSettings,
  unreadCount,
} from '../../core/notifications/inbox.js';
import {
  InboxItem,
  NotificationSettings,
  NotificationSettingsInput,
  UnreadCount,
  Webhook,
  WebhookCreate,
  WebhookDelivery,
  WebhookEventInfo,
  WebhookWithSecret,
} from '../../core/notifications/model.js';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, testWebhook, webhookEvents } from '../../core/notifications/webhooks.js';
import { errors, IdParams, type App } from './types.js';

const Cursor = z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

export function notificationRoutes(app: App): void {
  const deps = app.deps;
  const inbox = ['notifications'];
  const webhooks = ['webhooks'];
  const allowPrivate = app.config.webhookAllowPrivate ?? false;

  app.get(
    '/api/v1/inbox',
    {
      schema: {
        tags: inbox,
        summary: '通知一覧 / Inbox (newest first; `unread=1` for unread only)',
        querystring: Cursor.extend({ unread: z.enum(['0', '1', 'true', 'false']).optional() }),
        response: { 200: page(InboxItem), ...errors },
      },
    },
    (req) =>
      listInbox(deps, req.actor, {
        cursor: req.query.cursor,
        limit: req.query.limit,
        unread: req.query.unread === '1' || req.query.unread === 'true',
      }),
  );

  app.get(
    '/api/v1/inbox/unread-count',
    { schema: { tags: inbox, summary: '未読件数 / Unread count', response: { 200: UnreadCount, ...errors } } },
    (req) => unreadCount(deps, req.actor),
  );

  app.post(
    '/api/v1/inbox/:id/read',
    { schema: { tags: inbox, summary: '既読にする / Mark read (answers the unread count left)', params: IdParams, response: { 200: UnreadCount, ...errors } } },
    (req) => markRead(deps, req.actor, req.params.id),
  );

  app.post(
    '/api/v1/inbox/read-all',
    { schema: { tags: inbox, summary: 'すべて既読にする / Mark all read', response: { 200: UnreadCount, ...errors } } },
    (req) => markAllRead(deps, req.actor),
  );

  app.get(
    '/api/v1/me/notifications',
    { schema: { tags: inbox, summary: 'メール通知の設定 / E-mail notification preference', response: { 200: NotificationSettings, ...errors } } },
    (req) => notificationSettings(deps, req.actor),
  );

  app.put(
    '/api/v1/me/notifications',
    {
      schema: {
        tags: inbox,
        summary: 'メール通知の設定を変更 / Change the e-mail preference (mandatory notices are mailed regardless)',
        body: NotificationSettingsInput,
        response: { 200: NotificationSettings, ...errors },
      },
    },
    (req) => setNotificationSettings(deps, req.actor, req.body, req.meta),
  );

  app.get(
    '/api/v1/webhooks/events',
    { schema: { tags: webhooks, summary: 'Webhook で送れるイベントと表示名 / Events a webhook can subscribe to, with their names (every signed-in user)', response: { 200: z.object({ items: z.array(WebhookEventInfo) }), ...errors } } },
    (req) => webhookEvents(req.actor),
  );

  app.get(
    '/api/v1/webhooks',
    { schema: { tags: webhooks, summary: '自組織の Webhook / Webhooks of your organisation (its administrators)', response: { 200: z.object({ items: z.array(Webhook) }), ...errors } } },
    (req) => listWebhooks(deps, req.actor),
  );

  app.post(
    '/api/v1/webhooks',
    {
      schema: {
        tags: webhooks,
        summary: 'Webhook を登録 / Register a webhook (the signing secret is answered this once)',
        body: WebhookCreate,
        response: { 201: WebhookWithSecret, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await createWebhook(deps, req.actor, req.body, { allowPrivate }, req.meta)),
  );

  app.delete(
    '/api/v1/webhooks/:id',
    { schema: { tags: webhooks, summary: 'Webhook を削除 / Remove a webhook', params: IdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await deleteWebhook(deps, req.actor, req.params.id, req.meta);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/webhooks/:id/deliveries',
    {
      schema: {
        tags: webhooks,
        summary: '配信ログ / Delivery log (newest first)',
        params: IdParams,
        querystring: Cursor,
        response: { 200: page(WebhookDelivery), ...errors },
      },
    },
    (req) => listDeliveries(deps, req.actor, req.params.id, req.query),
  );

  app.post(
    '/api/v1/webhooks/:id/test',
    {
      schema: {
        tags: webhooks,
        summary: 'テスト送信 / Send a signed `ping` (its outcome shows in the delivery log)',
        params: IdParams,
        response: { 202: WebhookDelivery, ...errors },
      },
    },
    async (req, reply) => {
      const delivery = await testWebhook(deps, req.actor, req.params.id, req.meta);
      app.notifications.worker.poke();
      return reply.code(202).send(delivery);
    },
  );
}
