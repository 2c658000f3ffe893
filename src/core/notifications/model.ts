/**
 * Notifications: what happened (events), who hears of it (inbox, e-mail, webhooks, the live stream), and the shapes
 * the HTTP API answers with. The zod schemas are the single source of the API's request and response shapes.
 */
import { z } from 'zod';

/**
 * Every kind of event, in the order the web UI lists them. `webhook`: organisations may subscribe a webhook to it.
 * `mandatory`: mailed at once whatever the user's preference (deadlines and legal requests cannot be switched off).
 * `emailOnly`: goes to people outside the council (a consulter, an applicant) by e-mail only.
 */
export const eventCatalogue = {
  'advisory.released': { webhook: true, mandatory: false, emailOnly: false },
  'feedback.requested': { webhook: true, mandatory: true, emailOnly: false },
  'feedback.reminder': { webhook: true, mandatory: true, emailOnly: false },
  'feedback.closed': { webhook: true, mandatory: true, emailOnly: false },
  'report.created': { webhook: true, mandatory: false, emailOnly: false },
  'report.replied': { webhook: true, mandatory: false, emailOnly: false },
  'request.issued': { webhook: true, mandatory: true, emailOnly: false },
  'request.reminder': { webhook: true, mandatory: true, emailOnly: false },
  'request.closed': { webhook: true, mandatory: true, emailOnly: false },
  'consultation.received': { webhook: false, mandatory: false, emailOnly: false },
  'consultation.widened': { webhook: true, mandatory: false, emailOnly: false },
  'consultation.contributed': { webhook: false, mandatory: false, emailOnly: false },
  'consultation.answered': { webhook: false, mandatory: true, emailOnly: true },
  'application.decided': { webhook: false, mandatory: true, emailOnly: true },
  'change.decided': { webhook: true, mandatory: false, emailOnly: false },
  'class_change.decided': { webhook: true, mandatory: false, emailOnly: false },
} as const satisfies Record<string, { webhook: boolean; mandatory: boolean; emailOnly: boolean }>;

export type EventType = keyof typeof eventCatalogue;
export const eventTypes = Object.keys(eventCatalogue) as EventType[];
export const EventType = z.enum(eventTypes as [EventType, ...EventType[]]);

export const webhookEventTypes = eventTypes.filter((t) => eventCatalogue[t].webhook);
export const WebhookEventType = z.enum(webhookEventTypes as [EventType, ...EventType[]]);
export const mandatoryEventTypes = eventTypes.filter((t) => eventCatalogue[t].mandatory && !eventCatalogue[t].emailOnly);

/** E-mail preference: every notice at once, one digest a day, or none (mandatory notices are mailed all the same). */
export const EmailPreference = z.enum(['immediate', 'digest', 'off']);
export type EmailPreference = z.infer<typeof EmailPreference>;

export const NotificationSettings = z.object({
  email: EmailPreference,
  /** Event types mailed at once whatever the preference. */
  mandatory: z.array(z.string()),
});
export type NotificationSettings = z.infer<typeof NotificationSettings>;

export const NotificationSettingsInput = z.object({ email: EmailPreference }).strict();

export const InboxItem = z.object({
  id: z.string(),
  kind: z.string(),
  /** In the reader's language. */
  title: z.string(),
  body: z.string().optional(),
  /** Path in the web UI. */
  link: z.string(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});
export type InboxItem = z.infer<typeof InboxItem>;

export const UnreadCount = z.object({ count: z.number().int() });

/** One notice on the live stream (`event: notification`, the `id:` line is `eventId`). */
export const StreamNotice = z.object({
  eventId: z.number().int(),
  kind: z.string(),
  title: z.string(),
  body: z.string().optional(),
  link: z.string(),
  subject: z.object({ type: z.string(), id: z.string() }),
  createdAt: z.string(),
});
export type StreamNotice = z.infer<typeof StreamNotice>;

export const WebhookCreate = z
  .object({
    url: z.string().trim().min(1).max(2000),
    events: z.array(WebhookEventType).min(1).max(eventTypes.length),
    description: z.string().trim().max(200).optional(),
  })
  .strict();
export type WebhookCreate = z.infer<typeof WebhookCreate>;

export const Webhook = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  description: z.string().nullable(),
  createdAt: z.string(),
  createdBy: z.string(),
});
export type Webhook = z.infer<typeof Webhook>;

/** Answered once, at registration: the receiver verifies signatures with it. */
export const WebhookWithSecret = Webhook.extend({ secret: z.string() });
export type WebhookWithSecret = z.infer<typeof WebhookWithSecret>;

export const DeliveryStatus = z.enum(['pending', 'delivered', 'retrying', 'failed', 'cancelled']);
export type DeliveryStatus = z.infer<typeof DeliveryStatus>;

export const WebhookDelivery = z.object({
  id: z.string(),
  /** The event type, or `ping` for a test delivery. */
  event: z.string(),
  status: DeliveryStatus,
  attempts: z.number().int(),
  responseStatus: z.number().int().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
});
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

export const WebhookEventInfo = z.object({ name: z.string(), ja: z.string(), en: z.string() });
