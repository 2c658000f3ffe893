/**
 * Table types as Kysely sees them. Both dialects store the same shapes: timestamps as ISO-8601 UTC
 * text (sortable), booleans as 0/1 integers, JSON as text. Repositories convert to domain types.
 */
import type { Generated } from 'kysely';
import type { MembershipTables } from './membership-schema.js';
import type { SharingTables } from './sharing-schema.js';
import type { MarksTables } from './marks-schema.js';
import type { RequestTables } from './requests-schema.js';
import type { InteropTables } from './interop-schema.js';
import type { NotificationTables } from './notifications-schema.js';
import type { SearchTables } from './search-schema.js';

export interface OrganizationsTable {
  id: string;
  name_ja: string;
  name_en: string;
  category: string;
  sector: string | null;
  foreign_capital: number;
  member_class: string;
  designated: number;
  is_secretariat: number;
  active: number;
  created_at: string;
  updated_at: string;
  // Membership (migration 002).
  status: string;
  status_reason: string | null;
  special_approval_at: string | null;
  special_approval_reason: string | null;
  foreign_capital_share: number | null;
  roster_consent: number;
  period_joined: number | null;
  contacts: string;
}

export interface UsersTable {
  id: string;
  org_id: string;
  login: string;
  display_name: string;
  email: string;
  role: string;
  locale: string;
  password_hash: string;
  totp_secret: string | null;
  totp_pending_secret: string | null;
  totp_last_step: number | null;
  active: number;
  last_login_at: string | null;
  created_at: string;
  /** Steering committee member (migration 002). */
  is_committee: number;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  prefix: string;
  read_only: number;
  expires_at: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  login: string;
  ip: string | null;
  at: string;
}

export interface AuditLogTable {
  seq: number;
  at: string;
  actor_user_id: string | null;
  actor_org_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  detail: string;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}

export interface SettingsTable {
  key: string;
  value: string;
}

export interface Database extends SharingTables, MembershipTables, MarksTables, RequestTables, SearchTables, NotificationTables, InteropTables {
  organizations: OrganizationsTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_failures: LoginFailuresTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  settings: SettingsTable;
}
