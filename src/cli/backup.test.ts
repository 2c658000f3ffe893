/**
 * `kyogikai backup` and `kyogikai restore` against a real server process that keeps writing: the copy is a
 * consistent snapshot (every organisation in it has its audit row and the chain verifies), a restore is refused
 * while the server has the database open, and what comes back is exactly the snapshot.
 */
import { execSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPgDatabase, runCli, startServerProcess, type ServerProcess } from '../test/processes.js';
import { dialects } from '../test/stores.js';

const PASSWORD = 'correct horse battery staple';

/** What a snapshot holds: organisations, and the audit rows of their creation, which must agree. */
function contents(path: string): { orgs: string[]; created: string[] } {
  const db = new SQLite(path, { readonly: true, fileMustExist: true });
  try {
    const orgs = db.prepare(`select name_en from organizations where is_secretariat = 0 order by id`).pluck().all() as string[];
    const created = db.prepare(`select target_id from audit_log where action = 'organization.create' order by seq`).pluck().all() as string[];
    return { orgs, created };
  } finally {
    db.close();
  }
}

/** The test organisations a running server lists to its administrator, page by page. */
async function servedNames(server: ServerProcess): Promise<string[]> {
  const login = await fetch(`${server.url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: 'admin', password: PASSWORD }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const names: string[] = [];
  let cursor: string | null = '';
  while (cursor !== null) {
    const url = `${server.url}/api/v1/organizations?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = (await (await fetch(url, { headers: { cookie } })).json()) as { items: { nameEn: string }[]; next: string | null };
    names.push(...page.items.map((o) => o.nameEn).filter((n) => n.startsWith('Backup Test')));
    cursor = page.next;
  }
  return names.sort();
}

