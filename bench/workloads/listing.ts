/**
 * Policy-filtered listing: the newest 50 reports visible to one organisation of each class among many of mixed
 * stages and TLPs. Baseline: the same repository query with a filter that lets everything through, so the ratio
 * is the price of the policy alone.
 */
import { readFilter } from '../../src/core/policy.js';
import type { UserKey } from '../../src/test/sharing-council.js';
import { createBenchCouncil, insertReports } from '../lib/council.js';
import { fmt, median, percentile, timed } from '../lib/stats.js';
import type { BenchContext, Row, Workload } from '../lib/types.js';

const sizes = { quick: 10_000, default: 100_000, full: 1_000_000 };
const rounds = { quick: 60, default: 200, full: 200 };
const classes: UserKey[] = ['designated', 'type1', 'type2', 'general'];
const PAGE = 50;

export const listing: Workload = {
  name: 'policy-filtered listing',
  async run(ctx: BenchContext): Promise<Row[]> {
    const size = sizes[ctx.size];
    const council = await createBenchCouncil(ctx);
    try {
      ctx.log(`listing: inserting ${size.toLocaleString('en-US')} reports`);
      await insertReports(council, size);
      const reports = council.deps.store.read.sharing.reports;
      const rows: Row[] = [];
      for (const key of classes) {
        const actor = await council.actor(key);
        const filtered = { filter: readFilter(actor), userId: actor.userId, limit: PAGE + 1 };
        const everything = { filter: [{}], userId: actor.userId, limit: PAGE + 1 };
        const withPolicy: number[] = [];
        const without: number[] = [];
        for (let i = 0; i < rounds[ctx.size]; i++) {
          // Interleaved, so drift on a shared machine touches both alike.
          withPolicy.push((await timed(() => reports.list(filtered))).ms);
          without.push((await timed(() => reports.list(everything))).ms);
        }
        const p95 = percentile(withPolicy, 95);
        const base = percentile(without, 95);
        rows.push({
          workload: `listing, newest ${PAGE} (${key})`,
          database: ctx.database,
          size: size.toLocaleString('en-US'),
          figure: `median ${fmt(median(withPolicy), 2)} ms, p95 ${fmt(p95, 2)} ms`,
          baseline: `median ${fmt(median(without), 2)} ms, p95 ${fmt(base, 2)} ms (no filter)`,
          ratio: p95 / base,
          goal: 'p95 ≤ 2×',
          met: p95 <= 2 * base,
          peakRssMb: null,
          notes: 'in-process: repository query, no HTTP',
        });
      }
      return rows;
    } finally {
      await council.drop();
    }
  },
};
