/**
 * `npm start` to `/healthz` on an existing database with data in it. Baseline: a bare Node HTTP server started
 * the same way, i.e. what Node itself costs on this machine.
 */
import { BIN } from '../../src/test/processes.js';
import { createBenchCouncil, insertReports } from '../lib/council.js';
import { freePort, spawnUntilHealthy } from '../lib/server.js';
import { fmt, median } from '../lib/stats.js';
import type { BenchContext, Row, Workload } from '../lib/types.js';

const ROUNDS = 5;
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
      let rss = 0;
      for (let i = 0; i < ROUNDS; i++) {
        const env = { DATABASE_URL: council.url, ATTACHMENTS_DIR: council.attachmentsDir, LOG_LEVEL: 'silent' };
        const s = await spawnUntilHealthy([BIN, 'serve'], env, await freePort());
        server.push(s.startMs);
        rss = Math.max(rss, s.peakRssMb() ?? 0);
        await s.stop();
        const b = await spawnUntilHealthy(['-e', bareServer], {}, await freePort());
        bare.push(b.startMs);
        await b.stop();
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
          peakRssMb: rss || null,
        },
      ];
    } finally {
      await council.drop();
    }
  },
};
