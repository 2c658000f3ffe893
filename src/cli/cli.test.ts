import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { connect } from '../store/index.js';
import { createPgDatabase, runCli, startServerProcess } from '../test/processes.js';
import { dialects } from '../test/stores.js';

const PASSWORD = 'correct horse battery staple';

describe('kyogikai --help', () => {
  it('lists the commands, each with its own help', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    for (const cmd of ['serve', 'migrate', 'admin', 'verify-audit']) expect(top.stdout).toContain(cmd);
    const admin = await runCli(['admin', '--help']);
    expect(admin.stdout).toContain('create');
    expect(admin.stdout).toContain('reset-password');
    const verify = await runCli(['verify-audit', '--help']);
    expect(verify.stdout).toContain('--database');
  });

  it('refuses an unknown command with a non-zero exit', async () => {
    const r = await runCli(['frobnicate']);
    expect(r.code).not.toBe(0);
  });
});

describe.each(dialects)('kyogikai command on %s', (dialect) => {
  let url: string;
  let cleanup: () => Promise<void>;

  beforeEach(async () => {
    if (dialect === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'kyogikai-cli-'));
      url = join(dir, 'db.sqlite');
      cleanup = () => Promise.resolve(rmSync(dir, { recursive: true, force: true }));
    } else {
      const db = await createPgDatabase(process.env.TEST_DATABASE_URL as string);
      url = db.url;
      cleanup = db.drop;
    }
  });
  afterEach(() => cleanup());

  it('migrates once, then reports the schema up to date', async () => {
    const first = await runCli(['migrate', '--database', url]);
    expect(first.stdout).toContain('001-foundation');
    const second = await runCli(['migrate'], { DATABASE_URL: url });
    expect(second.stdout).toContain('up to date');
  });

  it('serves on first start with the configured admin password, signs in, and verifies the audit log', async () => {
    const server = await startServerProcess({ DATABASE_URL: url, KYOGIKAI_ADMIN_PASSWORD: PASSWORD });
    try {
      const health = await fetch(`${server.url}/healthz`);
      expect(await health.json()).toEqual({ status: 'ok', database: dialect });
      const login = await fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      // Structured logs: every line pino writes is JSON.
      const lines = server.output().split('\n').filter((l) => l.startsWith('{'));
      expect(lines.length).toBeGreaterThan(0);
      for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
    } finally {
      await server.stop();
    }

    const created = await runCli(['admin', 'create', 'second.admin', '--email', 'second@example.jp', '--database', url]);
    expect(created.code).toBe(0);
    const generated = /password: (\S+)/.exec(created.stdout)?.[1];
    expect(generated).toBeTruthy();

    const reset = await runCli(['admin', 'reset-password', 'admin', '--password', 'another long password', '--database', url]);
    expect(reset.code).toBe(0);

    const ok = await runCli(['verify-audit', '--database', url]);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/intact: \d+ rows/);

    // Tamper as someone with direct database access would: remove the guard, then change a row.
    const { db } = connect({ url });
    try {
      if (dialect === 'sqlite') await sql`drop trigger audit_log_no_update`.execute(db);
      else await sql`drop trigger audit_log_no_change on audit_log`.execute(db);
      await sql`update audit_log set actor_label = 'someone else' where seq = 2`.execute(db);
    } finally {
      await db.destroy();
    }
    const bad = await runCli(['verify-audit', '--database', url]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('row 2');
  });

  it('prints a generated admin password once when none is configured', async () => {
    const server = await startServerProcess({ DATABASE_URL: url, KYOGIKAI_ADMIN_PASSWORD: '' });
    try {
      const password = /password:\s*\n\s*(\S+)/.exec(server.output())?.[1];
      expect(password).toBeTruthy();
      const login = await fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password }),
      });
      expect(login.status).toBe(200);
    } finally {
      await server.stop();
    }
    const again = await startServerProcess({ DATABASE_URL: url, KYOGIKAI_ADMIN_PASSWORD: '' });
    try {
      expect(again.output()).not.toContain('Created administrator');
    } finally {
      await again.stop();
    }
  });

  it('refuses bad arguments with a message', async () => {
    const r = await runCli(['admin', 'create', 'x', '--email', 'a@example.jp', '--database', url]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('login is not valid');
  });
});

describe.runIf(dialects.includes('postgres'))('several server processes on one PostgreSQL', () => {
  it('share sessions: a sign-in on one process is honoured by the other', async () => {
    const db = await createPgDatabase(process.env.TEST_DATABASE_URL as string);
    const a = await startServerProcess({ DATABASE_URL: db.url, KYOGIKAI_ADMIN_PASSWORD: PASSWORD });
    const b = await startServerProcess({ DATABASE_URL: db.url, KYOGIKAI_ADMIN_PASSWORD: PASSWORD });
    try {
      const login = await fetch(`${a.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: 'admin', password: PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const me = await fetch(`${b.url}/api/v1/session`, { headers: { cookie } });
      expect(me.status).toBe(200);
      const change = await fetch(`${b.url}/api/v1/me`, {
        method: 'PATCH',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ locale: 'en' }),
      });
      expect(change.status).toBe(200);
      const ok = await runCli(['verify-audit', '--database', db.url]);
      expect(ok.code).toBe(0);
    } finally {
      await a.stop();
      await b.stop();
      await db.drop();
    }
  });
});
