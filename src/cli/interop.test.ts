/**
 * `kyogikai import` and `kyogikai export` end to end with the built command (bin/kyogikai.js → dist/;
 * `npx tsc -p tsconfig.build.json` first): files of every kind in, a summary out; a MISP feed directory and a STIX
 * bundle out, the same as the HTTP feed gives; the progress bar only on a terminal.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MispManifestEntry } from '../core/interop/misp.js';
import { mispEventUuid } from '../core/interop/misp.js';
import type { AdvisorySummary, Stage } from '../core/sharing/model.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { BIN, runCli as runOnce, type RunResult } from '../test/processes.js';
import { createSignedInCouncil, type SignedInCouncil } from '../test/sharing-council.js';
import { dialects } from '../test/stores.js';

/** The command migrates first; a schema dropped by another test process at that moment is retried (see trace-leak.test.ts). */
async function runCli(args: string[]): Promise<RunResult> {
  for (let attempt = 1; ; attempt++) {
    const r = await runOnce(args);
    const raced = /schema "[^"]+" does not exist|kysely_migration" does not exist/.test(r.stderr);
    if (!raced || attempt >= 5) return r;
    await new Promise((done) => setTimeout(done, 100 * attempt));
  }
}

const event = (info: string, value: string) => ({
  info,
  uuid: '6f0c1b2a-3d4e-4f50-8a61-7b8c9d0e1f2a',
  date: '2026-03-30',
  Orgc: { name: 'Partner ISAC' },
  Tag: [{ name: 'tlp:green' }],
  Attribute: [
    { type: 'ip-dst', value },
    { uuid: '6f0c1b2a-3d4e-4f50-8a61-7b8c9d0e1f99', type: 'mutex', value: 'Global\\x' },
  ],
});

const stixBundle = {
  type: 'bundle',
  id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d',
  objects: [
    {
      type: 'indicator',
      spec_version: '2.1',
      id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
      created: '2026-03-30T00:00:00.000Z',
      modified: '2026-03-30T00:00:00.000Z',
      name: 'C2 server',
      pattern: "[ipv4-addr:value = '198.51.100.77']",
      pattern_type: 'stix',
      valid_from: '2026-03-30T00:00:00Z',
      object_marking_refs: ['marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb'],
    },
    { type: 'indicator', id: 'indicator--not-valid' },
  ],
};

describe('kyogikai import / export --help', () => {
  it('lists both commands with their options', async () => {
    const top = await runCli(['--help']);
    expect(top.stdout).toContain('import');
    expect(top.stdout).toContain('export');
    const imp = await runCli(['import', '--help']);
    for (const o of ['<files...>', '--as', '--json', '--database']) expect(imp.stdout).toContain(o);
    const exp = await runCli(['export', '--help']);
    for (const o of ['--audience', '--format', '--out', '--as']) expect(exp.stdout).toContain(o);
    const bad = await runCli(['export', '--audience', 'draft', '--format', 'misp']);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('audience is not valid');
  });
});

