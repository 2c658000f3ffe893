/** One line of the bench table: a measured figure beside its baseline from the same run on the same machine. */
export interface Row {
  workload: string;
  database: 'sqlite' | 'postgres';
  size: string;
  /** What was measured, with its unit (e.g. "p95 4.1 ms"). */
  figure: string;
  baseline: string;
  /** figure ÷ baseline (or baseline ÷ figure for rates), as the goal states it; null when there is no baseline. */
  ratio: number | null;
  /** The goal the issue sets, as text ("≥ 0.30"), or "" when there is none. */
  goal: string;
  /** Did the ratio reach the goal (null without a goal). */
  met: boolean | null;
  /** Peak resident memory of the process that served the workload, in MB. */
  peakRssMb: number | null;
  notes?: string;
}

export type Size = 'quick' | 'default' | 'full';

export interface BenchContext {
  size: Size;
  database: 'sqlite' | 'postgres';
  /** PostgreSQL server to create throw-away databases on. */
  pgBaseUrl: string;
  log(message: string): void;
}

export interface Workload {
  name: string;
  run(ctx: BenchContext): Promise<Row[]>;
}
