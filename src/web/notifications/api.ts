/**
 * Client of the inbox (/api/v1/inbox), the e-mail preference (/api/v1/me/notifications) and an organisation's
 * webhooks (/api/v1/webhooks). Shapes come from src/core/notifications/model.ts (type-only: no zod in the bundle).
 */
import type {
  DeliveryStatus,
  EmailPreference,
  InboxItem,
  NotificationSettings,
  StreamNotice,
  Webhook,
  WebhookDelivery,
  WebhookWithSecret,
} from '../../core/notifications/model.js';
import { request, type Page } from '../api.js';

export type { DeliveryStatus, EmailPreference, InboxItem, NotificationSettings, StreamNotice, Webhook, WebhookDelivery, WebhookWithSecret };

/** What the registration form sends: event names as the server listed them (it checks them again). */
export interface WebhookInput {
  url: string;
  events: string[];
  description?: string;
}

export interface EventName {
  name: string;
  ja: string;
  en: string;
}

/** In the order the preference screen offers them. */
export const emailPreferences = ['immediate', 'digest', 'off'] as const satisfies readonly EmailPreference[];

/** Query keys: the live stream refreshes everything under `inboxKeys.all`. */
export const inboxKeys = {
  all: ['notifications'] as const,
  unread: ['notifications', 'unread-count'] as const,
  lists: ['notifications', 'inbox'] as const,
  list: (unreadOnly: boolean) => ['notifications', 'inbox', unreadOnly] as const,
};

export const webhookKeys = {
  all: ['webhooks'] as const,
  events: ['webhooks', 'events'] as const,
  deliveries: (id: string) => ['webhooks', 'deliveries', id] as const,
};

const path = (id: string) => `/webhooks/${encodeURIComponent(id)}`;

export const notificationsApi = {
  unreadCount: () => request<{ count: number }>('GET', '/inbox/unread-count'),
  inbox: (q: { cursor?: string | undefined; unreadOnly: boolean }) =>
    request<Page<InboxItem>>('GET', '/inbox', { query: { cursor: q.cursor, unread: q.unreadOnly ? 1 : undefined, limit: 20 } }),
  markRead: (id: string) => request<{ count: number }>('POST', `/inbox/${encodeURIComponent(id)}/read`),
  markAllRead: () => request<{ count: number }>('POST', '/inbox/read-all'),

  settings: () => request<NotificationSettings>('GET', '/me/notifications'),
  saveSettings: (email: EmailPreference) => request<NotificationSettings>('PUT', '/me/notifications', { body: { email } }),

  /** Every event a webhook may carry, named in both languages (the mandatory notices are among them). */
  events: () => request<{ items: EventName[] }>('GET', '/webhooks/events'),
  webhooks: () => request<{ items: Webhook[] }>('GET', '/webhooks'),
  createWebhook: (body: WebhookInput) => request<WebhookWithSecret>('POST', '/webhooks', { body }),
  deleteWebhook: (id: string) => request<undefined>('DELETE', path(id)),
  testWebhook: (id: string) => request<WebhookDelivery>('POST', `${path(id)}/test`),
  deliveries: (id: string, cursor?: string) => request<Page<WebhookDelivery>>('GET', `${path(id)}/deliveries`, { query: { cursor, limit: 20 } }),
};

/** An event's name in the UI's language (the raw name if the server does not know it). */
export function eventName(events: readonly EventName[] | undefined, name: string, lang: string): string {
  const e = events?.find((x) => x.name === name);
  return e ? (lang === 'en' ? e.en : e.ja) : name;
}
