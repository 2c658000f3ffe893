/**
 * Nothing lost on a crash (issue 9, point 3): a real `kyogikai serve` process killed with SIGKILL in the middle of a
 * TAXII ingest, then restarted on the same database, holds every envelope it acknowledged, whole, and no report or
 * object of an envelope half-written; the audit chain still verifies. Likewise in the middle of a release's e-mails:
 * every notice arrives once a process runs again.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { inboxCollectionId } from '../core/interop/collections.js';
import { connect } from '../store/index.js';
import { personIn } from '../test/council.js';
import { insertOrg } from '../test/membership.js';
import { startSmtpReceiver, waitFor } from '../test/notifications.js';
import { councilAt, processDatabase, releaseThrough, runCli, startServerProcess, type ServerProcess } from '../test/processes.js';
import { dialects } from '../test/stores.js';

const PASSWORD = 'crash test password 2026';
const TAXII = 'application/taxii+json;version=2.1';
/** Indicators per envelope: enough that a POST spends a while in its transaction. */
const PER_ENVELOPE = 20;

interface Envelope {
  /** The report it becomes is titled after its first indicator. */
  title: string;
  ids: string[];
  objects: Record<string, unknown>[];
}

function envelope(n: number): Envelope {
  const title = `crash envelope ${n}`;
  const objects = Array.from({ length: PER_ENVELOPE }, (_, i) => ({
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${randomUUID()}`,
    created: '2026-03-01T00:00:00.000Z',
    modified: '2026-03-01T00:00:00.000Z',
    name: i === 0 ? title : `${title} / ${i}`,
    pattern: `[ipv4-addr:value = '10.${n >> 8}.${n & 255}.${i}']`,
    pattern_type: 'stix',
    valid_from: '2026-03-01T00:00:00Z',
  }));
  return { title, ids: objects.map((o) => o.id), objects };
}

const postEnvelope = (server: ServerProcess, token: string, inbox: string, e: Envelope) =>
  fetch(`${server.url}/taxii2/council/collections/${inbox}/objects/`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, accept: TAXII, 'content-type': TAXII },
    body: JSON.stringify({ objects: e.objects }),
  });

describe.each(dialects)('a server process killed with SIGKILL on %s', (dialect) => {
  it('in the middle of a TAXII ingest: every acknowledged envelope is there whole, none half-written, the audit chain holds', async () => {
    const db = await processDatabase(dialect);
    const { c, deps } = await councilAt(db.url, PASSWORD);
    const check = connect({ url: db.url });
    const inbox = inboxCollectionId(c.type1.org.id);
    const env = { DATABASE_URL: db.url, KYOGIKAI_ADMIN_PASSWORD: PASSWORD };
    let first: ServerProcess | undefined;
    let second: ServerProcess | undefined;
    try {
      first = await startServerProcess(env);
      const server = first;
      // Two clients post envelope after envelope, so a POST is in flight whenever the process dies.
      const acknowledged: Envelope[] = [];
      const unanswered: Envelope[] = [];
      let next = 0;
      let killed = false;
      const poster = async () => {
        while (!killed) {
          const e = envelope(next++);
          try {
            const res = await postEnvelope(server, c.type1.token, inbox, e);
            const body = await res.text();
            if (res.status !== 202) throw new Error(`POST answered ${res.status}: ${body}`);
            acknowledged.push(e);
          } catch (err) {
            if (!killed) throw err;
            unanswered.push(e);
          }
        }
      };
      const posters = [poster(), poster()];
      await waitFor(() => acknowledged.length >= 10, 'the first acknowledged envelopes', 30_000);
      killed = true;
      process.kill(first.pid, 'SIGKILL');
      first = undefined;
      await Promise.all(posters);
      expect(unanswered.length).toBeGreaterThan(0);

      second = await startServerProcess(env);
      const restarted = second;
      const sent = [...acknowledged, ...unanswered];

      /** Each report of the organisation with its inbox objects and observables, by title; throws on a torn one. */
      async function wholeEnvelopes(): Promise<Map<string, string>> {
        const reports = await check.db.selectFrom('reports').select(['id', 'title']).where('org_id', '=', c.type1.org.id).execute();
        const count = async (table: 'stix_objects' | 'observables') => {
          const rows =
            table === 'stix_objects'
              ? await check.db.selectFrom('stix_objects').select(['item_id', (e) => e.fn.countAll().as('n')]).where('collection', '=', inbox).groupBy('item_id').execute()
              : await check.db.selectFrom('observables').select(['item_id', (e) => e.fn.countAll().as('n')]).groupBy('item_id').execute();
          return new Map(rows.map((r) => [r.item_id, Number(r.n)]));
        };
        const objects = await count('stix_objects');
        const observables = await count('observables');
        // No inbox object without its report, no report without all its objects and observables.
        expect(new Set(objects.keys())).toEqual(new Set(reports.map((r) => r.id)));
        for (const r of reports) {
          expect(objects.get(r.id), r.title).toBe(PER_ENVELOPE);
          expect(observables.get(r.id), r.title).toBe(PER_ENVELOPE);
        }
        const byTitle = new Map(reports.map((r) => [r.title, r.id]));
        expect(byTitle.size, 'one report per envelope').toBe(reports.length);
        expect(sent.map((e) => e.title)).toEqual(expect.arrayContaining([...byTitle.keys()]));
        // Each report's audit row was written with it.
        const audited = await deps.store.read.audit.list({ action: 'taxii.add', limit: 1000 });
        expect(new Set(audited.map((a) => a.detail.reportId).filter(Boolean))).toEqual(new Set(byTitle.values()));
        return byTitle;
      }

      const afterCrash = await wholeEnvelopes();
      for (const e of acknowledged) {
        expect(afterCrash.has(e.title), e.title).toBe(true);
        const res = await fetch(`${restarted.url}/taxii2/council/collections/${inbox}/objects/?match[id]=${e.ids.join(',')}&limit=1000`, {
          headers: { authorization: `Bearer ${c.type1.token}`, accept: TAXII },
        });
        expect(res.status).toBe(200);
        const served = ((await res.json()) as { objects?: { id: string }[] }).objects ?? [];
        expect(new Set(served.map((o) => o.id))).toEqual(new Set(e.ids));
      }
      expect((await runCli(['verify-audit'], { DATABASE_URL: db.url })).code).toBe(0);

      // A client that posts again what was never acknowledged ends with each envelope exactly once.
      for (const e of unanswered) expect((await postEnvelope(restarted, c.type1.token, inbox, e)).status).toBe(202);
      expect([...(await wholeEnvelopes()).keys()].sort()).toEqual(sent.map((e) => e.title).sort());
      expect((await runCli(['verify-audit'], { DATABASE_URL: db.url })).code).toBe(0);
    } finally {
      if (first) process.kill(first.pid, 'SIGKILL');
      await second?.stop();
      await check.db.destroy();
      await deps.store.close();
      await db.drop();
    }
  }, 60_000);

  it('in the middle of a batch of e-mails: none is lost, the restarted process sends the rest', async () => {
    const db = await processDatabase(dialect);
    const { c, deps } = await councilAt(db.url, PASSWORD);
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
      await releaseThrough(first, c.type1.token, ['type1', 'type2', 'members']);
      await waitFor(() => smtp.mails.length >= 40, 'the first mails', 30_000);
      process.kill(first.pid, 'SIGKILL');
      first = undefined;
      const atKill = smtp.mails.length;

      second = await startServerProcess(env);
      const jobs = async () => (await deps.store.read.notifications.jobs.pending('mail')).length;
      await waitFor(async () => (await jobs()) === 0, 'every mail job done', 60_000);
      // Let the last answers of the mail server arrive.
      await new Promise((r) => setTimeout(r, 500));

      // Every inbox row is a notice its member wants by e-mail (the default): each must have arrived.
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
      expect((await runCli(['verify-audit'], { DATABASE_URL: db.url })).code).toBe(0);
    } finally {
      if (first) process.kill(first.pid, 'SIGKILL');
      await second?.stop();
      await smtp.close();
      await deps.store.close();
      await db.drop();
    }
  }, 180_000);
});
