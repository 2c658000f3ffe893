/**
 * What the dashboards and the home page need from storage (implemented in src/store/insight-repos.ts): counts and
 * groupings done by the database, each under the access policy's filter where it concerns shared items.
 */
import type { ReadFilter } from '../policy.js';
import type { FeedbackAnswer, Stage, Tlp } from '../sharing/model.js';
import type { LedgerKind } from '../sharing/requests-model.js';

/** A list query under the access policy (see `visibleWhere` in the store). */
export interface Visible {
  filter: ReadFilter;
  userId: string | undefined;
}

/** One release to Type 2: the item as it is now, and the version that was released. */
export interface Type2ReleaseRow {
  advisoryId: string;
  title: string;
  tlp: Tlp;
  stage: Stage;
  orgId: string;
  version: number;
  releasedAt: string;
  deadline: string;
}

/** The answers to these versions (advisoryId + version). */
export type VersionKey = { advisoryId: string; version: number };

export interface ItemRow {
  id: string;
  title: string;
  stage: Stage;
  tlp: Tlp;
  /** Released (items) or sent in (reports). */
  at: string;
}

export interface InsightRepos {
  /** Countermeasure items the filter admits, counted per stage and TLP. */
  advisoriesByStage(q: Visible): Promise<{ stage: Stage; tlp: Tlp; n: number }[]>;
  /**
   * Releases to Type 2 of items the filter admits: released in [from, to) newest first (`by: 'release'`), or with
   * their deadline in [from, to) (`by: 'deadline'`).
   */
  type2Releases(q: Visible & { by: 'release' | 'deadline'; from: string; to: string; limit: number }): Promise<Type2ReleaseRow[]>;
  /** Answers per version, sector group (sector, else category) and answer. */
  feedbackBySector(keys: readonly VersionKey[]): Promise<(VersionKey & { group: string; answer: FeedbackAnswer; n: number })[]>;
  /** Answers given in time per version, UTC hour (`YYYY-MM-DDTHH`) and answer. */
  feedbackByHour(keys: readonly VersionKey[]): Promise<(VersionKey & { hour: string; answer: FeedbackAnswer; n: number })[]>;
  /** Who answered these versions, and whether late. */
  feedbackAnswerers(keys: readonly VersionKey[]): Promise<(VersionKey & { orgId: string; late: boolean })[]>;
  /**
   * Items written from a report sent in during [from, to), both readable under the filter, with the first release to
   * each stage; newest report first.
   */
  leadTimes(q: Visible & { from: string; to: string; limit: number }): Promise<
    { advisoryId: string; title: string; reportId: string; reportedAt: string; firstRelease: Partial<Record<Stage, string>> }[]
  >;
  /**
   * Items open for feedback (released to Type 2 or further) whose deadline is at or after `deadlineFrom`, with when
   * `orgId` answered their current version (null: not yet); soonest deadline first.
   */
  feedbackDeadlines(q: Visible & { orgId: string; deadlineFrom: string; limit: number }): Promise<
    (Omit<Type2ReleaseRow, 'releasedAt'> & { answeredAt: string | null })[]
  >;
  /** Items released and reports sent in since `since` (not the organisation's own), newest first, and how many. */
  newItems(q: Visible & { excludeOrgId: string; since: string; limit: number }): Promise<{
    advisories: { total: number; items: ItemRow[] };
    reports: { total: number; items: ItemRow[] };
  }>;
  /**
   * Open consultations (not turned into reports) waiting for the Type 1 group: no answer yet, the consulter wrote
   * again, or a member's answer is to be passed on. Newest first, with the time of the last message.
   */
  waitingConsultations(limit: number): Promise<{ total: number; items: { id: string; body: string; at: string }[] }>;
  /** An organisation's ledger entries since `from`, per month in Japan time (`YYYY-MM`) and kind. */
  ledgerByMonth(q: { orgId: string; from: string }): Promise<{ month: string; kind: LedgerKind; n: number }[]>;
}
