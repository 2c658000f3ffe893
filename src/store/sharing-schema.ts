/** Table types of the sharing feature (migration 003). */
export interface SharingTables {
  reports: {
    id: string;
    org_id: string;
    user_id: string;
    stage: string;
    tlp: string;
    kind: string;
    certainty: string;
    confidence: string;
    is_consultation: number;
    is_original: number;
    provider_named: number;
    title: string;
    description: string;
    attack_source: string | null;
    technique: string | null;
    objective: string | null;
    status: string;
    created_at: string;
    updated_at: string;
  };
  item_recipients: { item_id: string; user_id: string };
  observables: { id: string; item_kind: string; item_id: string; type: string; value: string; created_at: string };
  attachments: { id: string; report_id: string; filename: string; media_type: string; size: number; sha256: string; created_at: string };
  comments: { id: string; report_id: string; org_id: string; user_id: string; kind: string; audience: string; body: string; created_at: string };
  corroborations: { report_id: string; org_id: string; user_id: string; note: string | null; created_at: string };
  report_links: { from_id: string; to_id: string; user_id: string; created_at: string };
  advisories: {
    id: string;
    org_id: string;
    user_id: string;
    stage: string;
    tlp: string;
    version: number;
    title: string;
    source_report_id: string | null;
    feedback_deadline: string | null;
    released_at: string | null;
    created_at: string;
    updated_at: string;
  };
  advisory_versions: { advisory_id: string; version: number; content: string; user_id: string; note: string | null; created_at: string };
  releases: {
    id: string;
    advisory_id: string;
    version: number;
    from_stage: string;
    to_stage: string;
    user_id: string;
    org_id: string;
    feedback_deadline: string | null;
    confirmed_flags: string;
    created_at: string;
  };
  feedback: {
    id: string;
    advisory_id: string;
    version: number;
    org_id: string;
    user_id: string;
    answer: string;
    comment: string | null;
    sightings: string;
    late: number;
    answered_at: string;
    updated_at: string;
  };
}
