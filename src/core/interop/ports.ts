/** What STIX/TAXII interoperability needs from storage (implemented in src/store/interop-repos.ts). */
import type { ReadFilter } from '../policy.js';
import type { Stage, Tlp } from '../sharing/model.js';

/** Where a stored object came from: it decides which policy facts follow the item when it changes. */
export type StixSource = 'advisory' | 'report' | 'feedback' | 'shared' | 'inbox';

/** One object version to store in one collection. */
export interface StixEntry {
  collection: string;
  stixId: string;
  type: string;
  specVersion: string;
  /** `modified`, else `created`, as written in the object; null when it has neither (most SCOs): date_added stands in. */
  version: string | null;
  /** The same in microseconds since the epoch. */
  versionUs: number | null;
  source: StixSource;
  /** The report or countermeasure item the object came from (TLP:RED recipients are looked up by it). */
  itemId: string | null;
  stage: Stage;
  tlp: Tlp;
  orgId: string | null;
  body: string;
}

/** What a manifest or a version list says of a stored object version. */
export interface StixRecord {
  stixId: string;
  type: string;
  specVersion: string;
  version: string;
  /** date_added in microseconds. */
  addedUs: number;
}

/** A stored object version as served: its JSON, and its date_added (the paging key). */
export interface StixBody {
  addedUs: number;
  body: string;
}

/** match[version]: any of first, last, all, or given versions (microseconds). */
export interface VersionMatch {
  all: boolean;
  first: boolean;
  last: boolean;
  at: readonly number[];
}

/** Objects of a collection under the access policy, in ascending date_added. */
export interface StixQuery {
  collection: string;
  filter: ReadFilter;
  userId: string | undefined;
  /** Only objects added after this (microseconds): added_after and the paging key, whichever is later. */
  afterUs?: number;
  ids?: readonly string[];
  types?: readonly string[];
  specVersions?: readonly string[];
  versions: VersionMatch;
  limit: number;
  /** Leave out objects from these sources (feedback, for readers who may not see the tally). */
  withoutSources?: readonly StixSource[];
}

export interface StatusDetail {
  id: string;
  version: string;
  message?: string;
}

export interface TaxiiStatusRecord {
  id: string;
  collection: string;
  orgId: string;
  userId: string;
  status: 'pending' | 'complete';
  requestUs: number;
  totalCount: number;
  successCount: number;
  failureCount: number;
  pendingCount: number;
  successes: StatusDetail[];
  failures: StatusDetail[];
  reportId: string | null;
}

export interface InteropRepos {
  stix: {
    /**
     * Store object versions, each with its own date_added (unique and increasing across the store, never before
     * `nowUs`). A version the collection already holds is skipped. Returns each entry's date_added, or null if skipped.
     */
    add(entries: readonly StixEntry[], nowUs: number): Promise<(number | null)[]>;
    list(q: StixQuery): Promise<StixRecord[]>;
    /** The same objects as `list`, as their JSON only: an objects page reads no column it does not send. */
    bodies(q: StixQuery): Promise<StixBody[]>;
    /** Which of these objects the collection holds (in any version, visible or not). */
    present(collection: string, stixIds: readonly string[]): Promise<Set<string>>;
    /** Delete the matching visible versions of one object; returns how many went. */
    remove(q: Omit<StixQuery, 'ids' | 'types' | 'afterUs' | 'limit'> & { stixId: string }): Promise<number>;
    /** Keep the policy facts of the objects from an item in step with the item. */
    setFacts(itemId: string, facts: { stage?: Stage; tlp?: Tlp }, sources: readonly StixSource[]): Promise<void>;
  };
  statuses: {
    insert(s: TaxiiStatusRecord): Promise<void>;
    byId(id: string): Promise<TaxiiStatusRecord | undefined>;
  };
}
