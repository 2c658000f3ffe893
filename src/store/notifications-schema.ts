/** Tables of notifications (migration 006), in the same conventions as schema.ts. */
import type { Generated } from 'kysely';

export interface EventsTable {
  /** Handed out in commit order (see the repository's append). */
  id: Generated<number>;
  type: string;
  subject_type: string;
  subject_id: string;
  actor_user_id: string | null;
  audience: string;
  data: string;
  tlp: string | null;
  created_at: string;
}

export interface JobsTable {
  id: string;
  kind: string;
  key: string;
  payload: string;
  priority: number;
  run_at: string;
  attempts: number;
  locked_until: string | null;
  locked_by: string | null;
  done_at: string | null;
  failed: number;
  last_error: string | null;
  created_at: string;
}

export interface InboxTable {
  id: string;
  user_id: string;
  event_id: number;
  created_at: string;
  read_at: string | null;
  digest_pending: number;
}

export interface NotificationPreferencesTable {
  user_id: string;
  email: string;
  updated_at: string;
}

export interface WebhooksTable {
  id: string;
  org_id: string;
  url: string;
  events: string;
  description: string | null;
  secret: string;
  created_by: string;
  created_at: string;
  deleted_at: string | null;
}

export interface WebhookDeliveriesTable {
  id: string;
  webhook_id: string;
  event_id: number | null;
  event: string;
  status: string;
  attempts: number;
  response_status: number | null;
  error: string | null;
  created_at: string;
  delivered_at: string | null;
  next_attempt_at: string | null;
}

export interface NotificationTables {
  events: EventsTable;
  jobs: JobsTable;
  inbox: InboxTable;
  notification_preferences: NotificationPreferencesTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