describe.each(dialects)('kyogikai import / export on %s', (dialect) => {
  let t: TestApp;
  let c: SignedInCouncil;
  let dir: string;
  /** The database as the command opens it (on PostgreSQL: the test's schema, through the connection options). */
  let databaseUrl: string;

  beforeEach(async () => {
    t = await createTestApp(dialect);
    c = await createSignedInCouncil(t);
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-interop-'));
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

  const file = (name: string, body: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, typeof body === 'string' ? body : JSON.stringify(body));
    return path;
  };

  async function advisoryAt(stage: Stage, tlp: string, title: string): Promise<AdvisorySummary> {
    const type1 = await c.as('type1');
    const res = await type1.request({
      method: 'POST',
      url: '/api/v1/advisories',
      payload: { title, summary: '概要', threat: '脅威', actions: '対策', indicators: [{ type: 'domain', value: `${stage}.example.net` }], tlp },
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json() as AdvisorySummary;
    const order: Stage[] = ['draft', 'type1', 'type2', 'members', 'public'];
    for (const to of order.slice(1, order.indexOf(stage) + 1)) {
      const r = await type1.request({ method: 'POST', url: `/api/v1/advisories/${a.id}/releases`, payload: { to } });
      expect(r.statusCode, r.body).toBe(200);
    }
    return a;
  }

  interface Result {
    file: string;
    format: string | null;
    event?: number;
    reportId?: string | null;
    imported?: number;
    rejected?: { index: number; id?: string; reason: string }[];
    error?: string;
  }

  it('imports MISP events and STIX bundles, and sums up what came in and what was rejected', async () => {
    const files = [
      file('one.json', { Event: event('単独のイベント', '198.51.100.10') }),
      file('search.json', { response: [{ Event: event('一件目', '198.51.100.11') }, { Event: event('二件目', '198.51.100.12') }] }),
      file('bundle.json', stixBundle),
      file('broken.json', '{"Event": '),
      file('other.json', { hello: 'world' }),
    ];
    const r = await runCli(['import', '--json', '--database', databaseUrl, ...files]);
    expect(r.code, r.stderr).toBe(1);
    const { results } = JSON.parse(r.stdout) as { results: Result[] };
    expect(results.map((x) => [x.file.slice(dir.length + 1), x.format, x.event ?? null, x.imported ?? null])).toEqual([
      ['one.json', 'misp', null, 1],
      ['search.json', 'misp', 0, 1],
      ['search.json', 'misp', 1, 1],
      ['bundle.json', 'stix', null, 1],
      ['broken.json', null, null, null],
      ['other.json', null, null, null],
    ]);
    expect(results[0]?.rejected).toEqual([{ index: 1, id: '6f0c1b2a-3d4e-4f50-8a61-7b8c9d0e1f99', reason: '属性の種類「mutex」は観測情報として取り込めません。' }]);
    expect(results[3]?.rejected).toEqual([expect.objectContaining({ index: 1, id: 'indicator--not-valid' })]);
    expect(results[4]?.error).toContain('JSON として読めません / not valid JSON');
    expect(results[5]?.error).toBe('STIX 2.1 バンドルでも MISP イベントでもありません。 / Neither a STIX 2.1 bundle nor a MISP event.');

    // Made by the secretariat's administrator, into the Type 1 group's queue, with the TLP of the source.
    for (const x of results.slice(0, 4)) {
      const report = await t.deps.store.read.sharing.reports.byId(x.reportId as string);
      expect(report).toMatchObject({ orgId: c.orgs.secretariat.id, stage: 'type1', tlp: 'green', providerNamed: false });
    }
    const audit = await t.deps.store.read.audit.list({ action: 'misp.import', limit: 10 });
    expect(audit).toHaveLength(3);
    expect(audit[0]).toMatchObject({ actorLabel: 'admin', detail: { event: '6f0c1b2a-3d4e-4f50-8a61-7b8c9d0e1f2a', imported: 1, rejected: 1 } });

    // As a member, with the human-readable summary.
    const asMember = await runCli(['import', '--as', c.users.type2.login, '--database', databaseUrl, files[0] as string]);
    expect(asMember.code, asMember.stderr).toBe(0);
    expect(asMember.stdout).toContain('取り込み結果 / Import summary');
    expect(asMember.stdout).toContain('取り込み 1 件 / imported 1, 除外 1 件 / rejected 1');
    expect(asMember.stdout).toContain('#1 6f0c1b2a-3d4e-4f50-8a61-7b8c9d0e1f99: 属性の種類「mutex」は観測情報として取り込めません。');
    expect(asMember.stdout).toContain('合計: 情報提供 1 件、取り込み 1 件、除外 1 件 / total: 1 report(s), 1 imported, 1 rejected');
    const id = /情報提供 (\S+) \/ report/.exec(asMember.stdout)?.[1] as string;
    expect((await t.deps.store.read.sharing.reports.byId(id))?.orgId).toBe(c.orgs.type2.id);
    // No progress bar drawn into a pipe.
    expect(asMember.stderr).toBe('');

    const nobody = await runCli(['import', '--as', 'nobody', '--database', databaseUrl, files[0] as string]);
    expect(nobody.code).toBe(1);
    expect(nobody.stderr).toContain('no active user with login nobody');
    const viewer = await runCli(['import', '--as', c.users.type2Viewer.login, '--database', databaseUrl, files[0] as string]);
    expect(viewer.code).toBe(1);
    expect(viewer.stdout, viewer.stderr).toContain('この操作を行う権限がありません。 / You are not allowed to do this.');
  });

  it('exports an audience as a MISP feed directory, byte for byte the HTTP feed, and as a STIX bundle', async () => {
    await advisoryAt('type2', 'amber', '第二類まで');
    const members = await advisoryAt('members', 'green', '全構成員へ');
    const pub = await advisoryAt('public', 'clear', '一般公開');
    await advisoryAt('members', 'red', 'TLP:RED の対策情報');

    const feedDir = join(dir, 'feed');
    const r = await runCli(['export', '--audience', 'members', '--format', 'misp', '--out', feedDir, '--database', databaseUrl]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`wrote the MISP feed to ${feedDir} (2 event(s))`);
    const uuids = [members, pub].map((a) => mispEventUuid(a.id)).sort();
    expect(readdirSync(feedDir).sort()).toEqual(['hashes.csv', 'manifest.json', ...uuids.map((u) => `${u}.json`)].sort());
    const manifest = JSON.parse(readFileSync(join(feedDir, 'manifest.json'), 'utf8')) as Record<string, MispManifestEntry>;
    expect(Object.keys(manifest).sort()).toEqual(uuids);
    expect(readFileSync(join(feedDir, 'hashes.csv'), 'utf8').trim().split('\n')).toHaveLength(2);

    // The same events as a member's MISP instance fetches over HTTP.
    const general = await c.as('general');
    for (const uuid of uuids) {
      const http = await general.request({ method: 'GET', url: `/misp/feeds/members/${uuid}.json` });
      expect(readFileSync(join(feedDir, `${uuid}.json`), 'utf8')).toBe(http.body);
    }
    const httpManifest = await general.request({ method: 'GET', url: '/misp/feeds/members/manifest.json' });
    expect(JSON.parse(httpManifest.body)).toEqual(manifest);
    expect(await t.deps.store.read.audit.list({ action: 'misp.feed', limit: 10 })).toEqual(
      expect.arrayContaining([expect.objectContaining({ actorLabel: 'system:cli', detail: { audience: 'members', part: 'export' } })]),
    );

    const bundleFile = join(dir, 'members.json');
    const stix = await runCli(['export', '--audience', 'members', '--format', 'stix', '--out', bundleFile, '--database', databaseUrl]);
    expect(stix.code, stix.stderr).toBe(0);
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8')) as { type: string; id: string; objects: { type: string; name?: string; object_marking_refs?: string[] }[] };
    expect(bundle.type).toBe('bundle');
    expect(bundle.id).toMatch(/^bundle--[0-9a-f-]{36}$/);
    const reports = bundle.objects.filter((o) => o.type === 'report').map((o) => o.name).sort();
    expect(reports).toEqual(['一般公開', '全構成員へ']);
    // Nothing marked TLP:RED (the marking definition itself is shared, the same everywhere).
    const red = 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1';
    expect(bundle.objects.filter((o) => o.object_marking_refs?.includes(red))).toEqual([]);
    expect(JSON.stringify(bundle)).not.toContain('TLP:RED の対策情報');

    // What one member may read: a general member has no Type 2 feed.
    const refused = await runCli(['export', '--audience', 'type2', '--format', 'misp', '--out', join(dir, 'no'), '--as', c.users.general.login, '--database', databaseUrl]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('見つかりません。 / Not found.');
  });

  it('draws a progress bar on a terminal', async () => {
    await advisoryAt('members', 'green', '全構成員へ');
    // `script` gives the command a pseudo-terminal, as an operator's shell would.
    const command = [process.execPath, BIN, 'export', '--audience', 'members', '--format', 'misp', '--out', join(dir, 'tty'), '--database', databaseUrl]
      .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
      .join(' ');
    const { stdout } = await promisify(execFile)('script', ['-qec', command, '/dev/null'], { env: { ...process.env, LOG_LEVEL: 'silent' } });
    expect(stdout).toMatch(/[█░]+ 1\/1/);
    expect(stdout).toContain('(1 event(s))');
  });
});
