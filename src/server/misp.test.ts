/**
 * MISP over HTTP on a real database: a MISP event imported as a report, analysed into countermeasure information,
 * released and read back from the MISP feed (and imported again); what each organisation class finds in each
 * audience's feed; the ways a MISP instance authenticates; events refused with a reason and nothing stored.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { MispEvent, MispManifestEntry } from '../core/interop/misp.js';
import { mispEventUuid } from '../core/interop/misp.js';
import type { AdvisorySummary, Stage } from '../core/sharing/model.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { createSignedInCouncil, type SignedInCouncil, type UserKey } from '../test/sharing-council.js';
import { dialects } from '../test/stores.js';

const content = {
  summary: '複数の重要インフラ事業者で侵入が確認されています。',
  threat: '攻撃者は認証回避の脆弱性を悪用します。',
  actions: '修正版へ更新してください。',
  affectedProducts: ['VPN装置 Xシリーズ 9.1 以前'],
  sectors: ['electricity'],
  confidence: 'high',
};

/** A MISP event as another community's MISP exports it. */
const mispEvent = {
  Event: {
    uuid: 'b7b6f0c2-3f1e-4a55-9d6e-2a1c0e5f7d31',
    info: 'Emotet の再流行（請求書を装う添付ファイル付きメール）',
    date: '2026-03-30',
    analysis: '1',
    threat_level_id: '2',
    published: true,
    timestamp: '1774828800',
    Orgc: { name: 'CIRCL', uuid: '55f6ea5e-2c60-40e5-964f-47a8950d210f' },
    Tag: [{ name: 'tlp:white', colour: '#ffffff' }, { name: 'misp-galaxy:malpedia="Emotet"' }],
    Attribute: [
      { uuid: '0b8a4c1e-1d5e-4f7a-9a3b-2c1d0e9f8a01', type: 'ip-dst', category: 'Network activity', value: '198.51.100.23', to_ids: true },
      { type: 'domain', category: 'Network activity', value: 'invoice-download.example.org', to_ids: true },
      { type: 'url', category: 'Network activity', value: 'hxxp://invoice-download[.]example[.]org/doc.php', to_ids: true },
      { type: 'email-src', category: 'Payload delivery', value: 'billing@invoice-download.example.org', to_ids: true },
      { type: 'sha256', category: 'Payload delivery', value: 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', to_ids: '1' },
      { type: 'filename|md5', category: 'Payload delivery', value: 'invoice.doc|d41d8cd98f00b204e9800998ecf8427e', to_ids: true },
      { type: 'vulnerability', category: 'External analysis', value: 'cve-2017-11882', to_ids: false },
      { type: 'comment', category: 'Other', value: '件名は「請求書の送付について」。' },
      { type: 'link', category: 'External analysis', value: 'https://www.example.org/emotet-2026' },
      { uuid: '0b8a4c1e-1d5e-4f7a-9a3b-2c1d0e9f8a10', type: 'regkey', category: 'Persistence mechanism', value: 'HKLM\\Software\\Run|x' },
      { uuid: '0b8a4c1e-1d5e-4f7a-9a3b-2c1d0e9f8a11', type: 'ip-dst', category: 'Network activity', value: '999.1.1.1' },
      { type: 'ip-src', category: 'Network activity', value: '203.0.113.9', deleted: true },
    ],
    Object: [{ name: 'file', Attribute: [{ type: 'sha1', object_relation: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' }] }],
  },
};

/** The observables the event holds, as MISP types and normalised values (what the feed gives back). */
const expectedAttributes = [
  ['ip-dst', '198.51.100.23'],
  ['domain', 'invoice-download.example.org'],
  ['url', 'http://invoice-download.example.org/doc.php'],
  ['email-src', 'billing@invoice-download.example.org'],
  ['sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['md5', 'd41d8cd98f00b204e9800998ecf8427e'],
  ['vulnerability', 'CVE-2017-11882'],
  ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
].sort();

const iocs = (e: MispEvent) =>
  e.Event.Attribute.filter((a) => a.type !== 'text')
    .map((a) => [a.type, a.value])
    .sort();

describe.each(dialects)('MISP feed and import on %s', (dialect) => {
  let t: TestApp;
  let c: SignedInCouncil;
  const tokens = new Map<UserKey, string>();

  beforeEach(async () => {
    t = await createTestApp(dialect);
    c = await createSignedInCouncil(t);
    tokens.clear();
  });
  afterEach(() => t.close());

  /** The user's API token, created through the API as a member would for its MISP instance. */
  async function tokenOf(key: UserKey, readOnly = false): Promise<string> {
    const known = readOnly ? undefined : tokens.get(key);
    if (known) return known;
    const res = await (await c.as(key)).request({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'MISP', readOnly } });
    expect(res.statusCode, res.body).toBe(201);
    const token = (res.json() as { token: string }).token;
    if (!readOnly) tokens.set(key, token);
    return token;
  }

  async function feed(key: UserKey, path: string, authorization?: (token: string) => string): Promise<LightMyRequestResponse> {
    const token = await tokenOf(key);
    return t.app.inject({ method: 'GET', url: `/misp/feeds/${path}`, headers: { authorization: authorization ? authorization(token) : `Bearer ${token}` } });
  }

  async function manifestOf(key: UserKey, audience: Stage): Promise<Record<string, MispManifestEntry> | number> {
    const res = await feed(key, `${audience}/manifest.json`);
    return res.statusCode === 200 ? (res.json() as Record<string, MispManifestEntry>) : res.statusCode;
  }

  async function release(id: string, to: Stage): Promise<void> {
    const type1 = await c.as('type1');
    let res = await type1.request({ method: 'POST', url: `/api/v1/advisories/${id}/releases`, payload: { to } });
    // Likely personal data (an e-mail address among the indicators) is confirmed, as the releasing analyst would.
    if (res.statusCode === 409) {
      const flags = (res.json() as { error: { details: { text: string }[] } }).error.details.map((f) => f.text);
      res = await type1.request({ method: 'POST', url: `/api/v1/advisories/${id}/releases`, payload: { to, confirmFlags: flags } });
    }
    expect(res.statusCode, res.body).toBe(200);
  }

  async function advisoryAt(stage: Stage, tlp: string, extra: Record<string, unknown> = {}): Promise<AdvisorySummary> {
    const res = await (await c.as('type1')).request({
      method: 'POST',
      url: '/api/v1/advisories',
      payload: { ...content, title: `${stage} ${tlp} の対策情報`, indicators: [{ type: 'ipv4', value: '203.0.113.5' }], tlp, ...extra },
    });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json() as AdvisorySummary;
    const order: Stage[] = ['draft', 'type1', 'type2', 'members', 'public'];
    for (const to of order.slice(1, order.indexOf(stage) + 1)) await release(a.id, to);
    return a;
  }

  const reportCount = async () => (await t.deps.store.read.sharing.reports.list({ filter: [{}], userId: undefined, limit: 1000 })).length;

  it('round trip: a MISP event becomes a report, the Type 1 group releases it, the feed gives the same indicators back', async () => {
    const imported = await (await c.as('type2')).request({ method: 'POST', url: '/api/v1/imports/misp', payload: mispEvent });
    expect(imported.statusCode, imported.body).toBe(201);
    const summary = imported.json() as { imported: number; rejected: { index: number; id?: string; reason: string }[]; reportId: string };
    expect(summary.imported).toBe(8);
    expect(summary.rejected).toEqual([
      { index: 9, id: '0b8a4c1e-1d5e-4f7a-9a3b-2c1d0e9f8a10', reason: '属性の種類「regkey」は観測情報として取り込めません。' },
      { index: 10, id: '0b8a4c1e-1d5e-4f7a-9a3b-2c1d0e9f8a11', reason: '値「999.1.1.1」は ip-dst として正しくありません。' },
    ]);

    // In the Type 1 group's queue: TLP:WHITE read as TLP:CLEAR, the provider hidden, the text and links kept.
    const detail = await (await c.as('type1')).request({ method: 'GET', url: `/api/v1/reports/${summary.reportId}` });
    expect(detail.statusCode, detail.body).toBe(200);
    const { report, observables } = detail.json() as {
      report: { title: string; description: string; tlp: string; stage: string; kind: string; provider: unknown };
      observables: { type: string; value: string }[];
    };
    expect(report).toMatchObject({ title: mispEvent.Event.info, tlp: 'clear', stage: 'type1', kind: 'malware', provider: null });
    expect(report.description).toContain('MISP イベント b7b6f0c2-3f1e-4a55-9d6e-2a1c0e5f7d31（2026-03-30、作成組織: CIRCL）から取り込みました。');
    expect(report.description).toContain('件名は「請求書の送付について」。');
    expect(report.description).toContain('- https://www.example.org/emotet-2026');
    expect(observables).toHaveLength(8);

    // The Type 1 group turns it into countermeasure information and releases it to all members.
    const created = await (await c.as('type1')).request({
      method: 'POST',
      url: '/api/v1/advisories',
      payload: { ...content, title: 'Emotet の再流行について', indicators: observables, tlp: 'clear', sourceReportId: summary.reportId },
    });
    expect(created.statusCode, created.body).toBe(201);
    const advisory = created.json() as AdvisorySummary;
    for (const to of ['type1', 'type2', 'members'] as Stage[]) await release(advisory.id, to);

    const manifest = await manifestOf('general', 'members');
    const uuid = mispEventUuid(advisory.id);
    expect(manifest).toEqual({ [uuid]: expect.objectContaining({ info: 'Emotet の再流行について', Tag: [{ name: 'tlp:clear', colour: '#ffffff' }] }) });
    const res = await feed('general', `members/${uuid}.json`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const event = res.json() as MispEvent;
    expect(iocs(event)).toEqual(expectedAttributes);
    expect(event.Event.Tag).toEqual([{ name: 'tlp:clear', colour: '#ffffff' }]);
    expect(event.Event.Orgc.name).toBe('サイバーセキュリティ協議会');
    // Neither the member that brought the event in nor the author of the countermeasure information is in it.
    for (const org of [c.orgs.type2, c.orgs.type1]) {
      expect(res.body).not.toContain(org.nameJa);
      expect(res.body).not.toContain(org.nameEn);
      expect(res.body).not.toContain(org.id);
    }
    const hashes = await feed('general', 'members/hashes.csv');
    expect(hashes.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(hashes.body.trim().split('\n')).toHaveLength(8);

    // And full circle: the feed's event imports as a report with the same indicators and TLP.
    const again = await (await c.as('general')).request({ method: 'POST', url: '/api/v1/imports/misp', payload: event });
    expect(again.statusCode, again.body).toBe(201);
    const second = again.json() as { imported: number; rejected: unknown[]; reportId: string };
    expect(second).toMatchObject({ imported: 8, rejected: [] });
    const back = (await (await c.as('type1')).request({ method: 'GET', url: `/api/v1/reports/${second.reportId}` })).json() as {
      report: { tlp: string };
      observables: { type: string; value: string }[];
    };
    expect(back.report.tlp).toBe('clear');
    expect(back.observables.map((o) => [o.type, o.value]).sort()).toEqual(observables.map((o) => [o.type, o.value]).sort());
  });

  it('gives each organisation class exactly its audiences, never a draft, never TLP:RED', async () => {
    await advisoryAt('draft', 'amber');
    const type1 = await advisoryAt('type1', 'amber');
    const type2 = await advisoryAt('type2', 'green');
    const red = await advisoryAt('type2', 'red', { recipientUserIds: [c.users.type2.id] });
    const members = await advisoryAt('members', 'amber+strict');
    const pub = await advisoryAt('public', 'clear');
    const ids = (...items: AdvisorySummary[]) => items.map((a) => mispEventUuid(a.id)).sort();
    const all = { type1: ids(type1, type2, members, pub), type2: ids(type2, members, pub), members: ids(members, pub), public: ids(pub) };
    const NO = 404;
    const expected: Partial<Record<UserKey, Record<Exclude<Stage, 'draft'>, string[] | number>>> = {
      secretariat: all,
      designated: all,
      type1: all,
      type1NoTotp: { type1: NO, type2: NO, members: all.members, public: all.public },
      type2: { type1: NO, type2: all.type2, members: all.members, public: all.public },
      type2Viewer: { type1: NO, type2: all.type2, members: all.members, public: all.public },
      foreignType2: { type1: NO, type2: NO, members: all.members, public: all.public },
      general: { type1: NO, type2: NO, members: all.members, public: all.public },
      none: { type1: NO, type2: NO, members: NO, public: all.public },
    };
    for (const [key, audiences] of Object.entries(expected) as [UserKey, Record<string, string[] | number>][]) {
      for (const [audience, want] of Object.entries(audiences)) {
        const got = await manifestOf(key, audience as Stage);
        expect(typeof got === 'number' ? got : Object.keys(got).sort(), `${key} ${audience}`).toEqual(want);
      }
    }
    // The event files follow the manifest: the TLP:RED item is not there even for the person it names.
    expect((await feed('type2', `type2/${mispEventUuid(red.id)}.json`)).statusCode).toBe(404);
    expect((await feed('general', `members/${mispEventUuid(type2.id)}.json`)).statusCode).toBe(404);
    expect((await feed('general', `type2/${mispEventUuid(type2.id)}.json`)).statusCode).toBe(404);
    expect((await feed('type2', `type2/${mispEventUuid(type2.id)}.json`)).statusCode).toBe(200);
    const hashes = await feed('type2', 'type2/hashes.csv');
    expect(new Set(hashes.body.trim().split('\n').map((l) => l.split(',')[1]))).toEqual(new Set(all.type2));
  });

  it('keeps an event stable per version: same bytes twice, a new version moves the timestamp, not the uuid', async () => {
    const a = await advisoryAt('members', 'green');
    const uuid = mispEventUuid(a.id);
    const first = await feed('type2', `members/${uuid}.json`);
    const twice = await feed('type2', `members/${uuid}.json`);
    expect(twice.body).toBe(first.body);

    t.deps.clock.advance(60_000);
    const revised = await (await c.as('type1')).request({
      method: 'PUT',
      url: `/api/v1/advisories/${a.id}`,
      payload: { ...content, title: '改訂版', indicators: [{ type: 'ipv4', value: '203.0.113.5' }, { type: 'domain', value: 'c2.example.net' }] },
    });
    expect(revised.statusCode, revised.body).toBe(200);
    const after = (await feed('type2', `members/${uuid}.json`)).json() as MispEvent;
    const before = first.json() as MispEvent;
    expect(after.Event.uuid).toBe(before.Event.uuid);
    expect(Number(after.Event.timestamp)).toBe(Number(before.Event.timestamp) + 60);
    expect(after.Event.info).toBe('改訂版');
    const manifest = (await manifestOf('type2', 'members')) as Record<string, MispManifestEntry>;
    expect(manifest[uuid]?.timestamp).toBe(Number(after.Event.timestamp));
    // The unchanged indicator keeps its attribute uuid, so MISP updates rather than duplicates it.
    const ip = (e: MispEvent) => e.Event.Attribute.find((x) => x.value === '203.0.113.5')?.uuid;
    expect(ip(after)).toBe(ip(before));
  });

  it('takes the token the ways a MISP instance sends it, and audits what leaves', async () => {
    const a = await advisoryAt('members', 'amber');
    const token = await tokenOf('general');
    const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
    const url = '/misp/feeds/members/manifest.json';
    for (const authorization of [`Bearer ${token}`, token, `Basic ${Buffer.from(`misp:${token}`).toString('base64')}`]) {
      const res = await get(url, { authorization });
      expect(res.statusCode, authorization).toBe(200);
      expect(Object.keys(res.json() as object)).toEqual([mispEventUuid(a.id)]);
    }
    // MISP adds headers of its own; a session cookie (a signed-in browser) works too.
    expect((await get(url, { authorization: token, 'misp-version': '2.4.190', accept: 'application/json, text/plain, text/*' })).statusCode).toBe(200);
    expect((await (await c.as('general')).request({ method: 'GET', url })).statusCode).toBe(200);

    const none = await get(url, {});
    expect(none.statusCode).toBe(401);
    expect(none.headers['www-authenticate']).toContain('Basic realm=');
    expect((none.json() as { error: { code: string } }).error.code).toBe('unauthenticated');
    for (const authorization of ['kyg_not-a-token', `Basic ${Buffer.from('misp:kyg_wrong').toString('base64')}`, 'Bearer kyg_wrong', 'Basic !!!']) {
      expect((await get(url, { authorization })).statusCode, authorization).toBe(401);
    }
    // Malformed paths are a 400, unknown audiences too; drafts have no feed.
    expect((await get('/misp/feeds/members/not-a-uuid.json', { authorization: token })).statusCode).toBe(400);
    expect((await get('/misp/feeds/draft/manifest.json', { authorization: token })).statusCode).toBe(400);
    expect((await get('/misp/feeds/members/00000000-0000-4000-8000-000000000000.json', { authorization: token })).statusCode).toBe(404);

    await get(`/misp/feeds/members/${mispEventUuid(a.id)}.json`, { authorization: token });
    await get('/misp/feeds/members/hashes.csv', { authorization: token });
    const rows = await t.deps.store.read.audit.list({ actorUserId: c.users.general.id, limit: 50 });
    expect(rows.filter((r) => r.action === 'misp.feed').map((r) => r.detail)).toEqual(
      expect.arrayContaining([
        { audience: 'members', part: 'manifest' },
        { audience: 'members', part: 'hashes' },
      ]),
    );
    expect(rows.find((r) => r.action === 'misp.feed.event')).toMatchObject({ targetType: 'advisory', targetId: a.id, detail: { audience: 'members', version: 1 } });
  });

  it('refuses events that are not valid with a reason (4xx) and stores nothing', async () => {
    const before = await reportCount();
    const type2 = await c.as('type2');
    const post = (payload: unknown, headers: Record<string, string> = {}) =>
      type2.request({ method: 'POST', url: '/api/v1/imports/misp', payload: payload as object, headers });
    const expectError = async (res: LightMyRequestResponse, status: number, code: string, message?: string) => {
      expect(res.statusCode, res.body).toBe(status);
      const body = res.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe(code);
      if (message) expect(body.error.message).toBe(message);
    };
    await expectError(await post({ type: 'bundle', objects: [] }), 400, 'misp_no_event', 'MISP イベントが含まれていません（"Event" を持つ JSON を送ってください）。');
    await expectError(await post({ Event: { Attribute: [] } }), 400, 'misp_invalid_event', 'MISP イベントとして読めません（Event.info がないか、形式が正しくありません）。');
    await expectError(await post({ Event: { info: 'x', uuid: 'nope' } }), 400, 'misp_invalid_event');
    await expectError(await post({ Event: { info: 'x', Attribute: 'many' } }), 400, 'misp_invalid_event');
    await expectError(await post({ response: [mispEvent, mispEvent] }), 400, 'misp_one_event');
    await expectError(await post({ Event: { ...mispEvent.Event, Tag: [{ name: 'TLP:RED' }] } }), 400, 'misp_tlp_red');
    // An attribute's TLP counts too: the most restrictive label wins.
    const redAttribute = { ...mispEvent.Event.Attribute[0], Tag: [{ name: 'tlp:red' }] };
    await expectError(await post({ Event: { ...mispEvent.Event, Attribute: [redAttribute] } }), 400, 'misp_tlp_red');
    await expectError(await type2.request({ method: 'POST', url: '/api/v1/imports/misp', payload: 'info', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type');
    await expectError(await type2.request({ method: 'POST', url: '/api/v1/imports/misp', payload: '{"Event": ', headers: { 'content-type': 'application/json' } }), 400, 'invalid_input');
    const deep = `${'['.repeat(50_000)}${']'.repeat(50_000)}`;
    await expectError(await type2.request({ method: 'POST', url: '/api/v1/imports/misp', payload: deep, headers: { 'content-type': 'application/json' } }), 400, 'misp_no_event');
    const huge = { Event: { info: 'x', Attribute: [{ type: 'text', value: 'a'.repeat(11 * 1024 * 1024) }] } };
    await expectError(await post(huge), 413, 'payload_too_large');

    // Who may not write reports may not import either.
    const readOnly = await tokenOf('type2', true);
    const asToken = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/imports/misp', payload: mispEvent, headers: { authorization: `Bearer ${token}` } });
    await expectError(await asToken(readOnly), 403, 'read_only_token');
    await expectError(await asToken(await tokenOf('type2Viewer')), 403, 'forbidden');
    await expectError(await asToken(await tokenOf('none')), 403, 'forbidden');
    await expectError(await t.app.inject({ method: 'POST', url: '/api/v1/imports/misp', payload: mispEvent }), 401, 'unauthenticated');
    expect(await reportCount()).toBe(before);

    // A value too long to be an observable is refused on its own, not with the event.
    const long = { Event: { info: '長い URL', Attribute: [{ type: 'url', value: `http://example.com/${'a'.repeat(3000)}` }, { type: 'domain', value: 'example.com' }] } };
    const partly = await post(long);
    expect(partly.statusCode, partly.body).toBe(201);
    expect(partly.json()).toMatchObject({ imported: 1, rejected: [{ index: 0 }] });

    // English for a user who chose it.
    await t.deps.store.tx((r) => r.users.update(c.users.type2.id, { locale: 'en' }));
    const en = await asToken(await tokenOf('type2'));
    expect(en.statusCode).toBe(201);
    expect((en.json() as { rejected: { reason: string }[] }).rejected[0]?.reason).toBe('Attributes of type "regkey" cannot be imported as observables.');
  });
});
