/** What search needs from storage (src/store/search-repos.ts). */
import type { Locale } from '../messages.js';
import type { ReadFilter } from '../policy.js';
import type { Observable, Stage, Tlp } from '../sharing/model.js';
import type { SearchKind } from './model.js';

/** What the reader may see, as the policy decides it; the store turns it into SQL. */
export interface SearchScope {
  filter: ReadFilter;
  userId: string | undefined;
  /** Comments of readable reports with these audiences. */
  commentAudiences: readonly string[];
  /** The full text of consultations (the Type 1 group). */
  consultations: boolean;
  /** Summaries of consultations widened to these stages (members asked; unused when `consultations`). */
  questionStages: readonly Stage[];
}

export interface SearchFilters {
  kind?: SearchKind | undefined;
  stage?: Stage | undefined;
  tlp?: Tlp | undefined;
  /** UTC ISO instants, inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  sector?: string | undefined;
}

export interface SearchRequest {
  /** Every term must appear (case-insensitive substring of the title or the text). */
  terms: readonly string[];
  scope: SearchScope;
  filters: SearchFilters;
  locale: Locale;
}

export interface SearchHit {
  kind: SearchKind;
  id: string;
  /** A consultation seen through its widened summary (the members asked), not in full. */
  question: boolean;
  title: string;
  stage: Stage | null;
  tlp: Tlp | null;
  createdAt: string;
  /** A comment's report. */
  reportId: string | null;
  /** Higher is better: hits in the title count five times. */
  score: number;
  /** The searched text the snippet comes from. */
  body: string;
}

export interface LookupRow extends Observable {
  kind: 'report' | 'advisory';
  id: string;
  title: string;
  stage: Stage;
  tlp: Tlp;
  seenAt: string;
  /** Over every visible holder of the value. */
  total: number;
  firstSeen: string;
  lastSeen: string;
}

export interface SearchRepos {
  /**
   * Ranked hits, best first (then newest), after the keyset `after`; with `counted`, also the number of visible hits
   * per kind (for every kind, whatever `filters.kind` says) — in the same pass.
   */
  find(q: SearchRequest & { after?: { score: number; id: string } | undefined; limit: number; counted: boolean }): Promise<{
    hits: SearchHit[];
    counts?: Record<SearchKind, number> | undefined;
  }>;
  /** Visible items holding each value (one query for the batch), the newest `perValue` per value. */
  holders(q: { values: readonly Observable[]; filter: ReadFilter; userId: string | undefined; perValue: number }): Promise<LookupRow[]>;
}
