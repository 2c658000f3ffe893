/**
 * TAXII 2.1 through HTTP, against a real server process.
 * - Ingest: 10,000 STIX indicators POSTed in envelopes of 1,000 to an organisation's inbox collection, until every
 *   status is complete. Baseline: the same number of rows inserted straight into the objects table in one
 *   transaction. The notes add the rows the ingest wrote per object and its HTTP floor: the same envelopes POSTed
 *   to a bare Node server that only parses them.
 * - Paging: a collection of 10,000 / 100,000 / 1,000,000 objects read with limit=1000, following `next`.
 *   Baseline: the same rows read by a plain indexed SELECT in pages of 1,000, in this process. The notes add the
 *   HTTP floor: the same page from a bare Node server, which shows how much of the gap is HTTP and JSON alone.
 * The client is Node's HTTP agent over one keep-alive connection (bench/lib/http-client.ts), for both.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { audienceCollectionId, inboxCollectionId } from '../../src/core/interop/collections.js';
import { stixEntry } from '../../src/core/interop/publish.js';
import { createBenchCouncil, fillMembersCollection, indicator, type BenchCouncil } from '../lib/council.js';
import { BARE_SERVER, freePort, spawnUntilHealthy, startBenchServer, tokenFor } from '../lib/server.js';
import { request } from '../lib/http-client.js';
import { fmt, median, since } from '../lib/stats.js';
import type { BenchContext, Row, Workload } from '../lib/types.js';

const TAXII = 'application/taxii+json;version=2.1';
const ENVELOPE = 1000;
const ingestSizes = { quick: 2_000, default: 10_000, full: 10_000 };
const pagingSizes = { quick: [10_000], default: [10_000, 100_000], full: [10_000, 100_000, 1_000_000] };

/**
 * POST `objects` in envelopes of ENVELOPE to `url`, each answered and its status complete before the next; the
 * milliseconds taken. `warmUp` objects go first, untimed, then `beforeClock` runs.
 */
async function postEnvelopes(
  url: string,
  headers: Record<string, string>,
  objects: unknown[],
  warmUp: unknown[],
  beforeClock: () => Promise<void> = async () => {},
): Promise<number> {
  const post = (list: unknown[]) => request(url, { method: 'POST', headers: { ...headers, 'content-type': TAXII, accept: TAXII }, body: JSON.stringify({ objects: list }) });
  const first = await post(warmUp);
  if (first.status !== 202) throw new Error(`warm-up POST answered ${first.status}`);
  await beforeClock();
  const start = performance.now();
  for (let i = 0; i < objects.length; i += ENVELOPE) {
    const res = await post(objects.slice(i, i + ENVELOPE));
    let status = JSON.parse(res.text) as { id: string; status: string; success_count: number };
    if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${res.text}`);
    while (status.status !== 'complete') {
      await new Promise((r) => setTimeout(r, 10));
      const s = await request(new URL(`/taxii2/council/status/${status.id}/`, url).toString(), { headers: { ...headers, accept: TAXII } });
      status = JSON.parse(s.text) as typeof status;
    }
    if (status.success_count !== Math.min(ENVELOPE, objects.length - i)) throw new Error(`only ${status.success_count} objects accepted`);
  }
  return since(start);
}

async function ingest(ctx: BenchContext, council: BenchCouncil): Promise<Row> {
  const total = ingestSizes[ctx.size];
  const token = await tokenFor(council, 'type2');
  const inbox = inboxCollectionId(council.users.type2.orgId);
  const objects = Array.from({ length: total }, (_, i) => indicator(i));
  // Warm up (as a running server is) with one envelope of other indicators, before the clock starts.
  const warmUp = Array.from({ length: ENVELOPE }, (_, i) => indicator(total + i));
  const server = await startBenchServer(council);
  let ms: number;
  let rss: number | null;
  let before: Record<string, number> = {};
  try {
    ms = await postEnvelopes(`${server.url}/taxii2/council/collections/${inbox}/objects/`, { authorization: `Bearer ${token}` }, objects, warmUp, async () => {
      before = await rowCounts(council);
    });
    rss = server.peakRssMb();
  } finally {
    await server.stop();
  }
  const after = await rowCounts(council);
  const written = Object.entries(after).map(([table, n]) => [table, n - (before[table] ?? 0)] as const).filter(([, n]) => n > 0);
  const rowsWritten = written.reduce((sum, [, n]) => sum + n, 0);
  // Baseline: the same number of rows, written with the driver in one transaction (no parsing, no validation).
  const rows = objects.map((o, i) => ({
    ...rowOf(stixEntry('bench-baseline', o as never, { source: 'inbox', itemId: null, stage: 'type1', tlp: 'amber', orgId: council.users.type2.orgId })),
    added_us: 9e15 + i,
  }));
  const start = performance.now();
  await council.conn.db.transaction().execute(async (trx) => {
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('stix_objects').values(rows.slice(i, i + 500)).execute();
  });
  const baseMs = since(start);
  const bare = await spawnUntilHealthy([BARE_SERVER], {}, await freePort());
  let floorMs: number;
  try {
    floorMs = await postEnvelopes(`${bare.url}/objects/`, {}, objects, warmUp);
  } finally {
    await bare.stop();
  }
  const rate = total / (ms / 1000);
  const baseRate = total / (baseMs / 1000);
  // At best, an object costs the HTTP floor's time plus its rows at the baseline's pace (a model, not a measurement).
  const atBest = baseMs / (floorMs + (rowsWritten / total) * baseMs);
  return {
    workload: `TAXII ingest: POST envelopes of ${ENVELOPE} to an inbox`,
    database: ctx.database,
    size: `${total.toLocaleString('en-US')} indicators`,
    figure: `${fmt(rate, 0)} objects/s`,
    baseline: `${fmt(baseRate, 0)} rows/s (driver insert, one transaction)`,
    ratio: rate / baseRate,
    goal: '≥ 0.30',
    met: rate / baseRate >= 0.3,
    peakRssMb: rss,
    notes:
      `the ingest wrote ${fmt(rowsWritten / total, 1)} rows per object where the baseline writes 1 (${written
        .map(([table, n]) => `${table} ${n.toLocaleString('en-US')}`)
        .join(', ')}): the inbox's copy, the report's observable and its indicator in the Type 1 group's collection, in one transaction per envelope with the report, its search entry, the status and the audit row. ` +
      `HTTP floor (a bare Node server reading and parsing the same envelopes): ${fmt(total / (floorMs / 1000), 0)} objects/s; ` +
      `that floor plus those rows at the baseline's pace would give at best ${fmt(atBest, 2)} of the baseline`,
  };
}

