/** Membership API over HTTP (app.inject) on both databases: every endpoint, bad input, both languages. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { insertOrg, insertUser } from '../test/membership.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { dialects } from '../test/stores.js';
import { APPLICATION_RATE_LIMIT_PER_MINUTE, redactPrivateLinks } from './routes/membership.js';

const DAY = 86_400_000;

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; code: string; message: string }[] };
}

function validApplication(n: number, over: Record<string, unknown> = {}) {
  return {
    nameJa: `株式会社HTTPテスト${n}`,
    nameEn: `HTTP Test ${n} Inc.`,
    category: 'cyber_business',
    foreignCapital: false,
    requestedClass: 'general',
    contacts: [{ name: '鈴木 花子', department: 'CSIRT', email: `hanako@http${n}.example.jp`, phone: '03-0000-1111' }],
    reason: '情報共有のため',
    rosterConsent: true,
    ...over,
  };
}

describe.each(dialects)('membership API on %s', (dialect) => {
  let t: TestApp;
  let sec: string; // bearer token of a secretariat administrator
  let committee: string;
  let secViewer: string;

  beforeEach(async () => {
    t = await createTestApp(dialect); // clock: 2026-04-01T00:00Z
    const secretariat = await t.deps.store.read.organizations.secretariat();
    if (!secretariat) throw new Error('no secretariat');
    sec = (await insertUser(t.deps, secretariat.id, { role: 'admin' })).token;
    secViewer = (await insertUser(t.deps, secretariat.id, { role: 'viewer' })).token;
    committee = (await insertUser(t.deps, secretariat.id, { role: 'analyst', isCommittee: true })).token;
    const res = await as(sec, {
      method: 'POST',
      url: '/api/v1/periods',
      payload: { number: 1, opensAt: '2026-03-01T10:00:00+09:00', closesAt: '2026-04-30T18:00:00+09:00', decisionDate: '2026-05-20' },
    });
    expect(res.statusCode).toBe(201);
  });
  afterEach(() => t.close());

  const as = (token: string | null, opts: InjectOptions, lang?: 'en') =>
    t.app.inject({
      ...opts,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(lang ? { 'accept-language': 'en' } : {}), ...(opts.headers ?? {}) },
    });
  const anon = (opts: InjectOptions, lang?: 'en') => as(null, opts, lang);
  const err = (res: LightMyRequestResponse) => (res.json() as ErrorBody).error;
  const json = <T = Record<string, unknown>>(res: LightMyRequestResponse) => res.json() as T;

  async function submit(n: number, over: Record<string, unknown> = {}) {
    const res = await anon({ method: 'POST', url: '/api/v1/applications', payload: validApplication(n, over) });
    expect(res.statusCode, res.body).toBe(201);
    return json<{ application: { id: string; status: string }; accessToken: string }>(res);
  }

  async function countApplications() {
    return json<{ items: unknown[] }>(await as(sec, { method: 'GET', url: '/api/v1/applications?limit=200' })).items.length;
  }

  describe('public', () => {
    it('lists periods without an account, in UTC with the open flag', async () => {
      const res = await anon({ method: 'GET', url: '/api/v1/periods' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual([
        expect.objectContaining({ number: 1, opensAt: '2026-03-01T01:00:00.000Z', closesAt: '2026-04-30T09:00:00.000Z', open: true, state: 'open', decisionDate: '2026-05-20' }),
      ]);
      expect((await anon({ method: 'GET', url: '/api/v1/periods/1' })).statusCode).toBe(200);
      expect(err(await anon({ method: 'GET', url: '/api/v1/periods/9' })).code).toBe('not_found');
    });

    it('serves the latest roster as {asOf, entries} and as CSV with a BOM, and keeps earlier ones', async () => {
      const none = await anon({ method: 'GET', url: '/api/v1/roster' });
      expect(none.statusCode).toBe(404);
      expect(err(none)).toMatchObject({ code: 'roster_not_published', message: '構成員名簿はまだ公表されていません。' });
      expect(err(await anon({ method: 'GET', url: '/api/v1/roster' }, 'en')).message).toBe('No roster has been published yet.');

      await insertOrg(t.deps, { nameJa: '桜川市', nameEn: 'Sakuragawa City', category: 'local_government' });
      await insertOrg(t.deps, { nameJa: '非公表', nameEn: 'Hidden', rosterConsent: false });
      await insertOrg(t.deps, { nameJa: '委員', nameEn: 'None', memberClass: 'none' });
      const first = await as(sec, { method: 'POST', url: '/api/v1/rosters', payload: { asOf: '2026-04-01' } });
      expect(first.statusCode).toBe(201);
      await insertOrg(t.deps, { nameJa: 'いろは大学', nameEn: 'Iroha University', category: 'university' });
      expect((await as(sec, { method: 'POST', url: '/api/v1/rosters', payload: { asOf: 'April' } })).statusCode).toBe(400);
      expect((await as(secViewer, { method: 'POST', url: '/api/v1/rosters', payload: { asOf: '2026-04-02' } })).statusCode).toBe(403);
      expect((await as(sec, { method: 'POST', url: '/api/v1/rosters', payload: { asOf: '2026-04-02' } })).statusCode).toBe(201);

      const latest = await anon({ method: 'GET', url: '/api/v1/roster' });
      expect(latest.json()).toEqual({
        asOf: '2026-04-02',
        entries: [
          { nameJa: '桜川市', nameEn: 'Sakuragawa City', category: 'local_government' },
          { nameJa: 'いろは大学', nameEn: 'Iroha University', category: 'university' },
        ],
      });
      const csv = await anon({ method: 'GET', url: '/api/v1/roster.csv' });
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toContain('roster-2026-04-02.csv');
      expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      expect(csv.body).toContain('区分,名称,英語名称\r\n地方公共団体,桜川市,Sakuragawa City\r\n');

      const list = json<{ items: { id: string; asOf: string; count: number }[]; next: string | null }>(
        await anon({ method: 'GET', url: '/api/v1/rosters?limit=1' }),
      );
      expect(list.items).toEqual([expect.objectContaining({ asOf: '2026-04-02', count: 2 })]);
      const older = json<{ items: { id: string; asOf: string; count: number }[] }>(
        await anon({ method: 'GET', url: `/api/v1/rosters?limit=1&cursor=${list.next ?? ''}` }),
      );
      expect(older.items[0]).toMatchObject({ asOf: '2026-04-01', count: 1 });
      const old = await anon({ method: 'GET', url: `/api/v1/rosters/${older.items[0]?.id ?? ''}` });
      expect(old.json()).toMatchObject({ asOf: '2026-04-01', entries: [{ nameJa: '桜川市' }] });
      const oldCsv = await anon({ method: 'GET', url: `/api/v1/rosters/${older.items[0]?.id ?? ''}/csv?lang=en` });
      expect(oldCsv.body).toContain('Category,Name (Japanese),Name\r\nLocal government,桜川市,Sakuragawa City');
    });

    it('shows the council settings to anyone; only a secretariat administrator changes them', async () => {
      expect(json(await anon({ method: 'GET', url: '/api/v1/settings/council' }))).toMatchObject({ councilName: { ja: 'サイバーセキュリティ協議会' } });
      const body = { secretariatName: { ja: '国家サイバー統括室', en: 'National Cybersecurity Office' } };
      expect((await anon({ method: 'PUT', url: '/api/v1/settings/council', payload: body })).statusCode).toBe(401);
      expect((await as(secViewer, { method: 'PUT', url: '/api/v1/settings/council', payload: body })).statusCode).toBe(403);
      expect((await as(sec, { method: 'PUT', url: '/api/v1/settings/council', payload: { secretariatName: { ja: '', en: 'x' } } })).statusCode).toBe(400);
      const ok = await as(sec, { method: 'PUT', url: '/api/v1/settings/council', payload: body });
      expect(json(ok)).toMatchObject(body);
    });

    it('documents the routes in the OpenAPI document', async () => {
      const doc = json<{ paths: Record<string, unknown> }>(await anon({ method: 'GET', url: '/api/openapi.json' }));
      for (const p of ['/api/v1/periods', '/api/v1/applications', '/api/v1/applications/status/{token}', '/api/v1/roster', '/api/v1/rulebooks/{id}/accept', '/api/v1/membership/stats']) {
        expect(doc.paths).toHaveProperty([p]);
      }
    });
  });

  describe('applying', () => {
    it('accepts a complete application and shows its status through the private link', async () => {
      const s = await submit(1);
      expect(s.application.status).toBe('submitted');
      expect(s.accessToken.length).toBeGreaterThan(30);
      const status = await anon({ method: 'GET', url: `/api/v1/applications/status/${s.accessToken}` });
      expect(status.statusCode).toBe(200);
      expect(json(status)).toMatchObject({ status: 'submitted', periodNumber: 1, administrator: null, history: [{ kind: 'submitted', role: 'applicant' }] });
      expect((await anon({ method: 'GET', url: `/api/v1/applications/status/${'x'.repeat(43)}` })).statusCode).toBe(404);
    });

    it('refuses missing fields, overlong text and a wrong e-mail in Japanese (or English), saving nothing', async () => {
      const missing = await anon({ method: 'POST', url: '/api/v1/applications', payload: { nameEn: 'X' } });
      expect(missing.statusCode).toBe(400);
      expect(err(missing).code).toBe('invalid_input');
      expect(err(missing).message).toBe('入力内容に誤りがあります。');
      expect(err(missing).details).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'nameJa', message: '必須項目です。' })]));

      const long = await anon({ method: 'POST', url: '/api/v1/applications', payload: validApplication(2, { reason: 'あ'.repeat(4001) }) });
      expect(long.statusCode).toBe(400);
      expect(err(long).details).toEqual([expect.objectContaining({ path: 'reason', code: 'too_big' })]);

      const mail = await anon(
        { method: 'POST', url: '/api/v1/applications', payload: validApplication(3, { contacts: [{ name: 'A', email: 'not-an-address', phone: '0300001111' }] }) },
        'en',
      );
      expect(mail.statusCode).toBe(400);
      expect(err(mail).message).toBe('The input is not valid.');
      expect(err(mail).details).toEqual([expect.objectContaining({ path: 'contacts.0.email', message: 'The format is not valid.' })]);

      const rule = await anon({ method: 'POST', url: '/api/v1/applications', payload: validApplication(4, { requestedClass: 'type1' }) });
      expect(rule.statusCode).toBe(400);
      expect(err(rule)).toMatchObject({ code: 'capabilities_required', message: expect.stringContaining('第一類構成員') });
      expect(await countApplications()).toBe(0);
    });

    it('refuses an application after the deadline with the deadline in Japan time', async () => {
      t.deps.clock.advance(30 * DAY);
      const res = await anon({ method: 'POST', url: '/api/v1/applications', payload: validApplication(5) });
      expect(res.statusCode).toBe(409);
      expect(err(res)).toEqual({ code: 'period_closed', message: '第1期の募集は2026年4月30日 18:00（日本時間）に締め切られました。' });
      const en = await anon({ method: 'POST', url: '/api/v1/applications', payload: validApplication(5) }, 'en');
      expect(err(en).message).toBe('Applications for period 1 closed on 30 April 2026, 18:00 (Japan time).');
      expect(await countApplications()).toBe(0);
    });

    it('refuses a duplicate in the same period', async () => {
      await submit(6);
      const dup = await anon({ method: 'POST', url: '/api/v1/applications', payload: validApplication(7, { nameJa: '（株）ＨＴＴＰテスト6' }) });
      expect(dup.statusCode).toBe(409);
      expect(err(dup).code).toBe('duplicate_application');
      expect(await countApplications()).toBe(1);
    });

    it('limits applications per address more strictly than the rest of the API', async () => {
      for (let i = 0; i < APPLICATION_RATE_LIMIT_PER_MINUTE; i++) {
        const res = await anon({ method: 'POST', url: '/api/v1/applications', payload: { nameJa: 'x' } });
        expect(res.statusCode).toBe(400);
      }
      const limited = await anon({ method: 'POST', url: '/api/v1/applications', payload: validApplication(8) });
      expect(limited.statusCode).toBe(429);
      expect(err(limited).code).toBe('rate_limited');
      expect((await anon({ method: 'GET', url: '/api/v1/periods' })).statusCode).toBe(200);
    });
  });

  describe('review, decision and the first administrator', () => {
    it('returns with questions, takes the answer, checks, approves; the new administrator sets a password and must accept the rules', async () => {
      const s = await submit(10, { requestedClass: 'type2', quickFeedbackCommitment: true });
      const id = s.application.id;
      const link = `/api/v1/applications/status/${s.accessToken}`;

      expect((await anon({ method: 'GET', url: '/api/v1/applications' })).statusCode).toBe(401);
      const member = await insertUser(t.deps, (await insertOrg(t.deps)).id);
      expect((await as(member.token, { method: 'GET', url: '/api/v1/applications' })).statusCode).toBe(403);
      const list = json<{ items: { id: string }[] }>(await as(committee, { method: 'GET', url: '/api/v1/applications?status=submitted&periodNumber=1' }));
      expect(list.items.map((a) => a.id)).toEqual([id]);
      expect((await as(sec, { method: 'GET', url: '/api/v1/applications?status=nope' })).statusCode).toBe(400);

      expect((await as(sec, { method: 'POST', url: `/api/v1/applications/${id}/return`, payload: {} })).statusCode).toBe(400);
      expect((await as(secViewer, { method: 'POST', url: `/api/v1/applications/${id}/return`, payload: { message: 'q' } })).statusCode).toBe(403);
      const returned = await as(sec, { method: 'POST', url: `/api/v1/applications/${id}/return`, payload: { message: '所在地をご記入ください。' } });
      expect(json(returned)).toMatchObject({ status: 'returned' });
      const answered = await anon({ method: 'POST', url: `${link}/answer`, payload: { message: '記入しました。', corrections: { address: '東京都' } } });
      expect(json(answered)).toMatchObject({ status: 'submitted', fields: { address: '東京都' } });
      const again = await anon({ method: 'POST', url: `${link}/answer`, payload: { message: 'x' } }, 'en');
      expect(again.statusCode).toBe(409);
      expect(err(again).message).toBe('There are no open questions on this application.');

      const early = await as(committee, { method: 'POST', url: `/api/v1/applications/${id}/approve`, payload: { memberClass: 'general' } });
      expect(err(early).code).toBe('application_not_checked');
      expect((await as(sec, { method: 'POST', url: `/api/v1/applications/${id}/check`, payload: {} })).statusCode).toBe(200);
      expect((await as(sec, { method: 'POST', url: `/api/v1/applications/${id}/approve`, payload: { memberClass: 'general' } })).statusCode).toBe(403);
      expect((await as(committee, { method: 'POST', url: `/api/v1/applications/${id}/approve`, payload: { memberClass: 'designated' } })).statusCode).toBe(400);

      const approved = await as(committee, { method: 'POST', url: `/api/v1/applications/${id}/approve`, payload: { memberClass: 'general', reason: '一般の構成員として承認' } });
      expect(approved.statusCode).toBe(200);
      const result = json<{ organizationId: string; administrator: { login: string }; passwordSetupToken: string; application: { status: string; history: unknown[] } }>(approved);
      expect(result.application.status).toBe('approved');
      expect(result.application.history).toHaveLength(5);
      expect(result.administrator.login).toBe('hanako@http10.example.jp');

      const twice = await as(committee, { method: 'POST', url: `/api/v1/applications/${id}/reject`, payload: { reason: 'x' } });
      expect(twice.statusCode).toBe(409);
      expect(err(twice)).toEqual({ code: 'application_already_decided', message: 'この申込みはすでに承認済みのため、変更できません。' });
      // A signed-in user gets answers in their own language.
      const secretariat = await t.deps.store.read.organizations.secretariat();
      const english = await insertUser(t.deps, secretariat?.id ?? '', { isCommittee: true, locale: 'en' });
      const twiceEn = await as(english.token, { method: 'POST', url: `/api/v1/applications/${id}/approve`, payload: { memberClass: 'general' } });
      expect(err(twiceEn).message).toBe('This application is already approved and can no longer be changed.');
      const detail = json<{ history: { kind: string; actorLabel: string }[] }>(await as(secViewer, { method: 'GET', url: `/api/v1/applications/${id}` }));
      expect(detail.history.map((h) => h.kind)).toEqual(['submitted', 'returned', 'answered', 'checked', 'approved']);

      // The applicant's side: decision, then a fresh password link.
      expect(json(await anon({ method: 'GET', url: link }))).toMatchObject({ status: 'approved', decidedClass: 'general', administrator: { passwordSet: false } });
      const fresh = json<{ passwordSetupToken: string; login: string }>(await anon({ method: 'POST', url: `${link}/password-link` }));
      expect((await anon({ method: 'GET', url: `/api/v1/password-setup/${result.passwordSetupToken}` })).statusCode).toBe(404);
      expect(json(await anon({ method: 'GET', url: `/api/v1/password-setup/${fresh.passwordSetupToken}` }))).toMatchObject({ login: fresh.login });
      const weak = await anon({ method: 'POST', url: '/api/v1/password-setup', payload: { token: fresh.passwordSetupToken, password: 'short' } });
      expect(weak.statusCode).toBe(400);
      const set = await anon({ method: 'POST', url: '/api/v1/password-setup', payload: { token: fresh.passwordSetupToken, password: 'my new long password' } });
      expect(json(set)).toEqual({ login: fresh.login });
      const reused = await anon({ method: 'POST', url: '/api/v1/password-setup', payload: { token: fresh.passwordSetupToken, password: 'my new long password' } });
      expect(err(reused).code).toBe('password_link_invalid');

      // Rules now exist: the new administrator may read their own standing but nothing else until accepting.
      const rb = await as(sec, { method: 'POST', url: '/api/v1/rulebooks', payload: { kind: 'council_rules', bodyMd: '# 規約', effectiveAt: '2026-03-01T00:00:00+09:00' } });
      expect(rb.statusCode).toBe(201);
      const rulebookId = json<{ id: string }>(rb).id;
      const admin = await t.signIn(fresh.login, 'my new long password');
      expect((await admin.request({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(200);
      expect((await admin.request({ method: 'GET', url: `/api/v1/organizations/${result.organizationId}/membership` })).statusCode).toBe(200);
      const gated = await admin.request({ method: 'POST', url: `/api/v1/organizations/${result.organizationId}/change-notifications`, payload: { changes: { nameEn: 'New' } } });
      expect(gated.statusCode).toBe(403);
      expect(err(gated)).toMatchObject({ code: 'rules_not_accepted', message: expect.stringContaining('同意') });
      expect((await admin.request({ method: 'GET', url: `/api/v1/organizations/${result.organizationId}/users` })).statusCode).toBe(403);
      const mine = json<{ allAccepted: boolean; items: { id: string; accepted: boolean }[] }>(await admin.request({ method: 'GET', url: '/api/v1/me/rulebooks' }));
      expect(mine).toMatchObject({ allAccepted: false, items: [{ id: rulebookId, accepted: false }] });
      const accepted = await admin.request({ method: 'POST', url: `/api/v1/rulebooks/${rulebookId}/accept` });
      expect(json(accepted)).toMatchObject({ allAccepted: true });
      const ok = await admin.request({ method: 'POST', url: `/api/v1/organizations/${result.organizationId}/change-notifications`, payload: { changes: { nameEn: 'New' } } });
      expect(ok.statusCode).toBe(201);
      // The secretariat token's user has not accepted either.
      expect(err(await as(sec, { method: 'GET', url: '/api/v1/applications' })).code).toBe('rules_not_accepted');
    });

    it('rejects with a reason and lets the applicant withdraw', async () => {
      const a = await submit(11);
      const r = await as(committee, { method: 'POST', url: `/api/v1/applications/${a.application.id}/reject`, payload: { reason: '要件不備' } });
      expect(json(r)).toMatchObject({ status: 'rejected', decisionReason: '要件不備' });
      const b = await submit(12);
      const w = await anon({ method: 'POST', url: `/api/v1/applications/status/${b.accessToken}/withdraw`, payload: {} });
      expect(json(w)).toMatchObject({ status: 'withdrawn' });
      expect((await anon({ method: 'POST', url: `/api/v1/applications/status/${b.accessToken}/withdraw`, payload: {} })).statusCode).toBe(409);
    });
  });

  describe('organisations', () => {
    it('refuses Type 1/2 for a foreign-capital organisation without a special approval on every path, saving nothing', async () => {
      const s = await submit(20, { foreignCapital: true, foreignCapitalShare: 80, requestedClass: 'type2', quickFeedbackCommitment: true });
      await as(sec, { method: 'POST', url: `/api/v1/applications/${s.application.id}/check`, payload: {} });
      const orgsBefore = json<{ items: unknown[] }>(await as(sec, { method: 'GET', url: '/api/v1/organizations?limit=200' })).items.length;
      const refused = await as(committee, { method: 'POST', url: `/api/v1/applications/${s.application.id}/approve`, payload: { memberClass: 'type2' } });
      expect(refused.statusCode).toBe(409);
      expect(err(refused)).toMatchObject({ code: 'special_approval_required', message: expect.stringContaining('特別承認') });
      expect(json<{ items: unknown[] }>(await as(sec, { method: 'GET', url: '/api/v1/organizations?limit=200' })).items.length).toBe(orgsBefore);

      const org = await insertOrg(t.deps, { foreignCapital: true, memberClass: 'general' });
      // Signed-in callers get their own language (Japanese here), whatever the browser says.
      const patch = await as(sec, { method: 'PATCH', url: `/api/v1/organizations/${org.id}`, payload: { memberClass: 'type1' } }, 'en');
      expect(err(patch)).toMatchObject({ code: 'special_approval_required', message: expect.stringContaining('特別承認') });
      expect((await t.deps.store.read.organizations.byId(org.id))?.memberClass).toBe('general');
      const admin = await insertUser(t.deps, org.id);
      const req = await as(admin.token, { method: 'POST', url: `/api/v1/organizations/${org.id}/class-changes`, payload: { requestedClass: 'type2', reason: '早期警戒', quickFeedbackCommitment: true } });
      expect(req.statusCode).toBe(201);
      const reqId = json<{ id: string }>(req).id;
      expect((await as(committee, { method: 'POST', url: `/api/v1/class-changes/${reqId}/approve`, payload: {} })).statusCode).toBe(409);
      const sa = await as(committee, { method: 'POST', url: `/api/v1/organizations/${org.id}/special-approval`, payload: { reason: '長年の信頼関係', at: '2026-03-31T10:00:00+09:00' } });
      expect(json(sa)).toMatchObject({ specialApproval: { at: '2026-03-31T01:00:00.000Z', reason: '長年の信頼関係' } });
      expect(json(await as(committee, { method: 'POST', url: `/api/v1/class-changes/${reqId}/approve`, payload: {} }))).toMatchObject({ status: 'accepted', decidedClass: 'type2' });
      const revoke = await as(committee, { method: 'POST', url: `/api/v1/organizations/${org.id}/special-approval/revoke`, payload: { reason: '見直し' } });
      expect(err(revoke).code).toBe('special_approval_in_use');
      const view = json<{ memberClass: string; events: { kind: string }[]; classChanges: unknown[] }>(
        await as(admin.token, { method: 'GET', url: `/api/v1/organizations/${org.id}/membership` }),
      );
      expect(view.memberClass).toBe('type2');
      expect(view.events.map((e) => e.kind)).toEqual(['class_changed', 'special_approval_granted']);
    });

    it('handles change notifications and class changes with their lists', async () => {
      const org = await insertOrg(t.deps, { memberClass: 'general' });
      const admin = await insertUser(t.deps, org.id);
      expect((await as(admin.token, { method: 'POST', url: `/api/v1/organizations/${org.id}/change-notifications`, payload: { changes: {} } })).statusCode).toBe(400);
      expect(
        (await as(admin.token, { method: 'POST', url: `/api/v1/organizations/${org.id}/change-notifications`, payload: { changes: { contacts: [{ name: 'x', email: 'bad', phone: '0300000000' }] } } })).statusCode,
      ).toBe(400);
      const n = json<{ id: string }>(await as(admin.token, { method: 'POST', url: `/api/v1/organizations/${org.id}/change-notifications`, payload: { changes: { nameJa: '改称株式会社' }, note: '社名変更' } }));
      expect(json<{ items: { id: string }[] }>(await as(secViewer, { method: 'GET', url: '/api/v1/change-notifications?status=submitted' })).items.map((x) => x.id)).toEqual([n.id]);
      expect((await as(secViewer, { method: 'POST', url: `/api/v1/change-notifications/${n.id}/accept`, payload: {} })).statusCode).toBe(403);
      expect(json(await as(sec, { method: 'POST', url: `/api/v1/change-notifications/${n.id}/accept`, payload: { note: '受理' } }))).toMatchObject({ status: 'accepted', orgNameJa: '改称株式会社' });
      expect((await as(sec, { method: 'POST', url: `/api/v1/change-notifications/${n.id}/reject`, payload: { reason: 'x' } })).statusCode).toBe(409);
      expect(json(await as(admin.token, { method: 'GET', url: `/api/v1/change-notifications/${n.id}` }))).toMatchObject({ status: 'accepted' });

      const bad = await as(admin.token, { method: 'POST', url: `/api/v1/organizations/${org.id}/class-changes`, payload: { requestedClass: 'type1', reason: 'x' } });
      expect(err(bad).code).toBe('capabilities_required');
      const c = json<{ id: string }>(await as(admin.token, { method: 'POST', url: `/api/v1/organizations/${org.id}/class-changes`, payload: { requestedClass: 'type1', reason: '分析を提供', capabilities: 'マルウェア解析' } }));
      expect((await as(admin.token, { method: 'POST', url: `/api/v1/organizations/${org.id}/class-changes`, payload: { requestedClass: 'type2', reason: 'x', quickFeedbackCommitment: true } })).statusCode).toBe(409);
      expect(json<{ items: unknown[] }>(await as(committee, { method: 'GET', url: '/api/v1/class-changes?status=submitted' })).items).toHaveLength(1);
      expect(json(await as(committee, { method: 'POST', url: `/api/v1/class-changes/${c.id}/reject`, payload: { reason: '実績を積んでから' } }))).toMatchObject({ status: 'rejected' });
      expect((await as(committee, { method: 'POST', url: `/api/v1/class-changes/${c.id}/approve`, payload: {} })).statusCode).toBe(409);
      const c2 = json<{ id: string }>(await as(admin.token, { method: 'POST', url: `/api/v1/organizations/${org.id}/class-changes`, payload: { requestedClass: 'type2', reason: 'x', quickFeedbackCommitment: true } }));
      expect(json(await as(admin.token, { method: 'POST', url: `/api/v1/class-changes/${c2.id}/cancel` }))).toMatchObject({ status: 'cancelled' });
      expect(json(await as(admin.token, { method: 'GET', url: `/api/v1/class-changes/${c2.id}` }))).toMatchObject({ status: 'cancelled' });
    });

    it('suspends, reinstates, expels and withdraws, with the effects on the members', async () => {
      const org = await insertOrg(t.deps, { memberClass: 'type2' });
      const admin = await insertUser(t.deps, org.id);
      expect((await as(sec, { method: 'POST', url: `/api/v1/organizations/${org.id}/suspend`, payload: { reason: '違反' } })).statusCode).toBe(403);
      expect((await as(committee, { method: 'POST', url: `/api/v1/organizations/${org.id}/suspend`, payload: {} })).statusCode).toBe(400);
      expect(json(await as(committee, { method: 'POST', url: `/api/v1/organizations/${org.id}/suspend`, payload: { reason: '守秘義務違反' } }))).toMatchObject({ status: 'suspended' });
      // Still signed in, may read its own standing, may not file requests.
      expect((await as(admin.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
      expect(json(await as(admin.token, { method: 'GET', url: `/api/v1/organizations/${org.id}/membership` }))).toMatchObject({ status: 'suspended', statusReason: '守秘義務違反' });
      const refused = await as(admin.token, { method: 'POST', url: `/api/v1/organizations/${org.id}/change-notifications`, payload: { changes: { nameEn: 'x' } } });
      expect(err(refused).code).toBe('organization_suspended');
      expect((await as(committee, { method: 'POST', url: `/api/v1/organizations/${org.id}/suspend`, payload: { reason: 'again' } })).statusCode).toBe(409);
      expect(json(await as(committee, { method: 'POST', url: `/api/v1/organizations/${org.id}/reinstate`, payload: {} }))).toMatchObject({ status: 'member' });
      expect(json(await as(committee, { method: 'POST', url: `/api/v1/organizations/${org.id}/expel`, payload: { reason: '重大な違反' } }))).toMatchObject({ status: 'expelled', active: false });
      expect((await as(admin.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);

      const other = await insertOrg(t.deps);
      const otherAdmin = await insertUser(t.deps, other.id);
      expect((await as(otherAdmin.token, { method: 'POST', url: `/api/v1/organizations/${org.id}/withdraw`, payload: {} })).statusCode).toBe(404);
      expect(json(await as(otherAdmin.token, { method: 'POST', url: `/api/v1/organizations/${other.id}/withdraw`, payload: { reason: '事業終了' } }))).toMatchObject({ status: 'withdrawn' });
      expect((await as(otherAdmin.token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
    });
  });

  describe('secretariat tools', () => {
    it('manages periods, with bad input refused', async () => {
      const bad = await as(sec, { method: 'POST', url: '/api/v1/periods', payload: { opensAt: '2026-10-01 10:00', closesAt: '2026-11-30T18:00:00+09:00' } });
      expect(err(bad).details).toEqual([expect.objectContaining({ path: 'opensAt', code: 'invalid_format' })]);
      expect((await as(secViewer, { method: 'POST', url: '/api/v1/periods', payload: { opensAt: '2026-10-01T10:00:00+09:00', closesAt: '2026-11-30T18:00:00+09:00' } })).statusCode).toBe(403);
      const created = await as(sec, { method: 'POST', url: '/api/v1/periods', payload: { opensAt: '2026-10-01T10:00:00+09:00', closesAt: '2026-11-30T18:00:00+09:00' } });
      expect(json(created)).toMatchObject({ number: 2, state: 'upcoming' });
      const overlap = await as(sec, { method: 'PATCH', url: '/api/v1/periods/2', payload: { opensAt: '2026-04-15T10:00:00+09:00' } });
      expect(err(overlap)).toEqual({ code: 'period_overlaps', message: '第1期の募集期間と重なっています。' });
      expect(json(await as(sec, { method: 'PATCH', url: '/api/v1/periods/2', payload: { decisionDate: '2026-12-20' } }))).toMatchObject({ decisionDate: '2026-12-20' });
      expect((await as(sec, { method: 'DELETE', url: '/api/v1/periods/2' })).statusCode).toBe(204);
      await submit(30);
      expect(err(await as(sec, { method: 'DELETE', url: '/api/v1/periods/1' })).code).toBe('period_has_applications');
    });

    it('publishes rulebooks, names committee members, and shows statistics', async () => {
      const bad = await as(sec, { method: 'POST', url: '/api/v1/rulebooks', payload: { kind: 'house_rules', bodyMd: 'x', effectiveAt: '2026-04-01T00:00:00+09:00' } });
      expect(bad.statusCode).toBe(400);
      const v1 = json<{ id: string; version: number; titleJa: string }>(
        await as(sec, { method: 'POST', url: '/api/v1/rulebooks', payload: { kind: 'taskforce_rules', bodyMd: '# 規則', effectiveAt: '2026-03-01T00:00:00+09:00' } }),
      );
      expect(v1).toMatchObject({ version: 1, titleJa: '24条タスクフォース規則' });
      await as(sec, { method: 'POST', url: '/api/v1/rulebooks', payload: { kind: 'taskforce_rules', bodyMd: '# 規則 v2', effectiveAt: '2026-06-01T00:00:00+09:00' } });
      const books = json<{ current: { id: string }[]; items: unknown[] }>(await anon({ method: 'GET', url: '/api/v1/rulebooks' }));
      expect(books.current.map((b) => b.id)).toEqual([v1.id]);
      expect(books.items).toHaveLength(2);
      expect(json(await anon({ method: 'GET', url: `/api/v1/rulebooks/${v1.id}` }))).toMatchObject({ bodyMd: '# 規則' });

      const org = await insertOrg(t.deps);
      const user = await insertUser(t.deps, org.id);
      expect((await as(secViewer, { method: 'PUT', url: `/api/v1/users/${user.userId}/committee`, payload: { isCommittee: true } })).statusCode).toBe(403);
      // The secretariat administrator's token user has no task-force rules to accept (its class is none).
      expect(json(await as(sec, { method: 'PUT', url: `/api/v1/users/${user.userId}/committee`, payload: { isCommittee: true } }))).toMatchObject({ isCommittee: true });
      expect((await as(user.token, { method: 'GET', url: '/api/v1/membership/stats' })).statusCode).toBe(200);

      const stats = json<{ classes: string[]; rows: { periodNumber: number; total: number; byClass: Record<string, number> }[]; current: { total: number } }>(
        await as(committee, { method: 'GET', url: '/api/v1/membership/stats' }),
      );
      expect(stats.classes).toEqual(['designated', 'type1', 'type2', 'general']);
      expect(stats.rows).toEqual([expect.objectContaining({ periodNumber: 1, total: 1, byClass: { designated: 0, type1: 0, type2: 0, general: 1 } })]);
      expect((await as(secViewer, { method: 'GET', url: '/api/v1/membership/stats' })).statusCode).toBe(200);
      expect((await anon({ method: 'GET', url: '/api/v1/membership/stats' })).statusCode).toBe(401);
    });
  });
});

describe('private links in logs', () => {
  it('are redacted from logged URLs', () => {
    expect(redactPrivateLinks('/api/v1/applications/status/abc_DEF-123/answer?x=1')).toBe('/api/v1/applications/status/[redacted]/answer?x=1');
    expect(redactPrivateLinks('/api/v1/password-setup/abc')).toBe('/api/v1/password-setup/[redacted]');
    expect(redactPrivateLinks('/api/v1/applications/0190')).toBe('/api/v1/applications/0190');
  });
});
