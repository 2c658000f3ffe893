/**
 * Release fan-out: one countermeasure item released to Type 2 while every user of 1,000 Type 2 organisations
 * (10 each) holds an SSE stream. Figures: time until the last subscriber has the notice; inbox rows and mails per
 * second through the durable job table. Baselines: a bare Node server broadcasting one line to as many streams;
 * the same inbox rows inserted directly; the same number of mails sent directly with nodemailer.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { createAdvisory, releaseAdvisory } from '../../src/core/sharing/advisories.js';
import { startSmtpReceiver } from '../../src/test/notifications.js';
import { createBenchCouncil, type BenchCouncil } from '../lib/council.js';
import { insertCrowd } from '../lib/crowd.js';
import { freePort, spawnUntilHealthy, startBenchServer } from '../lib/server.js';
import { tokenFor } from '../lib/server.js';
import { fmt } from '../lib/stats.js';
import type { BenchContext, Row, Workload } from '../lib/types.js';

const orgs = { quick: 100, default: 1000, full: 1000 };
const USERS_PER_ORG = 10;

interface Crowd {
  ready: Promise<void>;
  done: Promise<number>;
  stop(): void;
}

/** Start the SSE client process and hand it the streams to open. */
function startCrowd(url: string, tokens: string[], match: string): Crowd {
  const script = fileURLToPath(new URL('../lib/sse-crowd.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  let onReady: () => void;
  let onDone: (at: number) => void;
  let onError: (err: Error) => void;
  const ready = new Promise<void>((resolve, reject) => ((onReady = resolve), (onError = reject)));
  const done = new Promise<number>((resolve, reject) => {
    onDone = resolve;
    const prev = onError;
    onError = (err) => (prev(err), reject(err));
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    const msg = JSON.parse(line) as { ready?: number; done?: number; lastAt?: number; error?: string };
    if (msg.error) onError(new Error(msg.error));
    else if (msg.ready) onReady();
    else if (msg.done && msg.lastAt) onDone(msg.lastAt);
  });
  child.stdin.write(`${JSON.stringify({ url, tokens, match })}\n`);
  return { ready, done, stop: () => child.kill('SIGKILL') };
}

async function waitUntil(check: () => Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!(await check())) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now();
}

const count = async (council: BenchCouncil, table: 'inbox'): Promise<number> =>
  Number((await sql<{ n: number }>`select count(*) as n from ${sql.table(table)}`.execute(council.conn.db)).rows[0]?.n ?? 0);

export const fanout: Workload = {
  name: 'fan-out',
  async run(ctx: BenchContext): Promise<Row[]> {
    const council = await createBenchCouncil(ctx);
    const smtp = await startSmtpReceiver();
    try {
      const n = orgs[ctx.size] * USERS_PER_ORG;
      ctx.log(`fan-out: ${orgs[ctx.size]} organisations, ${n} subscribers`);
      const tokens = await insertCrowd(council, orgs[ctx.size], USERS_PER_ORG);
      const designated = { ...(await council.actor('designated')), via: 'session' as const, readOnly: false };
      const advisory = await createAdvisory(
        council.deps,
        designated,
        { title: 'エモテット再拡大への対策', summary: '概要', threat: '脅威', actions: '対策', tlp: 'green', affectedProducts: [], sectors: [], indicators: [], confidence: 'medium', recipientUserIds: [] },
        { ip: null },
      );
      await releaseAdvisory(council.deps, designated, advisory.id, { to: 'type1', feedbackHours: 24, confirmFlags: [] }, { ip: null });
      const releaser = await tokenFor(council, 'designated');

      // Baseline: a bare broadcast to as many streams.
      const bare = await spawnUntilHealthy([fileURLToPath(new URL('../lib/bare-sse.mjs', import.meta.url))], {}, await freePort());
      const bareCrowd = startCrowd(bare.url, tokens, '/advisories/bare');
      await bareCrowd.ready;
      const bareStart = Date.now();
      await fetch(`${bare.url}/go`);
      const bareMs = (await bareCrowd.done) - bareStart;
      bareCrowd.stop();
      await bare.stop();

      const server = await startBenchServer(council, { SMTP_URL: smtp.url });
      const crowd = startCrowd(server.url, tokens, `/advisories/${advisory.id}`);
      let measured: { sseMs: number; inboxRate: number; mailRate: number; rss: number | null };
      try {
        await crowd.ready;
        const inboxBefore = await count(council, 'inbox');
        const mailsBefore = smtp.mails.length;
        const t0 = Date.now();
        const res = await fetch(`${server.url}/api/v1/advisories/${advisory.id}/releases`, {
          method: 'POST',
          headers: { authorization: `Bearer ${releaser}`, 'content-type': 'application/json' },
          body: JSON.stringify({ to: 'type2', feedbackHours: 24 }),
        });
        if (!res.ok) throw new Error(`release answered ${res.status}: ${await res.text()}`);
        const sseMs = (await crowd.done) - t0;
        const inboxAt = await waitUntil(async () => (await count(council, 'inbox')) - inboxBefore >= n, 600_000);
        const mailAt = await waitUntil(async () => smtp.mails.length - mailsBefore >= n, 1_800_000);
        const inboxRate = n / ((inboxAt - t0) / 1000);
        const mailRate = n / ((mailAt - t0) / 1000);
        measured = { sseMs, inboxRate, mailRate, rss: server.peakRssMb() };
      } finally {
        crowd.stop();
        await server.stop();
      }
      // Baselines for the job throughput: the same rows and mails without the job table.
      const rowsStart = performance.now();
      await council.conn.db.transaction().execute(async (trx) => {
        const users = await trx.selectFrom('users').select('id').limit(n).execute();
        // A throw-away event of its own: the inbox holds one row per user and event.
        const event = await trx
          .insertInto('events')
          .values({ type: 'bench', subject_type: 'bench', subject_id: 'bench', actor_user_id: null, audience: '{}', data: '{}', tlp: null, created_at: new Date().toISOString() })
          .returning('id')
          .executeTakeFirstOrThrow();
        for (let i = 0; i < users.length; i += 1000) {
          await trx
            .insertInto('inbox')
            .values(users.slice(i, i + 1000).map((u) => ({ id: uuidv7(), user_id: u.id, event_id: event.id, created_at: new Date().toISOString(), read_at: null, digest_pending: 0 })))
            .execute();
        }
        throw new Rollback();
      }).catch((err: unknown) => {
        if (!(err instanceof Rollback)) throw err;
      });
      const directRows = n / ((performance.now() - rowsStart) / 1000);
      const transport = nodemailer.createTransport({ url: smtp.url, pool: true, maxConnections: 4 } as never);
      const mailStart = performance.now();
      await Promise.all(
        Array.from({ length: n }, (_, i) => transport.sendMail({ from: 'bench@localhost', to: `u${i}@example.jp`, subject: 'TLP:GREEN bench', text: 'bench' })),
      );
      const directMails = n / ((performance.now() - mailStart) / 1000);
      transport.close();

      const { sseMs, inboxRate, mailRate, rss } = measured;
      const base = { database: ctx.database, size: `${orgs[ctx.size]} orgs, ${n.toLocaleString('en-US')} streams`, goal: '', met: null, peakRssMb: rss };
      return [
        { ...base, workload: 'release fan-out: last SSE subscriber has it', figure: `${fmt(sseMs, 0)} ms`, baseline: `${fmt(bareMs, 0)} ms (bare broadcast)`, ratio: sseMs / bareMs },
        { ...base, workload: 'release fan-out: inbox rows', figure: `${fmt(inboxRate, 0)} rows/s`, baseline: `${fmt(directRows, 0)} rows/s (direct insert)`, ratio: inboxRate / directRows },
        { ...base, workload: 'release fan-out: mails', figure: `${fmt(mailRate, 0)} mails/s`, baseline: `${fmt(directMails, 0)} mails/s (nodemailer direct)`, ratio: mailRate / directMails },
      ];
    } finally {
      await smtp.close();
      await council.drop();
    }
  },
};

class Rollback extends Error {}