/** Rows in the tables an ingest writes to (the audit log and statuses aside: one row per envelope). */
async function rowCounts(council: BenchCouncil): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const table of ['stix_objects', 'observables', 'reports', 'search_docs'] as const) {
    const row = await council.conn.db.selectFrom(table).select((eb) => eb.fn.countAll<number | string>().as('n')).executeTakeFirstOrThrow();
    out[table] = Number(row.n);
  }
  return out;
}

/** The stored row of an entry, as the repository writes it. */
function rowOf(e: ReturnType<typeof stixEntry>) {
  return {
    collection: e.collection,
    stix_id: e.stixId,
    type: e.type,
    spec_version: e.specVersion,
    version: e.version ?? '',
    version_us: e.versionUs ?? 0,
    is_first: 1,
    is_last: 1,
    source: e.source,
    item_id: e.itemId,
    stage: e.stage,
    tlp: e.tlp,
    org_id: e.orgId,
    body: e.body,
  };
}

interface PagingRun {
  objects: number;
  ms: number;
  first: number;
  last: number;
}

/** A server runs for days: pages read before the clock starts let the JIT and the database's cache warm up. */
const WARM_UP_PAGES = 20;

/**
 * Page through with `page(after)` until it says there is no more (after up to WARM_UP_PAGES untimed); the first and
 * last three pages are timed apart.
 */
async function pageThrough(page: (after: string | undefined) => Promise<{ count: number; next: string | undefined }>): Promise<PagingRun> {
  let warm: string | undefined;
  for (let i = 0; i < WARM_UP_PAGES; i++) {
    warm = (await page(warm)).next;
    if (warm === undefined) break;
  }
  const times: number[] = [];
  let objects = 0;
  let after: string | undefined;
  const start = performance.now();
  do {
    const t = performance.now();
    const p = await page(after);
    times.push(since(t));
    objects += p.count;
    after = p.next;
  } while (after !== undefined);
  return { objects, ms: since(start), first: median(times.slice(0, 3)), last: median(times.slice(-3)) };
}

/**
 * What HTTP and JSON alone cost: `pages` GETs of the same 1,000-object page from a bare Node server (another
 * process, like ours), each read as the TAXII client above reads it. No server can page faster than this.
 */
