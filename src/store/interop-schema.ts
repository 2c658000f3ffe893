/** Tables of STIX/TAXII interoperability (migration 007), in the same conventions as schema.ts. */
export interface StixObjectsTable {
  /** TAXII date_added, microseconds since the epoch: unique, increasing, the paging key. */
  added_us: number;
  collection: string;
  stix_id: string;
  type: string;
  spec_version: string;
  version: string;
  version_us: number;
  is_first: number;
  is_last: number;
  source: string;
  item_id: string | null;
  stage: string;
  tlp: string;
  org_id: string | null;
  /** The object, serialised once: answers are assembled from these strings. */
  body: string;
}

export interface InteropTables {
  stix_objects: StixObjectsTable;
  stix_clock: { id: number; last_us: number };
  taxii_statuses: {
    id: string;
    collection: string;
    org_id: string;
    user_id: string;
    status: string;
    request_us: number;
    total_count: number;
    success_count: number;
    failure_count: number;
    pending_count: number;
    successes: string;
    failures: string;
    report_id: string | null;
  };
}
