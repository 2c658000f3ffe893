/**
 * Load: 200 concurrent clients on the read endpoints and TAXII paging, as members of every class, for a fixed time,
 * while a writer keeps sending reports. Figures: zero errors, p99 latency. Baseline: the same clients on `/healthz`,
 * which touches nothing but Fastify and one `select 1`. A few seconds of the same load first, untimed: a server
 * that has just started compiles its hot paths while the first 200 clients wait. The notes add the same client
 * against a bare Node server, so that waits the machine makes are not taken for the server's.
 */
import type { UserKey } from '../../src/test/sharing-council.js';
import { audienceCollectionId } from '../../src/core/interop/collections.js';
import { createBenchCouncil, fillMembersCollection, insertReports } from '../lib/council.js';
import { closedLoop, type LoadRequest } from '../lib/load-client.js';
import { BARE_SERVER, freePort, spawnUntilHealthy, startBenchServer, tokenFor } from '../lib/server.js';
import { fmt, percentile } from '../lib/stats.js';
import type { BenchContext, Row, Workload } from '../lib/types.js';

const CONNECTIONS = 200;
const seconds = { quick: 10, default: 60, full: 60 };
const WARM_UP_SECONDS = 5;
const readers: UserKey[] = ['designated', 'type1', 'type2', 'general'];
const TAXII = 'application/taxii+json;version=2.1';

/** Each client reads as every class in turn: the list endpoints, then its next page of the all-members collection. */
function readRequests(tokens: string[]): LoadRequest[] {
  const objects = `/taxii2/council/collections/${audienceCollectionId('members')}/objects/?limit=100`;
  return tokens.flatMap((token, i) => [
    ...['/api/v1/reports?limit=50', '/api/v1/advisories?limit=50', '/api/v1/reports?limit=20&consultations=false'].map((path) => ({
      path,
      headers: { authorization: `Bearer ${token}` },
    })),
    {
      path: objects,
      headers: { authorization: `Bearer ${token}`, accept: TAXII },
      // Follow `next` from this client's previous page as the same class; start again at the end.
      pathFor: (state: Map<string, string>) => {
        const next = state.get(`next${i}`);
        return next ? `${objects}&next=${encodeURIComponent(next)}` : objects;
      },
      remember: (status: number, body: string, state: Map<string, string>) => {
        const next = status === 200 ? (JSON.parse(body) as { next?: string }).next : undefined;
        if (next) state.set(`next${i}`, next);
        else state.delete(`next${i}`);
      },
    },
  ]);
}

const maxOf = (list: number[]) => list.reduce((a, b) => Math.max(a, b), 0);

/**
 * The same load on a bare Node server (bench/lib/bare-server.mjs, 1 ms of synchronous work per request, no framework,
 * no database): what the client, the kernel and Node's HTTP alone do under 200 connections on this machine.
 */
async function bareServerUnderLoad(seconds: number) {
  const bare = await spawnUntilHealthy([BARE_SERVER], { BUSY_MS: '1' }, await freePort());
  try {
    await closedLoop({ url: bare.url, connections: CONNECTIONS, seconds: WARM_UP_SECONDS, requests: [{ path: '/objects/' }] });
    return await closedLoop({ url: bare.url, connections: CONNECTIONS, seconds, requests: [{ path: '/objects/' }] });
  } finally {
    await bare.stop();
  }
}

export const load: Workload = {
  name: 'load',
  async run(ctx: BenchContext): Promise<Row[]> {
    const council = await createBenchCouncil(ctx);
    try {
      const size = ctx.size === 'quick' ? 10_000 : 100_000;
      await insertReports(council, size);
      await fillMembersCollection(council, 0, size);
      const tokens = await Promise.all(readers.map((k) => tokenFor(council, k, true)));
      const writer = await tokenFor(council, 'type2');
      const server = await startBenchServer(council);
      try {
        const duration = seconds[ctx.size];
        const baseline = await closedLoop({ url: server.url, connections: CONNECTIONS, seconds: Math.min(10, duration), requests: [{ path: '/healthz' }] });
        const requests = readRequests(tokens);
        await closedLoop({ url: server.url, connections: CONNECTIONS, seconds: WARM_UP_SECONDS, requests });
        // The writer: one more client, sending reports one after the other over the same kind of connection.
        const report = (n: number) => JSON.stringify({ title: `負荷試験 ${n}`, description: '標的型メールの疑い', kind: 'phishing', certainty: 'suspected', tlp: 'green' });
        let sent = 0;
        const writing = closedLoop({
          url: server.url,
          connections: 1,
          seconds: duration,
          requests: [{ path: '/api/v1/reports', method: 'POST', headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' }, bodyFor: () => report(sent++) }],
        });
        const result = await closedLoop({ url: server.url, connections: CONNECTIONS, seconds: duration, requests });
        const written = await writing;
        const bare = await bareServerUnderLoad(duration);
        const writes = written.requests - written.errors - written.non2xx;
        const writeErrors = written.errors + written.non2xx;
        const p99 = percentile(result.latencies, 99);
        const baseP99 = percentile(baseline.latencies, 99);
        // Timeouts are among the errors.
        const errors = result.errors + result.non2xx + writeErrors;
        return [
          {
            workload: `load: ${CONNECTIONS} clients on read endpoints and TAXII paging + writer, ${duration} s`,
            database: ctx.database,
            size: `${size.toLocaleString('en-US')} reports`,
            figure: `p99 ${fmt(p99, 0)} ms, max ${fmt(maxOf(result.latencies), 0)} ms, ${fmt(result.perSecond, 0)} req/s, ${writes} writes, ${errors} errors`,
            baseline: `p99 ${fmt(baseP99, 0)} ms, ${fmt(baseline.perSecond, 0)} req/s (/healthz)`,
            ratio: p99 / Math.max(1, baseP99),
            goal: '0 errors',
            met: errors === 0,
            peakRssMb: server.peakRssMb(),
            notes: `errors ${result.errors}, timeouts ${result.timeouts}${result.timedOut.size ? ` (${[...result.timedOut].map(([where, n]) => `${where} ×${n}`).join(', ')})` : ''}, non-2xx ${result.non2xx}, failed writes ${writeErrors}; the client's event loop held up at most ${fmt(result.clientLagMaxMs, 0)} ms; the same client against a bare Node server with 1 ms of work per request: ${bare.timeouts} timeouts of ${bare.requests.toLocaleString('en-US')}, longest ${fmt(maxOf(bare.latencies), 0)} ms`,
          },
        ];
      } finally {
        await server.stop();
      }
    } finally {
      await council.drop();
    }
  },
};
