/**
 * Closed-loop HTTP load: `connections` clients, each sending its next request as soon as the last is answered, over
 * keep-alive connections of Node's own HTTP agent, as a TAXII client or a browser would. (autocannon counted
 * requests as timed out that a plain Node client never saw wait: against a bare Node server with 1 ms of synchronous
 * work per request, autocannon reported 61 requests over ten seconds, a plain client a longest wait of 0.5 s.)
 */
import http from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface LoadRequest {
  path: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** A body made afresh for each request (a new report each time). */
  bodyFor?(): string;
  /** The path to send, given what this client remembered of its earlier answers (`state`). */
  pathFor?(state: Map<string, string>): string;
  /** Remember something of the answer for a later request of this client. */
  remember?(status: number, body: string, state: Map<string, string>): void;
}

export interface LoadResult {
  requests: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  /** Which paths timed out, how often (with their query, as sent). */
  timedOut: Map<string, number>;
  non2xx: number;
  /** Milliseconds of every answered request. */
  latencies: number[];
  perSecond: number;
  /** The longest this (client) process's event loop was held up: a wait the server did not cause. */
  clientLagMaxMs: number;
}

export async function closedLoop(opts: { url: string; connections: number; seconds: number; requests: LoadRequest[]; timeoutMs?: number }): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections });
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const result: LoadResult = { requests: 0, errors: 0, timeouts: 0, timedOut: new Map(), non2xx: 0, latencies: [], perSecond: 0, clientLagMaxMs: 0 };
  const lag = monitorEventLoopDelay({ resolution: 10 });
  lag.enable();
  const start = performance.now();
  const end = start + opts.seconds * 1000;

  const send = (r: LoadRequest, state: Map<string, string>) =>
    new Promise<void>((resolve) => {
      const began = performance.now();
      const path = r.pathFor?.(state) ?? r.path;
      const req = http.request(new URL(path, opts.url), { method: r.method ?? 'GET', headers: r.headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          result.latencies.push(performance.now() - began);
          if (status < 200 || status >= 300) result.non2xx++;
          r.remember?.(status, Buffer.concat(chunks).toString('utf8'), state);
          resolve();
        });
      });
      req.setTimeout(timeoutMs, () => {
        result.timeouts++;
        const where = `${r.method ?? 'GET'} ${path.split('?')[0] ?? path}`;
        result.timedOut.set(where, (result.timedOut.get(where) ?? 0) + 1);
        req.destroy(new Error('timeout'));
      });
      req.on('error', () => {
        result.errors++;
        resolve();
      });
      req.end(r.bodyFor?.() ?? r.body);
    });

  await Promise.all(
    Array.from({ length: opts.connections }, async (_, client) => {
      const state = new Map<string, string>();
      // Clients start at different places in the list, so that the mix holds from the first second.
      for (let i = client; performance.now() < end; i++) {
        await send(opts.requests[i % opts.requests.length] as LoadRequest, state);
        result.requests++;
      }
    }),
  );
  result.perSecond = result.requests / ((performance.now() - start) / 1000);
  lag.disable();
  result.clientLagMaxMs = lag.max / 1e6;
  agent.destroy();
  return result;
}