/** Signs in as admin and creates organisations one after another until stopped; counts the ones acknowledged. */
function writer(server: ServerProcess) {
  let stopped = false;
  const acknowledged: string[] = [];
  const done = (async () => {
    const login = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: 'admin', password: PASSWORD }),
    });
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    for (let i = 0; !stopped; i++) {
      const name = `Backup Test ${String(i).padStart(4, '0')}`;
      const res = await fetch(`${server.url}/api/v1/organizations`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ nameJa: `バックアップ試験${i}`, nameEn: name, category: 'cyber_business', memberClass: 'general' }),
      });
      if (res.status !== 201) throw new Error(`write failed: ${res.status} ${await res.text()}`);
      acknowledged.push(name);
    }
  })();
  return {
    acknowledged,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

describe('kyogikai backup and restore on SQLite', () => {
  let dir: string;
  let db: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-backup-'));
    db = join(dir, 'live.db');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('copies the database while the server writes, and restores exactly that copy', { timeout: 120_000 }, async () => {
    // The writer is faster than the default rate limit allows.
    const serverEnv = { DATABASE_URL: db, KYOGIKAI_ADMIN_PASSWORD: PASSWORD, RATE_LIMIT_PER_MINUTE: '1000000' };
    const server = await startServerProcess(serverEnv);
    const backups = [join(dir, 'first.db'), join(dir, 'second.db')];
    let load: ReturnType<typeof writer> | undefined;
    try {
      load = writer(server);
      // Two copies taken while organisations keep arriving.
      for (const file of backups) {
        await new Promise((r) => setTimeout(r, 700));
        const made = await runCli(['backup', file, '--database', db]);
        expect(made.stderr).toBe('');
        expect(made.code).toBe(0);
        expect(made.stdout).toMatch(/audit log intact: \d+ rows/);
        expect(made.stdout).toContain('ATTACHMENTS_DIR');
      }
      await new Promise((r) => setTimeout(r, 300));
      await load.stop();

      // Consistent snapshots: each copy holds a prefix of what was acknowledged, each organisation with its audit row.
      const first = contents(backups[0] as string);
      const second = contents(backups[1] as string);
      expect(first.orgs.length).toBeGreaterThan(0);
      expect(second.orgs.length).toBeGreaterThan(first.orgs.length);
      expect(load.acknowledged.length).toBeGreaterThan(second.orgs.length);
      for (const snap of [first, second]) {
        expect(snap.orgs).toEqual(load.acknowledged.slice(0, snap.orgs.length));
        expect(snap.created).toHaveLength(snap.orgs.length);
      }
      expect((await runCli(['verify-audit', '--database', backups[0] as string])).code).toBe(0);

      // A backup never overwrites a file unless told to.
      const again = await runCli(['backup', backups[0] as string, '--database', db]);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('--force');

      // The server still has the database open: a restore is refused and changes nothing.
      const refused = await runCli(['restore', backups[0] as string, '--database', db]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('in use');
      expect(contents(db).orgs).toEqual(load.acknowledged);
    } finally {
      await load?.stop().catch(() => undefined);
      await server.stop();
    }

    const restored = await runCli(['restore', backups[0] as string, '--database', db]);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(contents(db)).toEqual(contents(backups[0] as string));
    const verified = await runCli(['verify-audit', '--database', db]);
    expect(verified.code).toBe(0);
    // What the restore replaced is kept beside it, with everything that was written.
    const kept = readdirSync(dir).find((f) => f.startsWith('live.db.before-restore-'));
    expect(kept).toBeDefined();
    expect(contents(join(dir, kept as string)).orgs).toEqual(load.acknowledged);

    // The server starts on the restored database and serves its data.
    const after = await startServerProcess(serverEnv);
    try {
      expect(await servedNames(after)).toEqual(contents(backups[0] as string).orgs);
      // --force restores into the database the running server has open: it serves the other snapshot at once.
      const forced = await runCli(['restore', backups[1] as string, '--force', '--database', db]);
      expect(forced.code).toBe(0);
      expect(await servedNames(after)).toEqual(contents(backups[1] as string).orgs);
    } finally {
      await after.stop();
    }
    expect((await runCli(['verify-audit', '--database', db])).code).toBe(0);
  });

  it('refuses to restore a file that is not a sound kyogikai backup, and a missing one', async () => {
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, 'not a database at all');
    const target = join(dir, 'untouched.db');
    const r = await runCli(['restore', junk, '--database', target]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot be restored');
    expect(existsSync(target)).toBe(false);

    const missing = await runCli(['restore', join(dir, 'nothing.db'), '--database', target]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('no backup');
  });

  it('refuses a backup whose audit log was tampered with', async () => {
    const source = join(dir, 'tamper-source.db');
    const server = await startServerProcess({ DATABASE_URL: source, KYOGIKAI_ADMIN_PASSWORD: PASSWORD });
    await server.stop();
    const copy = join(dir, 'tampered.db');
    expect((await runCli(['backup', copy, '--database', source])).code).toBe(0);
    const raw = new SQLite(copy);
    raw.exec(`drop trigger audit_log_no_update; update audit_log set actor_label = 'someone else' where seq = 1`);
    raw.close();
    const r = await runCli(['restore', copy, '--database', join(dir, 'from-tampered.db')]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('audit log broken at row 1');
  });
});

describe.runIf(dialects.includes('postgres'))('kyogikai backup and restore on PostgreSQL', () => {
  it('print the pg_dump and pg_restore commands, which bring the data back with an intact audit log', { timeout: 60_000 }, async () => {
    const source = await createPgDatabase(process.env.TEST_DATABASE_URL as string);
    const target = await createPgDatabase(process.env.TEST_DATABASE_URL as string);
    const dir = mkdtempSync(join(tmpdir(), 'kyogikai-pgdump-'));
    const file = join(dir, 'council.dump');
    try {
      const server = await startServerProcess({ DATABASE_URL: source.url, KYOGIKAI_ADMIN_PASSWORD: PASSWORD });
      await server.stop();
      const dump = await runCli(['backup', file], { DATABASE_URL: source.url });
      expect(dump.code).toBe(1);
      const dumpCommand = /^\s+(pg_dump .*)$/m.exec(dump.stderr)?.[1];
      expect(dumpCommand).toContain('"$DATABASE_URL"');
      expect(dump.stderr).not.toContain(source.url);
      const restore = await runCli(['restore', file], { DATABASE_URL: target.url });
      expect(restore.code).toBe(1);
      const restoreCommand = /^\s+(pg_restore .*)$/m.exec(restore.stderr)?.[1];

      execSync(dumpCommand as string, { env: { ...process.env, DATABASE_URL: source.url }, shell: '/bin/sh' });
      execSync(restoreCommand as string, { env: { ...process.env, DATABASE_URL: target.url }, shell: '/bin/sh' });
      const ok = await runCli(['verify-audit', '--database', target.url]);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/intact: [1-9]\d* rows/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await source.drop();
      await target.drop();
    }
  });
});
