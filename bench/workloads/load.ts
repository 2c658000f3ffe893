/**
 * Load: 200 concurrent clients on the read endpoints and TAXII paging, as members of every class, for a fixed time,
 * while a writer keeps sending reports. Figures: zero errors, p99 latency. Baseline: the same clients on `/healthz`,
 * which touches nothing but Fastify and one `select 1`. A few seconds of the same load first, untimed: a server
 * that has just started compiles its hot paths while the first 200 clients wait.
 */
import autocannon from 'autocannon';
import type { UserKey } from '../../src/test/sharing-council.js';
import { audienceCollectionId } from '../../src/core/interop/collections.js';
import { createBenchCouncil, fillMembersCollection, insertReports } from '../lib/council.js';
import { startBenchServer, tokenFor } from '../lib/server.js';
import { fmt } from '../lib/stats.js';
import type { BenchContext, Row, Workload } from '../lib/types.js';

const CONNECTIONS = 200;
const seconds = { quick: 10, default: 60, full: 60 };
const WARM_UP_SECONDS = 5;
const readers: UserKey[] = ['designated', 'type1', 'type2', 'general'];
const TAXII = 'application/taxii+json;version=2.1';

/** Where each client is in the collection, per class (autocannon keeps one context per connection). */
type Pages = Record<string, string | undefined>;

/** Each client reads as every class in turn: the list endpoints, then the next page of the all-members collection. */
function readRequests(tokens: string[]): autocannon.Request[] {
  const objects = `/taxii2/council/collections/${audienceCollectionId('members')}/objects/?limit=100`;
  return tokens.flatMap((token, i) => [
    ...['/api/v1/reports?limit=50', '/api/v1/advisories?limit=50', '/api/v1/reports?limit=20&consultations=false'].map((path) => ({
      method: 'GET' as const,
      path,
      headers: { authorization: `Bearer ${token}` },
    })),
    {
      method: 'GET' as const,
      path: objects,
      headers: { authorization: `Bearer ${token}`, accept: TAXII },
      // Follow `next` from this client's previous page of the same class; start again at the end.
      setupRequest: (req: autocannon.Request, context: object) => {
        const next = (context as Pages)[`next${i}`];
        return { ...req, path: next ? `${objects}&next=${encodeURIComponent(next)}` : objects };
      },
      onResponse: (status: number, body: string, context: object) => {
        (context as Pages)[`next${i}`] = status === 200 ? (JSON.parse(body) as { next?: string }).next : undefined;
      },
    },
  ]);
}

function run(opts: autocannon.Options): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => autocannon(opts, (err, result) => (err ? reject(err) : resolve(result))));
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
        const baseline = await run({ url: `${server.url}/healthz`, connections: CONNECTIONS, duration: Math.min(10, duration) });
        const requests = readRequests(tokens);
        await run({ url: server.url, connections: CONNECTIONS, duration: WARM_UP_SECONDS, requests });
        let writes = 0;
        let writeErrors = 0;
        let writing = true;
        const writerLoop = (async () => {
          while (writing) {
            const res = await fetch(`${server.url}/api/v1/reports`, {
              method: 'POST',
              headers: { authorization: `Bearer ${writer}`, 'content-type': 'application/json' },
              body: JSON.stringify({ title: `負荷試験 ${writes}`, description: '標的型メールの疑い', kind: 'phishing', certainty: 'suspected', tlp: 'green' }),
            }).catch(() => undefined);
            if (res?.status === 201 || res?.status === 200) writes++;
            else writeErrors++;
          }
        })();
        const result = await run({ url: server.url, connections: CONNECTIONS, duration, requests });
        writing = false;
        await writerLoop;
        // autocannon counts timeouts among its errors.
        const errors = result.errors + result.non2xx + writeErrors;
        return [
          {
            workload: `load: ${CONNECTIONS} clients on read endpoints and TAXII paging + writer, ${duration} s`,
            database: ctx.database,
            size: `${size.toLocaleString('en-US')} reports`,
            figure: `p99 ${fmt(result.latency.p99, 0)} ms, ${fmt(result.requests.average, 0)} req/s, ${writes} writes, ${errors} errors`,
            baseline: `p99 ${fmt(baseline.latency.p99, 0)} ms, ${fmt(baseline.requests.average, 0)} req/s (/healthz)`,
            ratio: result.latency.p99 / Math.max(1, baseline.latency.p99),
            goal: '0 errors',
            met: errors === 0,
            peakRssMb: server.peakRssMb(),
            notes: `errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}, failed writes ${writeErrors}`,
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
