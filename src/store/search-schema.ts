import type { Generated } from 'kysely';

/** The search index (migration 008): text of every searchable item, kept in step by triggers. */
export interface SearchTables {
  search_docs: {
    doc_id: Generated<number>;
    /** report, advisory, comment, consultation (full text), question (a widened consultation's summary), rulebook. */
    kind: string;
    item_id: string;
    title: string;
    body: string;
    /** Countermeasure information: its sectors as a JSON array. */
    sectors: string | null;
  };
}
