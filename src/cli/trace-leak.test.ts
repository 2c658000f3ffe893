/**
 * `kyogikai trace-leak` end to end with the built command (bin/kyogikai.js → dist/; `npx tsc -p tsconfig.build.json`
 * first): members export a document, part of it leaks, the secretariat traces it back to the organisation.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stripMarks, type TracedMark } from '../core/sharing/marks.js';
import type { AdvisorySummary } from '../core/sharing/model.js';
import { formatJst } from '../core/time.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { runCli as runOnce, type RunResult } from '../test/processes.js';
import { createSignedInCouncil, type SignedInCouncil, type UserKey } from '../test/sharing-council.js';
import { dialects } from '../test/stores.js';

/**
 * The command brings the schema up to date first; on the shared PostgreSQL test database Kysely's migrator looks at
 * every schema, and one dropped by a test in another process at that moment fails the start (see migrateRetrying in
 * src/test/stores.ts). Run again in that case only.
 */
async function runCli(args: string[]): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    const r = await runOnce(args);
    const raced = /schema "[^"]+" does not exist|kysely_migration" does not exist/.test(r.stderr);
    if (!raced || attempt >= 5) return r;
    await new Promise((done) => setTimeout(done, 100 * attempt));
  }
}

describe('kyogikai trace-leak --help', () => {
  it('is listed and documented', async () => {
    const top = await runCli(['--help']);
    expect(top.stdout).toContain('trace-leak');
    const help = await runCli(['trace-leak', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('<file>');
    expect(help.stdout).toContain('--database');
    expect(help.stdout).toContain('--json');
  });
});

describe.each(dialects)('kyogikai trace-leak on %s', (dialect) => {
  let t: TestApp;
  let c: SignedInCouncil;
  let dir: string;
  /** The database as the command opens it (on PostgreSQL: the test's schema, through the connection options). */
  let databaseUrl: string;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    c = await createSignedInCouncil(t);
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-leak-'));
    if (dialect === 'sqlite') {
      databaseUrl = t.db.url;
    } else {
      const url = new URL(t.db.url);
      url.searchParams.set('options', `-c search_path=${t.db.schema ?? 'public'}`);
      databaseUrl = url.toString();
    }
  });
  afterEach(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const threat = '攻撃者は認証回避の脆弱性を悪用して管理画面に侵入します。侵入後は設定情報を窃取し、横展開を試みます。\n一部の事業者では VPN 利用者の認証情報が漏えいしました。';

  async function releasedAdvisory(): Promise<AdvisorySummary> {
    const type1 = await c.as('type1');
    const res = await type1.request({
      method: 'POST',
      url: '/api/v1/advisories',
      payload: {
        title: 'VPN装置の脆弱性を悪用した侵入について',
        summary: '重要インフラ事業者で VPN 装置への侵入が確認されています。',
        threat,
        actions: '修正版へ更新してください。',
        indicators: [{ type: 'ipv4', value: '203.0.113.5' }],
        tlp: 'amber',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json() as AdvisorySummary;
    for (const to of ['type1', 'type2', 'members']) {
      const r = await type1.request({ method: 'POST', url: `/api/v1/advisories/${a.id}/releases`, payload: { to } });
      expect(r.statusCode, r.body).toBe(200);
    }
    return a;
  }

  async function exported(key: UserKey, id: string, format = 'md'): Promise<{ body: string; at: Date }> {
    const client = await c.as(key);
    const at = t.deps.clock.now();
    const res = await client.request({ method: 'GET', url: `/api/v1/advisories/${id}/export?format=${format}` });
    expect(res.statusCode, res.body).toBe(200);
    return { body: res.body, at };
  }

  const file = (name: string, content: string | Buffer) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  it('names the organisation, user, item and time behind a pasted part of an exported document', async () => {
    const a = await releasedAdvisory();
    const { body, at } = await exported('type2', a.id);
    // Someone pastes one sentence of the threat into a chat, and it turns up outside.
    const start = body.indexOf('侵入後は');
    const leaked = file('leak.txt', `転送します:\n${body.slice(start, body.indexOf('\n', start))}\n`);

    const r = await runCli(['trace-leak', leaked, '--database', databaseUrl]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('1件の識別情報を検出しました');
    expect(r.stdout).toContain('東日本電力株式会社 / East Japan Electric Power Co.');
    expect(r.stdout).toContain('電力 四郎 (ejep.csirt, ejep.csirt@ejep.example.jp)');
    expect(r.stdout).toContain('「VPN装置の脆弱性を悪用した侵入について」 第1版 / v1');
    expect(r.stdout).toContain(`${formatJst(at, 'ja')} / ${formatJst(at, 'en')}`);
    expect(r.stdout).toContain('md, TLP:AMBER');

    // The trace itself is on the record.
    const rows = await t.deps.store.read.audit.list({ action: 'mark.trace', limit: 10 });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actorLabel: 'system:trace-leak', detail: { source: leaked, found: [expect.objectContaining({ known: true, orgId: c.orgs.type2.id })] } });
  });

  it('names every organisation when parts of several exports are put together; --json for tools', async () => {
    const a = await releasedAdvisory();
    const fromType2 = await exported('type2', a.id, 'txt');
    const fromGeneral = await exported('general', a.id, 'json');
    const titleLine = fromType2.body.split('\n')[2] as string;
    const jsonThreat = (JSON.parse(fromGeneral.body) as { threat: string }).threat.split('\n')[1] as string;
    const leaked = file('merged.md', `${titleLine}\n\n${jsonThreat}\n`);

    const r = await runCli(['trace-leak', leaked, '--json', '--database', databaseUrl]);
    expect(r.code, r.stderr).toBe(0);
    const { marks } = JSON.parse(r.stdout) as { marks: TracedMark[] };
    expect(marks.map((m) => [m.org?.nameJa, m.user?.login, m.format])).toEqual([
      ['東日本電力株式会社', 'ejep.csirt', 'txt'],
      ['桜市', 'sakura.joho', 'json'],
    ]);
    expect(marks[1]).toMatchObject({ known: true, item: { type: 'advisory', id: a.id, version: 1 }, at: fromGeneral.at.toISOString(), tlp: 'TLP:AMBER' });
  });

  it('reads UTF-16 text as some editors save it', async () => {
    const a = await releasedAdvisory();
    const { body } = await exported('general2', a.id);
    const leaked = file('utf16.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, 'utf16le')]));
    const r = await runCli(['trace-leak', leaked, '--database', databaseUrl]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('国立情報大学 / National Informatics University');
  });

  it('exits 1 when the text carries no mark, and 2 when the file cannot be read', async () => {
    const a = await releasedAdvisory();
    const { body } = await exported('type2', a.id);
    const clean = file('clean.md', stripMarks(body));
    const none = await runCli(['trace-leak', clean, '--database', databaseUrl]);
    expect(none.code).toBe(1);
    expect(none.stdout).toContain('識別情報は見つかりませんでした / no mark found');

    // A well-formed token that this installation never issued.
    const { encodeMark, newMarkId } = await import('../core/sharing/marks.js');
    const foreign = file('foreign.txt', `text${encodeMark(newMarkId())}`);
    const unknown = await runCli(['trace-leak', foreign, '--database', databaseUrl]);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toContain('not issued by this installation');

    const missing = await runCli(['trace-leak', join(dir, 'nope.txt'), '--database', databaseUrl]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read');
  });
});
