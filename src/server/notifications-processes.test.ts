/**
 * Several real `kyogikai serve` processes on one PostgreSQL (the built code, as `npm start` runs it): a release made
 * through one process reaches a stream subscriber of the other (LISTEN/NOTIFY), and a process killed with SIGKILL in
 * the middle of a batch of e-mails loses none of them once a process runs again.
 */
import { describe, expect, it } from 'vitest';
import type { StreamNotice } from '../core/notifications/model.js';
import { bootstrap } from '../core/usecases/bootstrap.js';
import { openStore } from '../store/index.js';
import { council, personIn, type Council } from '../test/council.js';
import { insertOrg } from '../test/membership.js';
import { openStream, startSmtpReceiver, waitFor } from '../test/notifications.js';
import { createPgDatabase, startServerProcess, type ServerProcess } from '../test/processes.js';
import { dialects, TestClock, testDeps } from '../test/stores.js';

const PASSWORD = 'process test password 2026';

async function councilIn(url: string): Promise<{ c: Council; deps: ReturnType<typeof testDeps> }> {
  const store = await openStore({ url });
  // The processes run on the real clock: so does the data made for them.
  const deps = testDeps(store, new TestClock(Date.now()));
  await bootstrap(deps, PASSWORD);
  return { c: await council(deps), deps };
}

async function call(server: ServerProcess, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Write countermeasure information and release it stage by stage, through the HTTP API of `server`. */
async function release(server: ServerProcess, token: string, stages: string[], tlp = 'green'): Promise<string> {
  const a = await call(server, token, 'POST', '/api/v1/advisories', { title: 'プロセス間の通知', summary: '要約', threat: '脅威', actions: '対策', tlp });
  const id = a.id as string;
  for (const to of stages) await call(server, token, 'POST', `/api/v1/advisories/${id}/releases`, { to });
  return id;
}

describe.runIf(dialects.includes('postgres'))('notifications across server processes on one PostgreSQL', () => {
  it('a release made through one process reaches a stream subscriber of the other', async () => {
    const db = await createPgDatabase(process.env.TEST_DATABASE_URL as string);
    const { c, deps } = await councilIn(db.url);
    const env = { DATABASE_URL: db.url, KYOGIKAI_ADMIN_PASSWORD: PASSWORD };
    const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    const stream = await openStream(`${(b as ServerProcess).url}/api/v1/stream`, { authorization: `Bearer ${c.type2.token}` });
    try {
      expect(stream.status).toBe(200);
      const id = await release(a as ServerProcess, c.type1.token, ['type1', 'type2']);
      await waitFor(() => stream.messages.some((m) => m.event === 'notification'), 'the notice on the other process');
      const notice = JSON.parse(stream.messages.find((m) => m.event === 'notification')?.data as string) as StreamNotice;
      expect(notice).toMatchObject({ kind: 'feedback.requested', link: `/advisories/${id}` });
      // The fan-out ran once, in whichever process took it: one inbox row.
      await waitFor(async () => (await deps.store.read.notifications.inbox.unreadCount(c.type2.userId)) === 1, 'the inbox row');
      await new Promise((r) => setTimeout(r, 500));
      expect(await deps.store.read.notifications.inbox.unreadCount(c.type2.userId)).toBe(1);
    } finally {
      stream.close();
      await Promise.all([a?.stop(), b?.stop()]);
      await deps.store.close();
      await db.drop();
    }
  }, 120_000);

  it('a process killed in the middle of a batch of e-mails loses none; the next one sends the rest', async () => {
    const db = await createPgDatabase(process.env.TEST_DATABASE_URL as string);
    const { c, deps } = await councilIn(db.url);
    // 150 members who want every notice by e-mail, and a slow mail server, so the batch takes a few seconds.
    for (let i = 0; i < 5; i++) {
      const org = await insertOrg(deps, { memberClass: 'general' });
      for (let j = 0; j < 30; j++) await personIn(deps, org);
    }
    const smtp = await startSmtpReceiver({ delayMs: 40 });
    const env = { DATABASE_URL: db.url, KYOGIKAI_ADMIN_PASSWORD: PASSWORD, SMTP_URL: smtp.url, JOB_LEASE_SECONDS: '5', PUBLIC_URL: 'https://kyogikai.example.jp' };
    let first: ServerProcess | undefined;
    let second: ServerProcess | undefined;
    try {
      first = await startServerProcess(env);
      await release(first, c.type1.token, ['type1', 'type2', 'members']);
      await waitFor(() => smtp.mails.length >= 40, 'the first mails', 30_000);
      process.kill(first.pid, 'SIGKILL');
      first = undefined;
      const atKill = smtp.mails.length;

      second = await startServerProcess(env);
      const jobs = async () => (await deps.store.read.notifications.jobs.pending('mail')).length;
      await waitFor(async () => (await jobs()) === 0, 'every mail job done', 60_000);
      // Let the last answers of the mail server arrive.
      await new Promise((r) => setTimeout(r, 500));

      // Every inbox row is a notice each member wants by e-mail (the default): each must have arrived.
      const expected = new Map<string, string>();
      for (const { user } of await deps.store.read.notifications.recipients.candidates({ limit: 1000 })) {
        for (const row of await deps.store.read.notifications.inbox.list({ userId: user.id, unread: false, limit: 100 })) {
          expected.set(`<e${row.eventId}.u${user.id}@kyogikai.example.jp>`, `mail:${row.eventId}:${user.id}`);
        }
      }
      expect(expected.size).toBeGreaterThanOrEqual(150);
      expect(atKill).toBeLessThan(expected.size);
      const ids = smtp.mails.map((m) => m.messageId);
      expect(new Set(ids)).toEqual(new Set(expected.keys()));
      // At most the mails in flight when the process died went out twice, recognisable by their Message-ID.
      expect(ids.length - expected.size).toBeLessThanOrEqual(8);
      for (const key of expected.values()) {
        const job = await deps.store.read.notifications.jobs.byKey(key);
        expect(job?.doneAt, key).not.toBeNull();
        expect(job?.failed, key).toBe(false);
      }
    } finally {
      if (first) process.kill(first.pid, 'SIGKILL');
      await second?.stop();
      await smtp.close();
      await deps.store.close();
      await db.drop();
    }
  }, 180_000);
});
