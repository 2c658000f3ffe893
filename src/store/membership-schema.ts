/** Tables of the membership feature (migration 002), in the same conventions as schema.ts. */

export interface RecruitmentPeriodsTable {
  number: number;
  opens_at: string;
  closes_at: string;
  decision_date: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApplicationsTable {
  id: string;
  period_number: number;
  status: string;
  access_token_hash: string;
  name_ja: string;
  name_en: string;
  name_ja_norm: string;
  name_en_norm: string;
  email_domain: string | null;
  category: string;
  sector: string | null;
  address: string | null;
  foreign_capital: number;
  foreign_capital_share: number | null;
  requested_class: string;
  contacts: string;
  reason: string;
  capabilities: string | null;
  quick_feedback_commitment: number;
  roster_consent: number;
  locale: string;
  decided_class: string | null;
  decision_reason: string | null;
  decided_at: string | null;
  org_id: string | null;
  admin_user_id: string | null;
  created_at: string;
  updated_at: string;
}

export interface ApplicationEventsTable {
  id: string;
  application_id: string;
  at: string;
  kind: string;
  role: string;
  actor_label: string;
  message: string | null;
  detail: string;
}

export interface ChangeNotificationsTable {
  id: string;
  org_id: string;
  status: string;
  changes: string;
  note: string | null;
  submitted_by: string;
  submitted_at: string;
  reviewed_by: string | null;
  reviewed_at: string | null;
  review_comment: string | null;
}

export interface ClassChangeRequestsTable {
  id: string;
  org_id: string;
  from_class: string;
  requested_class: string;
  reason: string;
  capabilities: string | null;
  quick_feedback_commitment: number;
  status: string;
  decided_class: string | null;
  decision_reason: string | null;
  submitted_by: string;
  submitted_at: string;
  decided_by: string | null;
  decided_at: string | null;
}

export interface MembershipEventsTable {
  id: string;
  org_id: string;
  at: string;
  kind: string;
  from_class: string | null;
  to_class: string | null;
  period_number: number | null;
  reason: string | null;
  actor_label: string;
}

export interface RulebooksTable {
  id: string;
  kind: string;
  version: number;
  title_ja: string;
  title_en: string;
  body_md: string;
  effective_at: string;
  created_at: string;
  created_by: string;
}

export interface RulebookAcceptancesTable {
  user_id: string;
  rulebook_id: string;
  accepted_at: string;
}

export interface RostersTable {
  id: string;
  as_of: string;
  published_at: string;
  entries: string;
  entry_count: number;
}

export interface PasswordSetupTokensTable {
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface MembershipTables {
  recruitment_periods: RecruitmentPeriodsTable;
  applications: ApplicationsTable;
  application_events: ApplicationEventsTable;
  change_notifications: ChangeNotificationsTable;
  class_change_requests: ClassChangeRequestsTable;
  membership_events: MembershipEventsTable;
  rulebooks: RulebooksTable;
  rulebook_acceptances: RulebookAcceptancesTable;
  rosters: RostersTable;
  password_setup_tokens: PasswordSetupTokensTable;
}
