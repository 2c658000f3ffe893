/** A real `kyogikai serve` process on a bench council's database, and API tokens to talk to it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createToken } from '../../src/core/usecases/tokens.js';
import { BIN } from '../../src/test/processes.js';
import type { UserKey } from '../../src/test/sharing-council.js';
import type { BenchCouncil } from './council.js';
import { peakRssMb } from './stats.js';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Spawned {
  child: ChildProcess;
  url: string;
  /** Milliseconds from spawn until /healthz answered 200. */
  startMs: number;
  /** Peak resident memory of the process so far, in MB. */
  peakRssMb(): number | null;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** BENCH_PROFILE=DIR writes a CPU profile of every spawned server into DIR (open it in Chrome's DevTools). */
/** A bare Node server (no framework, no database): the HTTP floors the bench sets beside kyogikai's figures. */
export const BARE_SERVER = fileURLToPath(new URL('./bare-server.mjs', import.meta.url));

const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];

/** Spawn `node …args` listening on `port` and wait until GET /healthz answers 200 (request logs off unless BENCH_SERVER_LOG). */
export async function spawnUntilHealthy(args: string[], env: NodeJS.ProcessEnv, port: number): Promise<Spawned> {
  const start = performance.now();
  // BENCH_SERVER_LOG=DIR writes each server's log, with a line per request and its response time, into DIR.
  const log = process.env.BENCH_SERVER_LOG ? openSync(join(process.env.BENCH_SERVER_LOG, `server-${port}.log`), 'a') : 'ignore';
  const child = spawn(process.execPath, [...profile, ...args], { env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', log, 'pipe'] });
  if (typeof log === 'number') closeSync(log); // the child holds its own copy
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done();
      child.once('exit', () => done());
      child.kill(signal);
    });
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}: ${stderr}`);
    if (performance.now() - start > 30_000) {
      await stop('SIGKILL');
      throw new Error(`not healthy after 30 s: ${stderr}`);
    }
    const ok = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (ok) return { child, url, startMs: performance.now() - start, peakRssMb: () => peakRssMb(child.pid), stop };
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function startBenchServer(council: BenchCouncil, env: NodeJS.ProcessEnv = {}): Promise<Spawned> {
  return spawnUntilHealthy(
    [BIN, 'serve'],
    {
      DATABASE_URL: council.url,
      ATTACHMENTS_DIR: council.attachmentsDir,
      LOG_LEVEL: process.env.BENCH_SERVER_LOG ? 'info' : 'warn',
      // The bench is one address with hundreds of clients: the per-address limit would answer 429.
      RATE_LIMIT_PER_MINUTE: '100000000',
      ...env,
    },
    await freePort(),
  );
}

/** A bearer token for the council user `key` (written through the use case, as the settings page does). */
export async function tokenFor(council: BenchCouncil, key: UserKey, readOnly = false): Promise<string> {
  const actor = { ...(await council.actor(key)), via: 'session' as const, readOnly: false };
  const { token } = await createToken(council.deps, actor, { name: `bench ${key}`, expiresInDays: 7, readOnly }, { ip: null });
  return token;
}
