/** Large-scale attack mode, information requests and the give-and-take ledger over HTTP, on both databases. */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, council, personIn, type Council, type TokenClient } from '../test/council.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { dialects } from '../test/stores.js';

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; code: string; message: string }[] };
}
const HOUR = 3_600_000;

describe.each(dialects)('information requests API on %s', (dialect) => {
  let t: TestApp;
  let c: Council;
  let as: Record<keyof Council, TokenClient>;
  let english: TokenClient;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    c = await council(t.deps);
    as = Object.fromEntries(Object.entries(c).map(([k, p]) => [k, client(t.app, p)])) as Record<keyof Council, TokenClient>;
    english = client(t.app, await personIn(t.deps, c.general.org, { locale: 'en' }));
  });
  afterAll(() => t.close());

  const errorOf = (res: LightMyRequestResponse) => (res.json() as ErrorBody).error;
  function expectError(res: LightMyRequestResponse, status: number, code: string) {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toContain('application/json');
    expect(errorOf(res).code).toBe(code);
  }
  const inHours = (h: number) => new Date(t.deps.now().getTime() + h * HOUR).toISOString();

  async function campaign(): Promise<string> {
    const res = await as.secretariat.request({ method: 'POST', url: '/api/v1/campaigns', payload: { title: 'ランサムウェア大規模攻撃', description: '医療機関を狙った攻撃' } });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: string }).id;
  }
  async function request(campaignId: string, hours = 24): Promise<string> {
    const res = await as.secretariat.request({
      method: 'POST',
      url: `/api/v1/campaigns/${campaignId}/requests`,
      payload: { title: 'VPN 機器の侵害状況', body: '該当機器の有無と侵害の兆候を教えてください。', deadline: inHours(hours) },
    });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { id: string }).id;
  }
  const put = (who: TokenClient, id: string, payload: object, headers = {}) =>
    who.request({ method: 'PUT', url: `/api/v1/info-requests/${id}/answer`, payload, headers });
  const answers = (id: string) => t.deps.store.read.requests.answers.list(id);

  it('walks a campaign: declare, request, outstanding list, answer, status, end', async () => {
    const id = await campaign();
    const active = await as.general.request({ method: 'GET', url: '/api/v1/campaigns?status=active' });
    expect(active.statusCode).toBe(200);
    expect((active.json() as { items: { id: string; status: string }[] }).items).toContainEqual(expect.objectContaining({ id, status: 'active' }));

    const requestId = await request(id);
    const mine = await as.general.request({ method: 'GET', url: '/api/v1/info-requests/mine' });
    expect(mine.statusCode).toBe(200);
    const item = (mine.json() as { items: { id: string; deadline: string; outstanding: boolean; campaignTitle: string }[]; next: string | null }).items.find((x) => x.id === requestId);
    expect(item).toMatchObject({ outstanding: true, campaignTitle: 'ランサムウェア大規模攻撃', deadline: inHours(24) });

    const res = await put(as.general, requestId, { kind: 'answer', text: '該当機器 2 台、侵害の兆候なし', observables: [{ type: 'cve', value: 'cve-2024-3400' }] });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ kind: 'answer', late: false, observables: [{ type: 'cve', value: 'CVE-2024-3400' }] });
    const after = (await as.general.request({ method: 'GET', url: '/api/v1/info-requests/mine' })).json() as { items: { id: string }[] };
    expect(after.items.map((x) => x.id)).not.toContain(requestId);
    const open = (await as.general.request({ method: 'GET', url: '/api/v1/info-requests/mine?state=open' })).json() as { items: { id: string; myAnswer: unknown }[] };
    expect(open.items.find((x) => x.id === requestId)?.myAnswer).toMatchObject({ kind: 'answer' });
    const one = await as.general.request({ method: 'GET', url: `/api/v1/info-requests/${requestId}` });
    expect(one.json()).toMatchObject({ id: requestId, outstanding: false, myAnswer: { text: '該当機器 2 台、侵害の兆候なし' } });

    const refused = await put(as.general2, requestId, { kind: 'refusal', reason: '調査中のため現時点では提供できない' });
    expect(refused.statusCode, refused.body).toBe(200);
    const status = await as.secretariat.request({ method: 'GET', url: `/api/v1/info-requests/${requestId}/status` });
    expect(status.statusCode, status.body).toBe(200);
    const s = status.json() as { counts: Record<string, number>; responses: { orgId: string; reason: string | null }[]; missing: { orgId: string }[] };
    expect(s.counts).toMatchObject({ answered: 1, refused: 1 });
    expect(s.responses).toContainEqual(expect.objectContaining({ orgId: c.general2.org.id, reason: '調査中のため現時点では提供できない' }));
    expect(s.missing.map((m) => m.orgId)).toContain(c.committee.org.id);
    const list = await as.secretariat.request({ method: 'GET', url: `/api/v1/info-requests?campaignId=${id}` });
    expect((list.json() as { items: { counts: Record<string, number> }[] }).items[0]?.counts).toMatchObject({ answered: 1, refused: 1 });

    const ended = await as.secretariat.request({ method: 'POST', url: `/api/v1/campaigns/${id}/end`, payload: { note: '収束を確認' } });
    expect(ended.statusCode, ended.body).toBe(200);
    expect(ended.json()).toMatchObject({ status: 'ended', openRequests: 0 });
    expectError(await put(as.committee, requestId, { kind: 'answer', text: '遅れて提供' }), 409, 'request_closed');
    expectError(await as.secretariat.request({ method: 'POST', url: `/api/v1/campaigns/${id}/requests`, payload: { title: 't', body: 'b', deadline: inHours(1) } }), 409, 'campaign_not_active');
    expectError(await as.secretariat.request({ method: 'POST', url: `/api/v1/campaigns/${id}/end`, payload: {} }), 409, 'campaign_already_ended');
  });

  it('refuses a refusal without its reason, in Japanese by default and English for an English user, changing nothing', async () => {
    const requestId = await request(await campaign());
    const ja = await put(as.general, requestId, { kind: 'refusal' });
    expectError(ja, 400, 'refusal_reason_required');
    expect(errorOf(ja).message).toBe('情報提供に応じない場合は、その正当な理由を記入してください。');
    const en = await put(english, requestId, { kind: 'refusal', reason: '   ' });
    expectError(en, 400, 'refusal_reason_required');
    expect(errorOf(en).message).toBe('To decline to provide information, give its justified reason.');
    const noKind = await put(as.general, requestId, { text: 'x' });
    expectError(noKind, 400, 'invalid_input');
    expect(errorOf(noKind).details).toContainEqual(expect.objectContaining({ path: 'kind' }));
    expectError(await put(as.general, requestId, { kind: 'answer', text: 'x', observables: [{ type: 'ipv4', value: '10.0.0.999' }] }), 400, 'invalid_observable');
    expect(await answers(requestId)).toEqual([]);
    expect(await t.deps.store.read.requests.ledger.list({ orgId: c.general.org.id, limit: 1000 })).not.toContainEqual(expect.objectContaining({ refId: requestId }));
  });

  it('refuses bad requests from the secretariat with clear messages', async () => {
    const id = await campaign();
    const before = await t.deps.store.read.requests.infoRequests.list({ limit: 1000 });
    const past = await as.secretariat.request({ method: 'POST', url: `/api/v1/campaigns/${id}/requests`, payload: { title: 't', body: 'b', deadline: inHours(-1) } });
    expectError(past, 400, 'request_deadline_in_past');
    expect(errorOf(past).message).toBe('回答期限は現在より後の日時にしてください。');
    const notDate = await as.secretariat.request({ method: 'POST', url: `/api/v1/campaigns/${id}/requests`, payload: { title: 't', body: 'b', deadline: '来週' } });
    expectError(notDate, 400, 'invalid_input');
    expect(errorOf(notDate).details).toContainEqual(expect.objectContaining({ path: 'deadline' }));
    expectError(await as.secretariat.request({ method: 'POST', url: `/api/v1/campaigns/${id}/requests`, payload: { title: 't', body: 'b', deadline: inHours(1), audience: 'type1' } }), 400, 'invalid_input');
    expect(await t.deps.store.read.requests.infoRequests.list({ limit: 1000 })).toEqual(before);
    expectError(await as.secretariat.request({ method: 'POST', url: '/api/v1/campaigns', payload: { title: '', description: 'd' } }), 400, 'invalid_input');
  });

  it('accepts a first late answer marked late, refuses a change after the deadline with the deadline in Japan time', async () => {
    const requestId = await request(await campaign(), 1);
    expect((await put(as.general, requestId, { kind: 'answer', text: '期限内' })).statusCode).toBe(200);
    t.deps.clock.advance(2 * HOUR);
    const late = await put(as.general2, requestId, { kind: 'answer', text: '期限後' });
    expect(late.statusCode, late.body).toBe(200);
    expect(late.json()).toMatchObject({ late: true });
    const change = await put(as.general, requestId, { kind: 'answer', text: '変更' });
    expectError(change, 409, 'request_deadline_passed');
    expect(errorOf(change).message).toMatch(/^回答期限（\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（日本時間））を過ぎたため/);
    const changeEn = await put(english, requestId, { kind: 'answer', text: 'change' });
    expect(errorOf(changeEn).message).toMatch(/^The deadline \(\d{1,2} \w{3} \d{4}, \d{2}:\d{2} JST\) has passed/);
    expect((await answers(requestId)).map((a) => a.text).sort()).toEqual(['期限内', '期限後']);
  });

  it('enforces who may do what', async () => {
    const id = await campaign();
    const requestId = await request(id);
    expectError(await as.general.request({ method: 'POST', url: '/api/v1/campaigns', payload: { title: 't', description: 'd' } }), 403, 'forbidden');
    expectError(await as.type1.request({ method: 'POST', url: `/api/v1/campaigns/${id}/requests`, payload: { title: 't', body: 'b', deadline: inHours(1) } }), 403, 'forbidden');
    expectError(await as.type2.request({ method: 'GET', url: `/api/v1/info-requests/${requestId}` }), 404, 'not_found');
    expectError(await put(as.type2, requestId, { kind: 'answer', text: 'x' }), 404, 'not_found');
    expectError(await as.general.request({ method: 'GET', url: `/api/v1/info-requests/${requestId}/status` }), 403, 'forbidden');
    expect((await as.designated.request({ method: 'GET', url: `/api/v1/info-requests/${requestId}/status` })).statusCode).toBe(200);
    expectError(await as.general.request({ method: 'GET', url: '/api/v1/info-requests' }), 403, 'forbidden');
    const anon = await t.app.inject({ method: 'GET', url: '/api/v1/info-requests/mine', headers: { 'accept-language': 'en' } });
    expectError(anon, 401, 'unauthenticated');
    expect(errorOf(anon).message).toBe('Please sign in.');
    expectError(await t.app.inject({ method: 'GET', url: '/api/v1/campaigns' }), 401, 'unauthenticated');
    expectError(await as.general.request({ method: 'GET', url: '/api/v1/info-requests/mine?cursor=%25%25' }), 400, 'invalid_input');
    // A read-only token reads but does not answer.
    const reader = await personIn(t.deps, c.general2.org);
    await t.deps.store.tx(async (r) => {
      for (const tok of await r.tokens.listByUser(reader.userId)) await r.tokens.update(tok.id, { readOnly: true });
    });
    const ro = client(t.app, reader);
    expect((await ro.request({ method: 'GET', url: `/api/v1/info-requests/${requestId}` })).statusCode).toBe(200);
    expectError(await put(ro, requestId, { kind: 'answer', text: 'x' }), 403, 'read_only_token');
    expect(await answers(requestId)).toEqual([]);
  });

  describe('give and take', () => {
    it('an organisation sees its own ledger; the committee and the secretariat see every one and the ranking', async () => {
      const requestId = await request(await campaign());
      await put(as.committee, requestId, { kind: 'answer', text: '提供' });
      const mine = await as.committee.request({ method: 'GET', url: '/api/v1/ledger/mine?limit=1' });
      expect(mine.statusCode, mine.body).toBe(200);
      const body = mine.json() as { orgId: string; totals: Record<string, number>; score: number; items: { kind: string; itemId: string }[]; next: string | null };
      expect(body.orgId).toBe(c.committee.org.id);
      expect(body.totals.request_answered).toBeGreaterThanOrEqual(1);
      expect(body.items[0]).toMatchObject({ kind: 'request_answered', itemId: requestId });
      expect(body.score).toBeGreaterThanOrEqual(3);

      expectError(await as.general.request({ method: 'GET', url: `/api/v1/ledger/orgs/${c.committee.org.id}` }), 404, 'not_found');
      for (const who of [as.committee, as.secretariat]) {
        const other = await who.request({ method: 'GET', url: `/api/v1/ledger/orgs/${c.general2.org.id}` });
        expect(other.statusCode, other.body).toBe(200);
        const ranking = await who.request({ method: 'GET', url: '/api/v1/ledger/ranking' });
        expect(ranking.statusCode, ranking.body).toBe(200);
        const r = ranking.json() as { weights: Record<string, number>; items: { orgId: string; rank: number; score: number; missedRequests: number }[] };
        expect(r.weights).toMatchObject({ original: 5, request_answered: 3, request_refused: 0 });
        expect(r.items.map((i) => i.orgId)).toContain(c.committee.org.id);
      }
      for (const who of [as.general, as.type1, as.designated]) expectError(await who.request({ method: 'GET', url: '/api/v1/ledger/ranking' }), 403, 'forbidden');
      expectError(await t.app.inject({ method: 'GET', url: '/api/v1/ledger/mine' }), 401, 'unauthenticated');

      const bad = await as.secretariat.request({ method: 'GET', url: '/api/v1/ledger/ranking?from=2026-05-01T00:00:00Z&to=2026-04-01T00:00:00Z' });
      expectError(bad, 400, 'ledger_period_invalid');
      expect(errorOf(bad).message).toBe('期間の指定が正しくありません（開始は終了より前にしてください）。');
      expectError(await as.secretariat.request({ method: 'GET', url: '/api/v1/ledger/ranking?from=yesterday' }), 400, 'invalid_input');
    });
  });
});
