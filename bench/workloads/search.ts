/**
 * Search over 100,000 reports: one Japanese word (in about 1% of them, inside longer text) and a batch of 100
 * observables, as a Type 2 analyst, through the use cases the API calls. Baselines: the same index query without
 * the policy (the platform's own view), and the same look-up as a plain indexed IN query on the observables table.
 */
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { system } from '../../src/core/actor.js';
import { lookupObservables } from '../../src/core/search/lookup.js';
import { SearchQuery } from '../../src/core/search/model.js';
import { search, searchScope } from '../../src/core/search/search.js';
import { parseTerms } from '../../src/core/search/text.js';
import { createBenchCouncil, insertReports, refreshStatistics, type BenchCouncil } from '../lib/council.js';
import { fmt, median, percentile, timed } from '../lib/stats.js';
import type { BenchContext, Row, Workload } from '../lib/types.js';

const sizes = { quick: 10_000, default: 100_000, full: 100_000 };
const ROUNDS = 40;
const WORD = 'エモテット';

const ip = (i: number): string => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;

/** One observable per report, the way the sharing use cases store them (normalised). */
async function insertObservables(council: BenchCouncil, count: number): Promise<void> {
  const reports = await council.conn.db.selectFrom('reports').select(['id', 'created_at']).orderBy('id').execute();
  await council.conn.db.transaction().execute(async (trx) => {
    for (let i = 0; i < Math.min(count, reports.length); i += 1000) {
      const rows = reports.slice(i, i + 1000).map((r, k) => ({ id: uuidv7(), item_kind: 'report', item_id: r.id, type: 'ipv4', value: ip(i + k), created_at: r.created_at }));
      await trx.insertInto('observables').values(rows).execute();
    }
  });
}

const stats = (samples: number[]): string => `median ${fmt(median(samples), 1)} ms, p95 ${fmt(percentile(samples, 95), 1)} ms`;

export const searchWorkload: Workload = {
  name: 'search',
  async run(ctx: BenchContext): Promise<Row[]> {
    const size = sizes[ctx.size];
    const council = await createBenchCouncil(ctx);
    try {
      ctx.log(`search: inserting and indexing ${size.toLocaleString('en-US')} reports`);
      await insertReports(council, size, 2, (i) =>
        i % 100 === 7
          ? { title: `不審なメール ${i}`, description: `添付ファイルを開くと${WORD}に感染する恐れがある。報告 ${i}` }
          : { title: `不審な通信 ${i}`, description: `外部への不審な通信を検知。報告 ${i}、調査中。` },
      );
      await insertObservables(council, size);
      await refreshStatistics(council);
      const actor = await council.actor('type2');
      const deps = council.deps;
      const query = SearchQuery.parse({ q: WORD });
      const terms = parseTerms(WORD) ?? [];
      const everything = searchScope(system('bench'));
      const batch = Array.from({ length: 100 }, (_, k) => ip(Math.floor((k * size) / 100) + 3)).join('\n');
      const values = batch.split('\n');

      const word: number[] = [];
      const wordBase: number[] = [];
      const lookup: number[] = [];
      const lookupBase: number[] = [];
      for (let i = 0; i < ROUNDS; i++) {
        word.push((await timed(() => search(deps, actor, query, 'ja'))).ms);
        wordBase.push((await timed(() => deps.store.read.search.find({ terms, scope: everything, filters: {}, locale: 'ja', limit: 21, counted: true }))).ms);
        lookup.push((await timed(() => lookupObservables(deps, actor, { values: batch }))).ms);
        lookupBase.push(
          (await timed(() => sql`select item_id, value from observables where type = 'ipv4' and value in (${sql.join(values)})`.execute(council.conn.db))).ms,
        );
      }
      const base = { database: ctx.database, size: `${size.toLocaleString('en-US')} reports`, goal: '', met: null, peakRssMb: null, notes: 'in-process: the use case the API calls' };
      return [
        { ...base, workload: `search: one Japanese word (${WORD}, in 1%)`, figure: stats(word), baseline: `${stats(wordBase)} (no policy)`, ratio: percentile(word, 95) / percentile(wordBase, 95) },
        { ...base, workload: 'search: look-up of 100 observables', figure: stats(lookup), baseline: `${stats(lookupBase)} (plain IN query)`, ratio: percentile(lookup, 95) / percentile(lookupBase, 95) },
      ];
    } finally {
      await council.drop();
    }
  },
};
