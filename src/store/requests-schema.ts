/** Table types of large-scale attack mode, information requests, consultations and the ledger (migration 004). */
export interface RequestTables {
  campaigns: {
    id: string;
    title: string;
    description: string;
    status: string;
    declared_at: string;
    declared_by: string;
    ended_at: string | null;
    ended_by: string | null;
    end_note: string | null;
    created_at: string;
    updated_at: string;
  };
  info_requests: {
    id: string;
    campaign_id: string;
    title: string;
    body: string;
    audience: string;
    deadline: string;
    status: string;
    org_id: string;
    user_id: string;
    closed_at: string | null;
    created_at: string;
    updated_at: string;
  };
  info_request_recipients: { request_id: string; org_id: string };
  info_request_answers: {
    id: string;
    request_id: string;
    org_id: string;
    user_id: string;
    kind: string;
    text: string | null;
    reason: string | null;
    observables: string;
    late: number;
    answered_at: string;
    updated_at: string;
  };
  consultations: {
    id: string;
    token_hash: string;
    name: string;
    organization: string | null;
    email: string;
    locale: string;
    body: string;
    observables: string;
    status: string;
    consent_at: string | null;
    widened_at: string | null;
    widened_by: string | null;
    widened_stage: string | null;
    summary: string | null;
    report_id: string | null;
    converted_at: string | null;
    created_at: string;
    updated_at: string;
  };
  consultation_messages: {
    id: string;
    consultation_id: string;
    author: string;
    org_id: string | null;
    user_id: string | null;
    body: string;
    relayed_at: string | null;
    relayed_by: string | null;
    created_at: string;
  };
  consultation_challenges: { hash: string; expires_at: string };
  ledger_entries: { id: string; org_id: string; kind: string; ref_id: string; item_id: string; at: string };
}
