/** Table of the confidentiality marks (migration 005), in the same conventions as schema.ts. */
export interface MarksTable {
  id: string;
  org_id: string;
  user_id: string;
  item_type: string;
  item_id: string;
  version: number | null;
  tlp: string;
  format: string;
  created_at: string;
}

export interface MarksTables {
  marks: MarksTable;
}