async function httpFloor(page: string, pages: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'kyogikai-bench-page-'));
  const file = join(dir, 'page.json');
  writeFileSync(file, page);
  const bare = await spawnUntilHealthy([BARE_SERVER], { PAGE_FILE: file }, await freePort());
  try {
    let objects = 0;
    const read = async () => {
      const body = JSON.parse((await request(`${bare.url}/objects/`, { headers: { accept: TAXII } })).text) as { objects?: unknown[] };
      return body.objects?.length ?? 0;
    };
    for (let i = 0; i < WARM_UP_PAGES; i++) await read();
    const start = performance.now();
    for (let i = 0; i < pages; i++) objects += await read();
    return objects / (since(start) / 1000);
  } finally {
    await bare.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function paging(ctx: BenchContext, council: BenchCouncil): Promise<Row[]> {
  const collection = audienceCollectionId('members');
  const token = await tokenFor(council, 'general', true);
  const rows: Row[] = [];
  let loaded = 0;
  for (const size of pagingSizes[ctx.size]) {
    ctx.log(`paging: filling the collection to ${size.toLocaleString('en-US')} objects`);
    await fillMembersCollection(council, loaded, size);
    loaded = size;
    const server = await startBenchServer(council);
    let http: PagingRun;
    let rss: number | null;
    let fullPage = '';
    try {
      http = await pageThrough(async (next) => {
        const res = await request(`${server.url}/taxii2/council/collections/${collection}/objects/?limit=1000${next ? `&next=${encodeURIComponent(next)}` : ''}`, {
          headers: { authorization: `Bearer ${token}`, accept: TAXII },
        });
        if (res.status !== 200) throw new Error(`page answered ${res.status}`);
        const text = res.text;
        const body = JSON.parse(text) as { objects?: unknown[]; more?: boolean; next?: string };
        if (!fullPage && body.objects?.length === 1000) fullPage = text;
        return { count: body.objects?.length ?? 0, next: body.more ? body.next : undefined };
      });
      rss = server.peakRssMb();
    } finally {
      await server.stop();
    }
    const db = council.conn.db;
    const plain = await pageThrough(async (after) => {
      const page = await db
        .selectFrom('stix_objects')
        .select(['added_us', 'body'])
        .where('collection', '=', collection)
        .where('added_us', '>', Number(after ?? 0))
        .orderBy('added_us')
        .limit(1000)
        .execute();
      return { count: page.length, next: page.length === 1000 ? String(page.at(-1)?.added_us) : undefined };
    });
    if (http.objects < size) throw new Error(`paged ${http.objects} of ${size}`);
    const rate = http.objects / (http.ms / 1000);
    const baseRate = plain.objects / (plain.ms / 1000);
    const floorRate = await httpFloor(fullPage, Math.min(200, Math.ceil(size / 1000)));
    const floorNote = `HTTP floor (a bare Node server sending one page's bytes, read the same way): ${fmt(floorRate, 0)} objects/s, ${fmt(floorRate / baseRate, 2)} of the plain SELECT`;
    const base = { database: ctx.database, size: `${size.toLocaleString('en-US')} objects` };
    rows.push(
      {
        ...base,
        workload: 'TAXII paging, limit=1000: throughput',
        figure: `${fmt(rate, 0)} objects/s`,
        baseline: `${fmt(baseRate, 0)} objects/s (plain SELECT pages)`,
        ratio: rate / baseRate,
        goal: '≥ 0.50',
        met: rate / baseRate >= 0.5,
        peakRssMb: rss,
        notes: size >= 1_000_000 && rss !== null ? `${floorNote}; server RSS ${rss} MB while paging 1,000,000 objects (goal < 300 MB): ${rss < 300 ? 'met' : 'NOT met'}` : floorNote,
      },
      {
        ...base,
        workload: 'TAXII paging: last page ÷ first page',
        figure: `first ${fmt(http.first, 1)} ms, last ${fmt(http.last, 1)} ms`,
        baseline: `first ${fmt(plain.first, 1)} ms, last ${fmt(plain.last, 1)} ms (plain SELECT)`,
        ratio: http.last / http.first,
        goal: size >= 1_000_000 ? '≤ 1.5' : '',
        met: size >= 1_000_000 ? http.last / http.first <= 1.5 : null,
        peakRssMb: rss,
      },
    );
  }
  return rows;
}

/** Each on a council of its own. */
const onCouncil =
  (work: (ctx: BenchContext, council: BenchCouncil) => Promise<Row | Row[]>) =>
  async (ctx: BenchContext): Promise<Row[]> => {
    const council = await createBenchCouncil(ctx);
    try {
      return [await work(ctx, council)].flat();
    } finally {
      await council.drop();
    }
  };

export const taxiiIngest: Workload = { name: 'taxii ingest', run: onCouncil(ingest) };
export const taxiiPaging: Workload = { name: 'taxii paging', run: onCouncil(paging) };
