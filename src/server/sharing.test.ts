/**
 * The information-sharing endpoints over HTTP, on both databases: reports and the Type 1 group's analysis,
 * countermeasure information released stage by stage, and three-way feedback. Each test signs in the members
 * of a small council (src/test/sharing-council.ts) and checks answers, stored state and audit rows.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { system } from '../core/actor.js';
import { translate } from '../core/messages.js';
import type { AuditEntry } from '../core/model.js';
import type { Advisory, AdvisorySummary, Report, ReportSummary, Stage } from '../core/sharing/model.js';
import type { ReportDetail } from '../core/sharing/reports.js';
import type { Tally } from '../core/sharing/feedback.js';
import { readFilter } from '../core/policy.js';
import { formatJst } from '../core/time.js';
import { createSignedInCouncil, type SignedInCouncil, type UserKey } from '../test/sharing-council.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { dialects } from '../test/stores.js';

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

const HOUR = 3_600_000;

describe.each(dialects)('information sharing over HTTP on %s', (dialect) => {
  let t: TestApp;
  let c: SignedInCouncil;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    c = await createSignedInCouncil(t);
  });
  afterEach(() => t.close());

  const body = <T>(res: LightMyRequestResponse): T => res.json() as T;
  const errorOf = (res: LightMyRequestResponse) => body<ErrorBody>(res).error;
  function expectError(res: LightMyRequestResponse, status: number, code: string) {
    expect(res.statusCode, res.body).toBe(status);
    expect(errorOf(res).code).toBe(code);
  }

  async function call(key: UserKey, method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, payload?: object, headers?: Record<string, string>) {
    const client = await c.as(key);
    return client.request({ method, url, ...(payload ? { payload } : {}), ...(headers ? { headers } : {}) });
  }

  const auditRows = (action: string, targetId?: string): Promise<AuditEntry[]> =>
    t.deps.store.read.audit.list({ action, limit: 1000, ...(targetId ? { targetId } : {}) });
  const allReports = () => t.deps.store.read.sharing.reports.list({ filter: readFilter(system('test')), userId: undefined, limit: 1000 });
  const allAdvisories = () => t.deps.store.read.sharing.advisories.list({ filter: readFilter(system('test')), userId: undefined, limit: 1000 });

  const reportInput = (over: Record<string, unknown> = {}) => ({
    title: '職員宛の不審なメール',
    description: '直感的な違和感: 複数の職員に同じ差出人から請求書を装うメールが届いた。',
    kind: 'phishing',
    certainty: 'unease',
    ...over,
  });

  async function report(key: UserKey, over: Record<string, unknown> = {}): Promise<Report> {
    const res = await call(key, 'POST', '/api/v1/reports', reportInput(over));
    expect(res.statusCode, res.body).toBe(201);
    return body<Report>(res);
  }

  const getReport = (key: UserKey, id: string) => call(key, 'GET', `/api/v1/reports/${id}`);
  async function detail(key: UserKey, id: string): Promise<ReportDetail> {
    const res = await getReport(key, id);
    expect(res.statusCode, res.body).toBe(200);
    return body<ReportDetail>(res);
  }

  async function listedReports(key: UserKey): Promise<string[]> {
    const res = await call(key, 'GET', '/api/v1/reports?limit=200');
    expect(res.statusCode, res.body).toBe(200);
    return body<{ items: ReportSummary[] }>(res).items.map((r) => r.id);
  }

  const advisoryInput = (over: Record<string, unknown> = {}) => ({
    title: 'VPN装置の脆弱性を悪用した侵入について',
    summary: '複数の重要インフラ事業者で VPN 装置の脆弱性を悪用した侵入が確認されています。',
    threat: '攻撃者は認証回避の脆弱性を悪用して管理画面に侵入します。侵入後は設定情報を窃取します。',
    actions: '修正版へ更新してください。更新できない場合は管理画面へのアクセスを制限してください。',
    affectedProducts: ['VPN装置 Xシリーズ 9.1 以前'],
    sectors: ['electricity', 'finance'],
    indicators: [{ type: 'ipv4', value: '203.0.113[.]5' }],
    confidence: 'high',
    tlp: 'amber',
    ...over,
  });

  async function advisory(key: UserKey = 'type1', over: Record<string, unknown> = {}): Promise<AdvisorySummary> {
    const res = await call(key, 'POST', '/api/v1/advisories', advisoryInput(over));
    expect(res.statusCode, res.body).toBe(201);
    return body<AdvisorySummary>(res);
  }

  const release = (key: UserKey, id: string, to: Stage, extra: Record<string, unknown> = {}) =>
    call(key, 'POST', `/api/v1/advisories/${id}/releases`, { to, ...extra });

  /** Release an item stage by stage up to `to` (by the Type 1 member). */
  async function releaseTo(id: string, to: Stage, extra: Record<string, unknown> = {}): Promise<AdvisorySummary> {
    const order: Stage[] = ['draft', 'type1', 'type2', 'members', 'public'];
    let current = (await t.deps.store.read.sharing.advisories.byId(id))?.stage ?? 'draft';
    let last: AdvisorySummary | undefined;
    while (order.indexOf(current) < order.indexOf(to)) {
      const next = order[order.indexOf(current) + 1] as Stage;
      const res = await release('type1', id, next, extra);
      expect(res.statusCode, res.body).toBe(200);
      last = body<AdvisorySummary>(res);
      current = next;
    }
    return last as AdvisorySummary;
  }

  async function advisoryDetail(key: UserKey, id: string): Promise<Advisory> {
    const res = await call(key, 'GET', `/api/v1/advisories/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return body<Advisory>(res);
  }

  const feedback = (key: UserKey, id: string, payload: Record<string, unknown>) => call(key, 'PUT', `/api/v1/advisories/${id}/feedback`, payload);

  // -------------------------------------------------------------------------------------------
  describe('reports (情報提供・相談)', () => {
    it('a general member reports at the level of unease; observables are stored normalised and the act audited', async () => {
      const res = await call('general', 'POST', '/api/v1/reports', {
        ...reportInput(),
        observables: [
          { type: 'ipv4', value: ' 192.0.2[.]10 ' },
          { type: 'domain', value: 'EVIL[.]Example.COM.' },
          { type: 'url', value: 'hxxps://evil[.]example.com/login' },
          { type: 'email', value: 'billing[@]Evil.example.com' },
          { type: 'sha256', value: 'AB'.repeat(32) },
          { type: 'cve', value: 'cve-2024-12345' },
          { type: 'ipv6', value: '2001:DB8:0:0::1' },
          { type: 'ipv4', value: '192.0.2.10' },
        ],
      });
      expect(res.statusCode, res.body).toBe(201);
      const created = body<Report>(res);
      expect(created).toMatchObject({
        stage: 'type1',
        tlp: 'amber',
        kind: 'phishing',
        certainty: 'unease',
        confidence: 'low',
        providerNamed: false,
        own: true,
        status: 'open',
        provider: { orgId: c.orgs.general.id, nameJa: '桜市', nameEn: 'Sakura City' },
      });
      const stored = await t.deps.store.read.sharing.reports.byId(created.id);
      expect(stored).toMatchObject({ orgId: c.orgs.general.id, userId: c.users.general.id, title: '職員宛の不審なメール' });
      expect(await t.deps.store.read.sharing.observables.forItem(created.id)).toEqual([
        { type: 'ipv4', value: '192.0.2.10' },
        { type: 'domain', value: 'evil.example.com' },
        { type: 'url', value: 'https://evil.example.com/login' },
        { type: 'email', value: 'billing@evil.example.com' },
        { type: 'sha256', value: 'ab'.repeat(32) },
        { type: 'cve', value: 'CVE-2024-12345' },
        { type: 'ipv6', value: '2001:db8::1' },
      ]);
      const rows = await auditRows('report.create', created.id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ actorUserId: c.users.general.id, actorOrgId: c.orgs.general.id, detail: { kind: 'phishing', tlp: 'amber', observables: 7 } });
    });

    it('refuses an invalid observable naming its index, in the user’s language, and stores nothing', async () => {
      const payload = reportInput({ observables: [{ type: 'ipv4', value: '192.0.2.1' }, { type: 'ipv4', value: '999.1.1.1' }] });
      const ja = await call('general', 'POST', '/api/v1/reports', payload);
      expectError(ja, 400, 'invalid_observable');
      const params = { index: 1, position: 2, type: 'ipv4', value: '999.1.1.1' };
      expect(errorOf(ja).message).toBe(translate('ja', 'invalid_observable', params));
      // The second observable, counted as people count.
      expect(errorOf(ja).message).toContain('2 番目');
      expect(errorOf(ja).message).toContain('999.1.1.1');

      // A signed-in user is answered in the language of their account.
      expect((await call('general', 'PATCH', '/api/v1/me', { locale: 'en' })).statusCode).toBe(200);
      const en = await call('general', 'POST', '/api/v1/reports', payload);
      expectError(en, 400, 'invalid_observable');
      expect(errorOf(en).message).toBe(translate('en', 'invalid_observable', params));
      expect(errorOf(en).message).toContain('999.1.1.1');

      // Someone not signed in is answered after Accept-Language.
      const anon = await c.anonymous({ method: 'POST', url: '/api/v1/reports', payload, headers: { 'accept-language': 'en' } });
      expect(errorOf(anon)).toMatchObject({ code: 'unauthenticated', message: translate('en', 'unauthenticated') });

      expect(await allReports()).toEqual([]);
      expect(await auditRows('report.create')).toEqual([]);
    });

    it('hides the provider from the Type 1 group unless named; the secretariat, the designated corporation and the provider see it', async () => {
      const anonymousReport = await report('general');
      const named = await report('general', { title: '名前を出してよい情報提供', providerNamed: true });
      const provider = { orgId: c.orgs.general.id, nameJa: '桜市', nameEn: 'Sakura City' };

      expect((await detail('type1', anonymousReport.id)).report).toMatchObject({ provider: null, own: false });
      expect((await detail('type1b', anonymousReport.id)).report.provider).toBeNull();
      expect((await detail('designated', anonymousReport.id)).report.provider).toEqual(provider);
      expect((await detail('secretariat', anonymousReport.id)).report.provider).toEqual(provider);
      expect((await detail('general', anonymousReport.id)).report).toMatchObject({ provider, own: true });
      expect((await detail('type1', named.id)).report.provider).toEqual(provider);
    });

    it('lists a report for the Type 1 group and its provider only', async () => {
      const r = await report('general');
      expect(await listedReports('general')).toEqual([r.id]);
      expect(await listedReports('type1')).toContain(r.id);
      expect(await listedReports('designated')).toContain(r.id);
      for (const key of ['general2', 'type2', 'type1NoTotp', 'none', 'foreignType2'] as const) {
        expect(await listedReports(key), key).not.toContain(r.id);
      }
      const anon = await c.anonymous({ method: 'GET', url: '/api/v1/reports' });
      expect(anon.statusCode).toBe(200);
      expect(body<{ items: unknown[]; next: string | null }>(anon)).toEqual({ items: [], next: null });
    });

    it('answers "not found" to those who may not see a report, and audits every view', async () => {
      const r = await report('general');
      for (const key of ['general2', 'type2', 'type1NoTotp', 'none', 'foreignType2'] as const) {
        expectError(await getReport(key, r.id), 404, 'not_found');
      }
      expectError(await c.anonymous({ method: 'GET', url: `/api/v1/reports/${r.id}` }), 404, 'not_found');
      expect(await auditRows('report.view', r.id)).toEqual([]);

      await detail('type1', r.id);
      await detail('general', r.id);
      const views = await auditRows('report.view', r.id);
      expect(views.map((v) => v.actorUserId).sort()).toEqual([c.users.type1.id, c.users.general.id].sort());
      expect(views[0]).toMatchObject({ targetType: 'report', targetId: r.id });
    });

    it('keeps the Type 1 group’s analysis from the provider, who sees the replies only', async () => {
      const r = await report('general');
      const analysis = await call('type1', 'POST', `/api/v1/reports/${r.id}/comments`, { body: 'C2 サーバーのアドレスが既知のものと一致します。', kind: 'comment' });
      expect(analysis.statusCode, analysis.body).toBe(204);
      const original = await call('type1b', 'POST', `/api/v1/reports/${r.id}/comments`, { body: '当社の独自情報: 同じ差出人を先週観測。', kind: 'original' });
      expect(original.statusCode, original.body).toBe(204);
      const question = await call('type1', 'POST', `/api/v1/reports/${r.id}/comments`, { body: 'メールのヘッダーをご提供いただけますか。', kind: 'reply' });
      expect(question.statusCode, question.body).toBe(204);
      const answer = await call('general', 'POST', `/api/v1/reports/${r.id}/comments`, { body: 'ヘッダーを添付します。', kind: 'reply' });
      expect(answer.statusCode, answer.body).toBe(204);

      // The provider may reply, not analyse; others cannot even see the report.
      expectError(await call('general', 'POST', `/api/v1/reports/${r.id}/comments`, { body: '分析のつもり', kind: 'comment' }), 403, 'forbidden');
      expectError(await call('general2', 'POST', `/api/v1/reports/${r.id}/comments`, { body: '横から', kind: 'reply' }), 404, 'not_found');
      expectError(await call('type2', 'POST', `/api/v1/reports/${r.id}/comments`, { body: '横から', kind: 'comment' }), 404, 'not_found');

      const forProvider = await detail('general', r.id);
      expect(forProvider.comments.map((x) => [x.kind, x.body])).toEqual([
        ['reply', 'メールのヘッダーをご提供いただけますか。'],
        ['reply', 'ヘッダーを添付します。'],
      ]);
      const forType1 = await detail('type1', r.id);
      expect(forType1.comments.map((x) => x.kind)).toEqual(['comment', 'original', 'reply', 'reply']);
      expect(forType1.comments[0]?.author).toEqual({ orgNameJa: c.orgs.type1.nameJa, orgNameEn: c.orgs.type1.nameEn, displayName: '防衛 一郎' });
      // The provider's own reply stays anonymous to the Type 1 group.
      expect(forType1.comments[3]?.author).toEqual({ orgNameJa: '匿名の情報提供者', orgNameEn: 'Anonymous provider', displayName: '' });
      expect(forType1.report.status).toBe('analysing');

      const stored = await t.deps.store.read.sharing.comments.list(r.id, ['type1', 'provider']);
      expect(stored.map((x) => [x.kind, x.audience])).toEqual([
        ['comment', 'type1'],
        ['original', 'type1'],
        ['reply', 'provider'],
        ['reply', 'provider'],
      ]);
      expect(await auditRows('report.comment', r.id)).toHaveLength(1);
      expect(await auditRows('report.original', r.id)).toHaveLength(1);
      expect(await auditRows('report.reply', r.id)).toHaveLength(2);
    });

    it('counts one corroboration per organisation', async () => {
      const r = await report('general');
      const first = await call('type1', 'POST', `/api/v1/reports/${r.id}/corroborations`, { note: '当社顧客でも観測' });
      expect(first.statusCode, first.body).toBe(200);
      expect(body(first)).toEqual({ added: true });
      expect(body(await call('type1', 'POST', `/api/v1/reports/${r.id}/corroborations`, {}))).toEqual({ added: false });
      expect(body(await call('type1b', 'POST', `/api/v1/reports/${r.id}/corroborations`, {}))).toEqual({ added: true });
      expectError(await call('general', 'POST', `/api/v1/reports/${r.id}/corroborations`, {}), 403, 'forbidden');

      const forType1 = await detail('type1', r.id);
      expect(forType1.corroborations).toMatchObject({ count: 2, mine: true });
      expect(forType1.corroborations.orgs.map((o) => o.nameJa).sort()).toEqual([c.orgs.type1.nameJa, c.orgs.type1b.nameJa].sort());
      // The provider learns that the group sees it too, not who.
      expect((await detail('general', r.id)).corroborations).toEqual({ count: 2, orgs: [], mine: false });
      expect(await t.deps.store.read.sharing.corroborations.list(r.id)).toHaveLength(2);
      expect(await auditRows('report.corroborate', r.id)).toHaveLength(2);
      const listed = body<{ items: ReportSummary[] }>(await call('type1', 'GET', '/api/v1/reports')).items.find((x) => x.id === r.id);
      expect(listed?.corroborations).toBe(2);
    });

    it('shows "also in" links to the Type 1 group only, and only to items the reader may see', async () => {
      const shared = { type: 'ipv4', value: '198.51.100.7' };
      const a = await report('general', { observables: [shared, { type: 'domain', value: 'only-here.example' }] });
      const b = await report('type2', { title: '制御系ネットワークへの不審な通信', kind: 'suspicious_activity', observables: [{ type: 'ipv4', value: '198.51.100[.]7' }] });
      // A draft of another Type 1 member: only its writer and the designated corporation see it.
      const draft = await advisory('type1b', { indicators: [shared] });
      // TLP:RED for someone else.
      const red = await report('type2b', { title: '限定共有', tlp: 'red', recipientUserIds: [c.users.type1b.id], observables: [shared] });

      const alsoIn = (d: ReportDetail) => d.observables.find((o) => o.type === 'ipv4')?.alsoIn;
      expect(alsoIn(await detail('type1', a.id))).toEqual([{ kind: 'report', id: b.id, title: '制御系ネットワークへの不審な通信' }]);
      expect(alsoIn(await detail('designated', a.id))).toEqual(
        expect.arrayContaining([
          { kind: 'report', id: b.id, title: '制御系ネットワークへの不審な通信' },
          { kind: 'advisory', id: draft.id, title: draft.title },
        ]),
      );
      expect(alsoIn(await detail('designated', a.id))).toHaveLength(2);
      expect(alsoIn(await detail('type1b', a.id))?.map((x) => x.id).sort()).toEqual([b.id, draft.id, red.id].sort());
      // Not for the provider, nor for a Type 2 member on its own report.
      expect((await detail('general', a.id)).observables.every((o) => o.alsoIn === undefined)).toBe(true);
      expect((await detail('type2', b.id)).observables.every((o) => o.alsoIn === undefined)).toBe(true);
      // An observable seen nowhere else has no links.
      expect((await detail('type1', a.id)).observables.find((o) => o.type === 'domain')?.alsoIn).toBeUndefined();
    });

    describe('attachments', () => {
      function multipart(filename: string, content: Buffer, mediaType = 'text/plain') {
        const boundary = `----kyogikai${Math.random().toString(36).slice(2)}`;
        const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${mediaType}\r\n\r\n`;
        return {
          payload: Buffer.concat([Buffer.from(head), content, Buffer.from(`\r\n--${boundary}--\r\n`)]),
          headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        };
      }
      async function upload(key: UserKey, reportId: string, filename: string, content: Buffer) {
        const client = await c.as(key);
        return client.request({ method: 'POST', url: `/api/v1/reports/${reportId}/attachments`, ...multipart(filename, content) });
      }
      const download = (key: UserKey, id: string) => call(key, 'GET', `/api/v1/attachments/${id}`);

      it('the provider uploads; a Type 1 user downloads (audited); others get "not found"', async () => {
        const r = await report('general');
        const content = Buffer.from('Received: from mail.evil.example (198.51.100.7)\n');
        const res = await upload('general', r.id, 'メールヘッダー.txt', content);
        expect(res.statusCode, res.body).toBe(201);
        const { id, sha256 } = body<{ id: string; sha256: string }>(res);
        const { createHash } = await import('node:crypto');
        expect(sha256).toBe(createHash('sha256').update(content).digest('hex'));
        expect(await t.deps.store.read.sharing.attachments.list(r.id)).toEqual([
          expect.objectContaining({ id, filename: 'メールヘッダー.txt', mediaType: 'text/plain', size: content.length, sha256 }),
        ]);
        expect(await t.deps.files.get(id)).toEqual(content);
        expect(await auditRows('attachment.add', r.id)).toHaveLength(1);

        const got = await download('type1', id);
        expect(got.statusCode).toBe(200);
        expect(got.rawPayload).toEqual(content);
        expect(got.headers['content-type']).toBe('application/octet-stream');
        expect(got.headers['content-disposition']).toBe(`attachment; filename*=UTF-8''${encodeURIComponent('メールヘッダー.txt')}`);
        expect(got.headers['x-content-type-options']).toBe('nosniff');
        const downloads = await auditRows('attachment.download', r.id);
        expect(downloads).toHaveLength(1);
        expect(downloads[0]).toMatchObject({ actorUserId: c.users.type1.id, detail: { attachmentId: id } });

        for (const key of ['general2', 'type2', 'type1NoTotp'] as const) expectError(await download(key, id), 404, 'not_found');
        expectError(await c.anonymous({ method: 'GET', url: `/api/v1/attachments/${id}` }), 404, 'not_found');
        expectError(await upload('type2', r.id, 'x.txt', Buffer.from('x')), 404, 'not_found');
        expect(await auditRows('attachment.download', r.id)).toHaveLength(1);
        expect((await detail('type1', r.id)).attachments.map((a) => a.id)).toEqual([id]);
      });

      it('refuses an oversized file with attachment_too_large and stores nothing', async () => {
        const r = await report('general');
        const max = t.deps.config.maxAttachmentBytes;
        for (const size of [max + 1, max * 3]) {
          const res = await upload('general', r.id, 'big.bin', Buffer.alloc(size, 1));
          expect(res.statusCode, `${size}: ${res.body}`).toBe(400);
          expectError(res, 400, 'attachment_too_large');
          expect(errorOf(res).message).toBe(translate('ja', 'attachment_too_large', { max: 1 }));
        }
        expect(await t.deps.store.read.sharing.attachments.list(r.id)).toEqual([]);
        expect(await auditRows('attachment.add')).toEqual([]);
        // Exactly at the limit is fine.
        expect((await upload('general', r.id, 'max.bin', Buffer.alloc(max, 1))).statusCode).toBe(201);
      });

      it('stores a file name with path traversal as a plain name', async () => {
        const r = await report('general');
        const res = await upload('general', r.id, '../../etc/passwd', Buffer.from('root:x:0:0'));
        expect(res.statusCode, res.body).toBe(201);
        const { id } = body<{ id: string }>(res);
        const [stored] = await t.deps.store.read.sharing.attachments.list(r.id);
        expect(stored?.filename).toBe('passwd');
        const got = await download('type1', id);
        expect(got.headers['content-disposition']).toBe("attachment; filename*=UTF-8''passwd");
        expect(got.body).toBe('root:x:0:0');
      });
    });

    it('TLP:RED reaches the named recipients only', async () => {
      const r = await report('general', { title: '特定の方のみ', tlp: 'red', recipientUserIds: [c.users.type1.id] });
      expect(await t.deps.store.read.sharing.recipients.list(r.id)).toEqual([c.users.type1.id]);
      expect((await detail('type1', r.id)).report.tlp).toBe('red');
      expect((await detail('general', r.id)).report.title).toBe('特定の方のみ');
      for (const key of ['type1b', 'designated', 'secretariat', 'general2'] as const) expectError(await getReport(key, r.id), 404, 'not_found');
      expect(await listedReports('type1')).toContain(r.id);
      expect(await listedReports('type1b')).not.toContain(r.id);

      expectError(await call('general', 'POST', '/api/v1/reports', reportInput({ tlp: 'amber', recipientUserIds: [c.users.type1.id] })), 400, 'recipients_only_for_red');
      expectError(
        await call('general', 'POST', '/api/v1/reports', reportInput({ tlp: 'red', recipientUserIds: ['01960000-0000-7000-8000-000000000000'] })),
        400,
        'unknown_recipient',
      );
      expect((await allReports()).map((x) => x.id)).toEqual([r.id]);
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('countermeasure information (対策情報)', () => {
    it('is created by a Type 1 user with a second factor only', async () => {
      const created = await advisory('type1');
      expect(created).toMatchObject({ stage: 'draft', tlp: 'amber', version: 1, title: advisoryInput().title, feedbackDeadline: null, releasedAt: null });
      const stored = await t.deps.store.read.sharing.versions.get(created.id, 1);
      expect(stored?.content.indicators).toEqual([{ type: 'ipv4', value: '203.0.113.5' }]);
      expect(await auditRows('advisory.create', created.id)).toHaveLength(1);

      for (const key of ['general', 'type2', 'type1NoTotp', 'none'] as const) {
        expectError(await call(key, 'POST', '/api/v1/advisories', advisoryInput()), 403, 'forbidden');
      }
      expectError(await c.anonymous({ method: 'POST', url: '/api/v1/advisories', payload: advisoryInput() }), 401, 'unauthenticated');
      expectError(await call('type1', 'POST', '/api/v1/advisories', advisoryInput({ sectors: ['space'] })), 400, 'invalid_sector');
      expectError(await call('type1', 'POST', '/api/v1/advisories', advisoryInput({ indicators: [{ type: 'md5', value: 'xyz' }] })), 400, 'invalid_observable');
      expect((await allAdvisories()).map((a) => a.id)).toEqual([created.id]);
      expect(await auditRows('advisory.create')).toHaveLength(1);
    });

    it('lists in pages of {"items", "next"}, next null on the last page; without credentials public items only', async () => {
      const ids: string[] = [];
      for (let i = 1; i <= 3; i++) ids.push((await advisory('type1', { title: `対策情報 ${i}`, tlp: i === 3 ? 'clear' : 'amber' })).id);
      const first = await call('type1', 'GET', '/api/v1/advisories?limit=2');
      expect(first.statusCode, first.body).toBe(200);
      const page1 = body<{ items: AdvisorySummary[]; next: string | null }>(first);
      expect(page1.items.map((a) => a.id)).toEqual([ids[2], ids[1]]);
      expect(page1.items[0]).toMatchObject({ id: ids[2], stage: 'draft', tlp: 'clear', title: '対策情報 3', version: 1 });
      expect(typeof page1.next).toBe('string');
      const page2 = body<{ items: AdvisorySummary[]; next: string | null }>(await call('type1', 'GET', `/api/v1/advisories?limit=2&cursor=${page1.next}`));
      expect(page2).toEqual({ items: [expect.objectContaining({ id: ids[0] })], next: null });
      expectError(await call('type1', 'GET', '/api/v1/advisories?cursor=not-ours'), 400, 'invalid_input');

      expect(body(await c.anonymous({ method: 'GET', url: '/api/v1/advisories' }))).toEqual({ items: [], next: null });
      await releaseTo(ids[2] as string, 'public');
      await releaseTo(ids[1] as string, 'members');
      const anon = body<{ items: AdvisorySummary[]; next: string | null }>(await c.anonymous({ method: 'GET', url: '/api/v1/advisories' }));
      expect(anon).toEqual({ items: [expect.objectContaining({ id: ids[2], stage: 'public', tlp: 'clear' })], next: null });
      expect(body<{ items: AdvisorySummary[] }>(await call('general', 'GET', '/api/v1/advisories')).items.map((a) => a.id)).toEqual([ids[2], ids[1]]);
      // The public item's detail needs no credentials either; the others answer "not found".
      expect((await c.anonymous({ method: 'GET', url: `/api/v1/advisories/${ids[2]}` })).statusCode).toBe(200);
      expectError(await c.anonymous({ method: 'GET', url: `/api/v1/advisories/${ids[1]}` }), 404, 'not_found');
    });

    it('a revision makes version 2 and the diff shows what changed', async () => {
      const a = await advisory('type1');
      const res = await call('type1', 'PUT', `/api/v1/advisories/${a.id}`, {
        ...advisoryInput({ summary: '複数の重要インフラ事業者と自治体で VPN 装置の脆弱性を悪用した侵入が報告されています。' }),
        note: '被害範囲を更新',
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(body<AdvisorySummary>(res)).toMatchObject({ version: 2, stage: 'draft' });
      const d = await advisoryDetail('type1', a.id);
      expect(d.content.summary).toContain('自治体');
      expect(d.versions.map((v) => [v.version, v.note])).toEqual([
        [1, null],
        [2, '被害範囲を更新'],
      ]);
      const diff = await call('type1', 'GET', `/api/v1/advisories/${a.id}/diff?from=1&to=2`);
      expect(diff.statusCode, diff.body).toBe(200);
      const fields = body<{ fields: { field: string; parts: { value: string; added?: boolean; removed?: boolean }[] }[] }>(diff).fields;
      expect(fields.map((f) => f.field)).toEqual(['summary']);
      expect(fields[0]?.parts.some((p) => p.added && p.value.includes('自治体'))).toBe(true);
      expect(fields[0]?.parts.some((p) => p.removed && p.value.includes('確認'))).toBe(true);
      expectError(await call('type1', 'GET', `/api/v1/advisories/${a.id}/diff?from=1&to=3`), 404, 'version_not_found');
      expect(await t.deps.store.read.sharing.versions.list(a.id)).toHaveLength(2);
      expect(await auditRows('advisory.revise', a.id)).toEqual([expect.objectContaining({ detail: expect.objectContaining({ version: 2, note: '被害範囲を更新' }) })]);
      expectError(await call('general', 'PUT', `/api/v1/advisories/${a.id}`, advisoryInput()), 404, 'not_found');
    });

    it('is released draft → Type 1 → Type 2 (deadline in 24 h) → all members → public, each step audited', async () => {
      const a = await advisory('type1', { tlp: 'clear' });
      await c.as('type2');
      await c.as('general');

      const toType1 = await release('type1', a.id, 'type1');
      expect(toType1.statusCode, toType1.body).toBe(200);
      expect(body<AdvisorySummary>(toType1)).toMatchObject({ stage: 'type1', feedbackDeadline: null });
      expectError(await call('type2', 'GET', `/api/v1/advisories/${a.id}`), 404, 'not_found');
      // Another Type 1 member sees it now, and may release it on: a release is an act of the group.
      await advisoryDetail('type1b', a.id);

      const at = t.deps.clock.now();
      const toType2 = await release('type1b', a.id, 'type2');
      expect(toType2.statusCode, toType2.body).toBe(200);
      expect(body<AdvisorySummary>(toType2)).toMatchObject({ stage: 'type2', feedbackDeadline: new Date(at.getTime() + 24 * HOUR).toISOString() });
      await advisoryDetail('type2', a.id);
      expectError(await call('general', 'GET', `/api/v1/advisories/${a.id}`), 404, 'not_found');

      expect((await release('type1', a.id, 'members')).statusCode).toBe(200);
      await advisoryDetail('general', a.id);
      expect((await release('type1', a.id, 'public')).statusCode).toBe(200);
      const d = await advisoryDetail('general2', a.id);
      expect(d.stage).toBe('public');
      expect(d.releases.map((r) => [r.fromStage, r.toStage])).toEqual([
        ['draft', 'type1'],
        ['type1', 'type2'],
        ['type2', 'members'],
        ['members', 'public'],
      ]);
      expectError(await release('type1', a.id, 'public'), 400, 'already_final_stage');

      const rows = (await auditRows('advisory.release', a.id)).reverse();
      expect(rows.map((r) => [r.detail.from, r.detail.to])).toEqual([
        ['draft', 'type1'],
        ['type1', 'type2'],
        ['type2', 'members'],
        ['members', 'public'],
      ]);
      expect(rows[1]).toMatchObject({ actorUserId: c.users.type1b.id, detail: { version: 1, feedbackDeadline: new Date(at.getTime() + 24 * HOUR).toISOString() } });
      expect(await t.deps.store.read.sharing.releases.list(a.id)).toHaveLength(4);
    });

    it('takes a feedback deadline per release', async () => {
      const a = await advisory('type1');
      await releaseTo(a.id, 'type1');
      const at = t.deps.clock.now();
      const res = await release('type1', a.id, 'type2', { feedbackHours: 48 });
      expect(body<AdvisorySummary>(res).feedbackDeadline).toBe(new Date(at.getTime() + 48 * HOUR).toISOString());
      expect((await t.deps.store.read.sharing.advisories.byId(a.id))?.feedbackDeadline).toBe(new Date(at.getTime() + 48 * HOUR).toISOString());
      expectError(await release('type1', a.id, 'members', { feedbackHours: 0 }), 400, 'invalid_input');
    });

    it('refuses a release that skips a stage, and changes nothing', async () => {
      const a = await advisory('type1');
      const res = await release('type1', a.id, 'type2');
      expectError(res, 400, 'release_skips_stage');
      expect(errorOf(res).message).toBe(translate('ja', 'release_skips_stage', { from: 'draft', next: 'type1' }));
      expect((await t.deps.store.read.sharing.advisories.byId(a.id))?.stage).toBe('draft');
      expect(await t.deps.store.read.sharing.releases.list(a.id)).toEqual([]);
      expect(await auditRows('advisory.release')).toEqual([]);
    });

    it('refuses a release by anyone outside the Type 1 group', async () => {
      const a = await advisory('type1');
      // Those who cannot see the draft get "not found".
      for (const key of ['general', 'type2', 'type1NoTotp', 'type1b'] as const) expectError(await release(key, a.id, 'type1'), 404, 'not_found');
      await releaseTo(a.id, 'type2');
      // A Type 2 member sees the item but may not release it.
      expectError(await release('type2', a.id, 'members'), 403, 'forbidden');
      expectError(await release('type2Viewer', a.id, 'members'), 403, 'forbidden');
      expectError(await release('secretariat', a.id, 'members'), 403, 'forbidden');
      expect((await t.deps.store.read.sharing.advisories.byId(a.id))?.stage).toBe('type2');
      expect(await auditRows('advisory.release', a.id)).toHaveLength(2);
    });

    it('makes public TLP:CLEAR information only', async () => {
      const a = await advisory('type1', { tlp: 'green' });
      await releaseTo(a.id, 'members');
      expectError(await release('type1', a.id, 'public'), 400, 'public_requires_clear');
      expect((await t.deps.store.read.sharing.advisories.byId(a.id))?.stage).toBe('members');
    });

    it('flags likely personal data before a release beyond the Type 1 group; confirmed flags let it through', async () => {
      const a = await advisory('type1', { summary: '詳細は山田太郎様（03-1234-5678）までお問い合わせください。' });
      // Inside the Type 1 group no flags are asked for.
      expect((await release('type1', a.id, 'type1')).statusCode).toBe(200);

      const check = await call('type1', 'GET', `/api/v1/advisories/${a.id}/release-check`);
      expect(check.statusCode, check.body).toBe(200);
      const refused = await release('type1', a.id, 'type2');
      expectError(refused, 409, 'personal_data_flagged');
      const flags = errorOf(refused).details as { kind: string; text: string; field: string }[];
      expect(flags).toEqual(
        expect.arrayContaining([
          { kind: 'phone', text: '03-1234-5678', field: 'summary' },
          { kind: 'person_name', text: '山田太郎様', field: 'summary' },
        ]),
      );
      expect(body<{ flags: unknown[] }>(check).flags).toEqual(flags);
      expect((await t.deps.store.read.sharing.advisories.byId(a.id))?.stage).toBe('type1');

      // Confirming some flags is not enough.
      const partly = await release('type1', a.id, 'type2', { confirmFlags: ['03-1234-5678'] });
      expectError(partly, 409, 'personal_data_flagged');
      expect((errorOf(partly).details as { text: string }[]).map((f) => f.text)).not.toContain('03-1234-5678');

      const ok = await release('type1', a.id, 'type2', { confirmFlags: flags.map((f) => f.text) });
      expect(ok.statusCode, ok.body).toBe(200);
      const rows = await auditRows('advisory.release', a.id);
      expect(rows[0]?.detail).toMatchObject({ from: 'type1', to: 'type2', confirmedFlags: flags.map((f) => f.text) });
      const releases = await t.deps.store.read.sharing.releases.list(a.id);
      expect(releases.at(-1)?.confirmedFlags).toEqual(flags.map((f) => f.text));
    });

    it('flags the provider’s own identifiers when built on an anonymous report', async () => {
      const r = await report('general');
      const a = await advisory('type1', { sourceReportId: r.id, summary: '桜市の職員宛に請求書を装うメールが届いています。' });
      await releaseTo(a.id, 'type1');
      const refused = await release('type1', a.id, 'type2');
      expectError(refused, 409, 'personal_data_flagged');
      expect(errorOf(refused).details).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'provider_identifier', text: '桜市' })]));
    });
  });

  // -------------------------------------------------------------------------------------------
  describe('feedback (来ている／来ていない／わからない)', () => {
    /** An item released to Type 2 now, with its deadline. */
    async function releasedToType2(): Promise<{ id: string; deadline: string }> {
      const a = await advisory('type1');
      const s = await releaseTo(a.id, 'type2');
      return { id: a.id, deadline: s.feedbackDeadline as string };
    }

    it('a Type 2 member answers with sightings, and may change the answer before the deadline: one answer per organisation', async () => {
      const { id } = await releasedToType2();
      const first = await feedback('type2', id, {
        answer: 'seen',
        comment: '当社の VPN 装置で該当アドレスからの通信を確認',
        sightings: [{ observable: { type: 'ipv4', value: '203.0.113[.]5' }, firstSeen: '2026-03-31T10:00:00+09:00', count: 3 }],
      });
      expect(first.statusCode, first.body).toBe(200);
      expect(body(first)).toEqual({ answer: 'seen', late: false, version: 1 });
      const stored = await t.deps.store.read.sharing.feedback.get(id, 1, c.orgs.type2.id);
      expect(stored).toMatchObject({ answer: 'seen', late: false, userId: c.users.type2.id });
      expect(stored?.sightings).toEqual([{ observable: { type: 'ipv4', value: '203.0.113.5' }, firstSeen: '2026-03-31T10:00:00+09:00', count: 3 }]);

      const changed = await feedback('type2', id, { answer: 'not_seen' });
      expect(changed.statusCode, changed.body).toBe(200);
      expect(body(changed)).toEqual({ answer: 'not_seen', late: false, version: 1 });
      const rows = await t.deps.store.read.sharing.feedback.list(id, 1);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ answer: 'not_seen', comment: null, sightings: [] });
      expect(await auditRows('feedback.submit', id)).toHaveLength(1);
      expect(await auditRows('feedback.change', id)).toEqual([expect.objectContaining({ detail: { version: 1, answer: 'not_seen', late: false } })]);

      // A viewer may read but not answer.
      expectError(await feedback('type2Viewer', id, { answer: 'seen' }), 403, 'forbidden');
      expectError(await feedback('type2', id, { answer: 'maybe' }), 400, 'invalid_input');
    });

    it('after the deadline an answer cannot change; a first answer is still taken, marked late', async () => {
      const { id, deadline } = await releasedToType2();
      expect((await feedback('type2', id, { answer: 'seen' })).statusCode).toBe(200);

      t.deps.clock.advance(24 * HOUR + 60_000);
      // Sessions have ended meanwhile (idle limit): sign in again.
      c.forgetSessions();
      const late = await feedback('type2', id, { answer: 'not_seen' });
      expectError(late, 409, 'feedback_deadline_passed');
      expect(errorOf(late).message).toBe(translate('ja', 'feedback_deadline_passed', { deadline: { ja: formatJst(deadline, 'ja'), en: formatJst(deadline, 'en') } }));
      expect(errorOf(late).message).toContain('（日本時間）');
      expect(errorOf(late).message).toContain(formatJst(deadline, 'ja'));
      expect((await t.deps.store.read.sharing.feedback.get(id, 1, c.orgs.type2.id))?.answer).toBe('seen');

      const first = await feedback('type2b', id, { answer: 'unknown', comment: '調査中' });
      expect(first.statusCode, first.body).toBe(200);
      expect(body(first)).toEqual({ answer: 'unknown', late: true, version: 1 });
      expect(await t.deps.store.read.sharing.feedback.get(id, 1, c.orgs.type2b.id)).toMatchObject({ answer: 'unknown', late: true });
      expect(await auditRows('feedback.submit', id)).toEqual(
        expect.arrayContaining([expect.objectContaining({ actorOrgId: c.orgs.type2b.id, detail: { version: 1, answer: 'unknown', late: true } })]),
      );
      // A late answer cannot be changed either.
      expectError(await feedback('type2b', id, { answer: 'seen' }), 409, 'feedback_deadline_passed');
    });

    it('is closed to those who cannot see the item, and not open before the release to Type 2', async () => {
      const a = await advisory('type1');
      await releaseTo(a.id, 'type1');
      expectError(await feedback('type1', a.id, { answer: 'seen' }), 400, 'feedback_not_open');
      await releaseTo(a.id, 'type2');
      for (const key of ['general', 'general2', 'foreignType2', 'none'] as const) expectError(await feedback(key, a.id, { answer: 'seen' }), 404, 'not_found');
      expect(await t.deps.store.read.sharing.feedback.list(a.id, 1)).toEqual([]);
      // Once released to all members, a general member may answer too.
      await releaseTo(a.id, 'members');
      expect(body(await feedback('general', a.id, { answer: 'not_seen' }))).toEqual({ answer: 'not_seen', late: false, version: 1 });
    });

    it('the Type 1 group sees the tally by answer, sector and time, and who has not answered', async () => {
      const { id } = await releasedToType2();
      t.deps.clock.advance(HOUR);
      expect((await feedback('type2', id, { answer: 'seen', sightings: [{ observable: { type: 'ipv4', value: '203.0.113.5' } }] })).statusCode).toBe(200);

      const before = await call('type1', 'GET', `/api/v1/advisories/${id}/feedback`);
      expect(before.statusCode, before.body).toBe(200);
      const t1 = body<Tally>(before);
      expect(t1.totals).toEqual({ seen: 1, not_seen: 0, unknown: 0 });
      expect(t1.answers).toEqual([
        expect.objectContaining({ orgId: c.orgs.type2.id, nameJa: c.orgs.type2.nameJa, answer: 'seen', late: false, sightings: 1 }),
      ]);
      // Type 2 organisations of the task force that have not answered; not the foreign-capital one outside it.
      expect(t1.notAnswered.map((o) => o.orgId)).toEqual([c.orgs.type2b.id]);

      t.deps.clock.advance(HOUR);
      expect((await feedback('type2b', id, { answer: 'not_seen', comment: '該当なし' })).statusCode).toBe(200);
      const t2 = body<Tally>(await call('designated', 'GET', `/api/v1/advisories/${id}/feedback`));
      expect(t2).toMatchObject({ advisoryId: id, version: 1, totals: { seen: 1, not_seen: 1, unknown: 0 }, notAnswered: [] });
      expect(t2.bySector).toEqual(
        expect.arrayContaining([
          { group: 'electricity', seen: 1, not_seen: 0, unknown: 0 },
          { group: 'finance', seen: 0, not_seen: 1, unknown: 0 },
        ]),
      );
      expect(t2.overTime.map((p) => [p.seen, p.not_seen, p.unknown])).toEqual([
        [1, 0, 0],
        [1, 1, 0],
      ]);
      expect(t2.answers.map((a) => a.orgId)).toEqual([c.orgs.type2.id, c.orgs.type2b.id]);
      expect((await call('secretariat', 'GET', `/api/v1/advisories/${id}/feedback`)).statusCode).toBe(200);

      // Not for Type 2 members (who see their own answer only), nor for those who cannot see the item.
      expectError(await call('type2', 'GET', `/api/v1/advisories/${id}/feedback`), 403, 'forbidden');
      expectError(await call('general', 'GET', `/api/v1/advisories/${id}/feedback`), 404, 'not_found');
    });

    it('an organisation sees its own answer in the detail, not the others’', async () => {
      const { id } = await releasedToType2();
      await feedback('type2', id, { answer: 'seen', comment: '観測あり' });
      expect((await advisoryDetail('type2', id)).myFeedback).toMatchObject({ answer: 'seen', comment: '観測あり', late: false });
      // Another user of the same organisation sees the organisation's answer.
      expect((await advisoryDetail('type2Viewer', id)).myFeedback).toMatchObject({ answer: 'seen' });
      expect((await advisoryDetail('type2b', id)).myFeedback).toBeNull();
      expect((await advisoryDetail('type1', id)).myFeedback).toBeNull();

      // A new version asks again.
      expect((await call('type1', 'PUT', `/api/v1/advisories/${id}`, advisoryInput({ threat: '攻撃手法を更新しました。' }))).statusCode).toBe(200);
      expect((await advisoryDetail('type2', id)).myFeedback).toBeNull();
      expect(body(await feedback('type2', id, { answer: 'unknown' }))).toMatchObject({ version: 2 });
      expect(await t.deps.store.read.sharing.feedback.list(id, 1)).toHaveLength(1);
      expect(await t.deps.store.read.sharing.feedback.list(id, 2)).toHaveLength(1);
    });
  });
});
