/**
 * `npm start` to `/healthz` on an existing database with data in it. Baseline: a bare Node HTTP server started
 * the same way, i.e. what Node itself costs on this machine.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { BIN } from '../../src/test/processes.js';
import { createBenchCouncil, insertReports } from '../lib/council.js';
import { fmt, median, peakRssMb } from '../lib/stats.js';
import type { BenchContext, Row, Workload } from '../lib/types.js';

const ROUNDS = 5;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Spawn a process and time it until GET /healthz answers 200; return the time and its peak RSS. */
async function timeToHealthy(args: string[], env: NodeJS.ProcessEnv, port: number): Promise<{ ms: number; rss: number | null }> {
  const start = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: 'ignore' });
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
      try {
        const res = await fetch(`http://127.0.0.1:${port}/healthz`);
        if (res.ok) return { ms: performance.now() - start, rss: peakRssMb(child.pid) };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 5));
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  }
}

const bareServer = `require('node:http').createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT), '127.0.0.1')`;

export const startup: Workload = {
  name: 'startup',
  async run(ctx: BenchContext): Promise<Row[]> {
    const size = ctx.size === 'quick' ? 10_000 : 100_000;
    const council = await createBenchCouncil(ctx);
    try {
      await insertReports(council, size);
      await council.disconnect();
      const server: number[] = [];
      const bare: number[] = [];
      let rss: number | null = null;
      for (let i = 0; i < ROUNDS; i++) {
        const port = await freePort();
        const env = { PORT: String(port), HOST: '127.0.0.1', DATABASE_URL: council.url, ATTACHMENTS_DIR: council.attachmentsDir, LOG_LEVEL: 'silent' };
        const s = await timeToHealthy([BIN, 'serve'], env, port);
        server.push(s.ms);
        rss = Math.max(rss ?? 0, s.rss ?? 0);
        bare.push((await timeToHealthy(['-e', bareServer], { PORT: String(port) }, port)).ms);
      }
      const figure = median(server);
      return [
        {
          workload: 'start to /healthz (existing database)',
          database: ctx.database,
          size: `${size.toLocaleString('en-US')} reports`,
          figure: `median ${fmt(figure, 0)} ms`,
          baseline: `median ${fmt(median(bare), 0)} ms (bare Node server)`,
          ratio: figure / median(bare),
          goal: '< 2,000 ms',
          met: figure < 2000,
          peakRssMb: rss,
        },
      ];
    } finally {
      await council.drop();
    }
  },
};
