/**
 * `kyogikai demo --out FILE` through the built command (run `npx tsc -p tsconfig.build.json` first, as `npm test`
 * does): the file's format, the council it loads, and that a listed user signs in with password + TOTP and that
 * its token works.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DemoAccount } from '../core/membership/demo.js';
import { currentTotp } from '../core/totp.js';
import { buildApp } from '../server/app.js';
import { openStore } from '../store/index.js';
import { createPgDatabase, runCli } from '../test/processes.js';
import { dialects, TestClock, testDeps, testServerConfig } from '../test/stores.js';

const PASSWORD = 'correct horse battery staple';
const KEYS = ['name', 'class', 'foreignCapital', 'specialApproval', 'suspended', 'login', 'password', 'totpSecret', 'token'].sort();

describe.each(dialects)('kyogikai demo on %s', (dialect) => {
  let dir: string;
  let url: string;
  let dropDb: (() => Promise<void>) | undefined;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-demo-'));
    if (dialect === 'sqlite') {
      url = join(dir, 'demo.sqlite');
    } else {
      const db = await createPgDatabase(process.env.TEST_DATABASE_URL as string);
      url = db.url;
      dropDb = db.drop;
    }
  });
  afterEach(async () => {
    await dropDb?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the demo council, writes the accounts, and the accounts work', { timeout: 180_000 }, async () => {
    const out = join(dir, 'accounts.json');
    const run = await runCli(['demo', '--database', url, '--out', out], { KYOGIKAI_ADMIN_PASSWORD: PASSWORD });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('91 → 第2期 155 → 第3期 225 → 第4期 265');

    const file = JSON.parse(readFileSync(out, 'utf8')) as { organizations: DemoAccount[] };
    expect(Object.keys(file)).toEqual(['organizations']);
    const accounts = file.organizations;
    expect(accounts.length).toBeGreaterThanOrEqual(15);
    expect(accounts.length).toBeLessThanOrEqual(25);
    for (const a of accounts) {
      expect(Object.keys(a).sort()).toEqual(KEYS);
      expect(a.token).toMatch(/^kyg_/);
      expect(a.password.length).toBeGreaterThanOrEqual(12);
      const taskForce = a.class === 'designated' || a.class === 'type1' || a.class === 'type2';
      if (taskForce) expect(a.totpSecret).toMatch(/^[A-Z2-7]{16,}$/);
      else expect(a.totpSecret).toBeNull();
    }
    for (const cls of ['designated', 'type1', 'type2', 'general', 'none']) {
      expect(accounts.filter((a) => a.class === cls).length, cls).toBeGreaterThanOrEqual(2);
    }
    expect(accounts).toContainEqual(expect.objectContaining({ class: 'type2', foreignCapital: true, specialApproval: true }));
    expect(accounts).toContainEqual(expect.objectContaining({ class: 'general', foreignCapital: true, specialApproval: false }));
    expect(accounts).toContainEqual(expect.objectContaining({ suspended: true }));

    // A second run refuses the now non-empty database, in both languages.
    const again = await runCli(['demo', '--database', url], { KYOGIKAI_ADMIN_PASSWORD: PASSWORD });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('デモは新しい空のデータベースに読み込んでください');
    expect(again.stderr).toContain('load the demo into a new, empty database');

    const store = await openStore({ url });
    const deps = testDeps(store, new TestClock(Date.now()));
    const app = await buildApp({ deps, config: testServerConfig, logger: false });
    try {
      await app.ready();
      const type1 = accounts.find((a) => a.class === 'type1') as DemoAccount;
      const noCode = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: type1.login, password: type1.password } });
      expect(noCode.json()).toMatchObject({ error: { code: 'totp_required' } });
      const signIn = await app.inject({
        method: 'POST',
        url: '/api/v1/session',
        payload: { login: type1.login, password: type1.password, totp: currentTotp(type1.totpSecret as string) },
      });
      expect(signIn.statusCode, signIn.body).toBe(200);
      expect(signIn.json()).toMatchObject({ user: { login: type1.login, totpEnabled: true }, organization: { memberClass: 'type1' } });

      for (const a of accounts) {
        const me = await app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${a.token}` } });
        expect(me.statusCode, a.login).toBe(200);
        expect(me.json()).toMatchObject({ login: a.login });
        // The rules are accepted, so the account can use the system at once.
        const rules = await app.inject({ method: 'GET', url: '/api/v1/me/rulebooks', headers: { authorization: `Bearer ${a.token}` } });
        expect(rules.json()).toMatchObject({ allAccepted: true });
      }

      const periods = (await app.inject({ method: 'GET', url: '/api/v1/periods' })).json() as { number: number; open: boolean }[];
      expect(periods.map((p) => [p.number, p.open])).toEqual([
        [5, true],
        [4, false],
        [3, false],
        [2, false],
        [1, false],
      ]);
      const roster = (await app.inject({ method: 'GET', url: '/api/v1/roster' })).json() as { asOf: string; entries: unknown[] };
      expect(roster.asOf).toBe('2022-03-31');
      expect(roster.entries.length).toBeGreaterThan(200);
      expect(roster.entries.length).toBeLessThan(265);

      const committee = accounts.find((a) => a.login === 'demo-committee') as DemoAccount;
      const stats = (await app.inject({ method: 'GET', url: '/api/v1/membership/stats', headers: { authorization: `Bearer ${committee.token}` } })).json() as {
        rows: { periodNumber: number; total: number; byClass: Record<string, number> }[];
      };
      expect(stats.rows.map((r) => r.total)).toEqual([91, 155, 225, 265, 265]);
      expect(stats.rows[3]?.byClass.designated).toBe(1);

      const secretariat = accounts.find((a) => a.login === 'demo-secretariat') as DemoAccount;
      const byStatus = async (status: string) =>
        ((await app.inject({ method: 'GET', url: `/api/v1/applications?status=${status}&limit=1`, headers: { authorization: `Bearer ${secretariat.token}` } })).json() as {
          items: unknown[];
        }).items.length;
      for (const status of ['submitted', 'returned', 'checked', 'approved', 'rejected', 'withdrawn']) expect(await byStatus(status), status).toBe(1);

      // The information side: each tier sees its own share of the demo's countermeasure information.
      const stagesSeenBy = async (a: DemoAccount) =>
        new Set(
          ((await app.inject({ method: 'GET', url: '/api/v1/advisories?limit=200', headers: { authorization: `Bearer ${a.token}` } })).json() as {
            items: { stage: string }[];
          }).items.map((i) => i.stage),
        );
      const byClass = (cls: string) => accounts.find((a) => a.class === cls && !a.foreignCapital && !a.suspended) as DemoAccount;
      expect(await stagesSeenBy(byClass('type1'))).toEqual(new Set(['type1', 'type2', 'members', 'public']));
      expect(await stagesSeenBy(byClass('designated'))).toEqual(new Set(['draft', 'type1', 'type2', 'members', 'public']));
      expect(await stagesSeenBy(byClass('type2'))).toEqual(new Set(['type2', 'members', 'public']));
      expect(await stagesSeenBy(byClass('general'))).toEqual(new Set(['members', 'public']));
      const anonymous = (await app.inject({ method: 'GET', url: '/api/v1/advisories' })).json() as { items: { stage: string; tlp: string }[] };
      expect(anonymous.items.map((i) => [i.stage, i.tlp])).toEqual([['public', 'clear']]);
      const reports = (await app.inject({ method: 'GET', url: '/api/v1/reports?limit=200', headers: { authorization: `Bearer ${byClass('type1').token}` } })).json() as {
        items: { kind: string }[];
      };
      expect(new Set(reports.items.map((r) => r.kind))).toEqual(new Set(['suspicious_activity', 'incident', 'vulnerability', 'malware', 'phishing', 'other']));
      const mine = (await app.inject({ method: 'GET', url: '/api/v1/info-requests/mine?state=all', headers: { authorization: `Bearer ${byClass('general').token}` } })).json() as {
        items: unknown[];
      };
      expect(mine.items.length).toBeGreaterThanOrEqual(1);
    } finally {
      await app.close();
      await store.close();
    }

    const audit = await runCli(['verify-audit', '--database', url]);
    expect(audit.code, audit.stderr).toBe(0);
  });
});
