/**
 * `npm run bench [-- --quick | --full] [--db sqlite,postgres] [--only name,…]`: measures what kyogikai exists to
 * do, each figure beside a baseline measured in the same run on the same machine, and prints one Markdown table
 * (also written as JSON under bench/results/). Timings are never asserted in `npm test`; they live here.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { fmt } from './lib/stats.js';
import type { BenchContext, Row, Size, Workload } from './lib/types.js';
import { listing } from './workloads/listing.js';
import { startup } from './workloads/startup.js';
import { load } from './workloads/load.js';
import { fanout } from './workloads/fanout.js';
import { taxiiIngest, taxiiPaging } from './workloads/taxii.js';
import { searchWorkload } from './workloads/search.js';

const workloads: Workload[] = [taxiiIngest, taxiiPaging, listing, searchWorkload, fanout, load, startup];

function table(rows: Row[]): string {
  const head = '| workload | database | size | figure | baseline | ratio | goal | met | peak RSS |';
  const rule = '|---|---|---|---|---|---|---|---|---|';
  const line = (r: Row) =>
    `| ${r.workload} | ${r.database} | ${r.size} | ${r.figure} | ${r.baseline} | ${r.ratio === null ? '' : fmt(r.ratio, 2)} | ${r.goal} | ${
      r.met === null ? '' : r.met ? 'yes' : '**no**'
    } | ${r.peakRssMb === null ? '' : `${r.peakRssMb} MB`} |`;
  return [head, rule, ...rows.map(line)].join('\n');
}

async function main(): Promise<void> {
  const opts = new Command()
    .option('--quick', 'small sizes: a run under two minutes')
    .option('--full', 'the 1,000,000-object sizes')
    .option('--db <list>', 'databases to run on', 'sqlite,postgres')
    .option('--only <list>', 'workloads to run (names as printed)')
    .option('--pg <url>', 'PostgreSQL server for throw-away databases', process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres')
    .parse(process.argv)
    .opts<{ quick?: boolean; full?: boolean; db: string; only?: string; pg: string }>();
  const size: Size = opts.full ? 'full' : opts.quick ? 'quick' : 'default';
  const only = opts.only?.split(',').map((s) => s.trim());
  const chosen = workloads.filter((w) => !only || only.some((o) => w.name.includes(o)));
  const rows: Row[] = [];
  const started = Date.now();
  for (const database of opts.db.split(',') as BenchContext['database'][]) {
    for (const w of chosen) {
      const ctx: BenchContext = { size, database, pgBaseUrl: opts.pg, log: (m) => process.stderr.write(`[${database}] ${m}\n`) };
      ctx.log(`${w.name}…`);
      try {
        rows.push(...(await w.run(ctx)));
      } catch (err) {
        rows.push({ workload: w.name, database, size: '', figure: `failed: ${(err as Error).message}`, baseline: '', ratio: null, goal: '', met: false, peakRssMb: null });
      }
    }
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const md = table(rows);
  const notes = rows.filter((r) => r.notes).map((r) => `- ${r.workload} (${r.database}): ${r.notes}`);
  process.stdout.write(`\n${md}\n\n${notes.join('\n')}\n\n${size} run on ${machine}, ${Math.round((Date.now() - started) / 1000)} s\n`);
  const dir = fileURLToPath(new URL('./results/', import.meta.url));
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  writeFileSync(`${dir}${stamp}-${size}.json`, JSON.stringify({ at: new Date().toISOString(), size, machine, rows }, null, 2));
  // The bench must not hang on a pool or a child left open.
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
