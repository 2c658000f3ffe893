/**
 * Dashboards and the home page over HTTP, on both databases: who may open which dashboard, the CSV downloads (BOM,
 * headers in the reader's language, a clear 400 for a chart or a period that does not exist), and "since your
 * previous visit" for a browser session.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { client, council, personIn, type Council, type TokenClient } from '../test/council.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../test/http.js';
import { dialects } from '../test/stores.js';

const HOUR = 3_600_000;

describe.each(dialects)('dashboards API on %s', (dialect) => {
  let t: TestApp;
  let c: Council;
  let as: Record<keyof Council, TokenClient>;
  let english: TokenClient;
  let advisoryId = '';

  beforeAll(async () => {
    t = await createTestApp(dialect);
    c = await council(t.deps);
    as = Object.fromEntries(Object.entries(c).map(([k, p]) => [k, client(t.app, p)])) as Record<keyof Council, TokenClient>;
    english = client(t.app, await personIn(t.deps, c.type1.org, { locale: 'en', totp: true }));
    // An amber item released to Type 2: the Type 1 group and Type 2 see it, a general member does not.
    const created = await as.type1.request({
      method: 'POST',
      url: '/api/v1/advisories',
      payload: { title: 'VPN装置の脆弱性の悪用', summary: '概要', threat: '脅威', actions: '対策', tlp: 'amber' },
    });
    expect(created.statusCode, created.body).toBe(201);
    advisoryId = (created.json() as { id: string }).id;
    for (const to of ['type1', 'type2']) {
      const released = await as.type1.request({ method: 'POST', url: `/api/v1/advisories/${advisoryId}/releases`, payload: { to, feedbackHours: 24 } });
      expect(released.statusCode, released.body).toBe(200);
    }
    t.deps.clock.advance(HOUR);
  });
  afterAll(() => t.close());

  const get = (who: TokenClient, url: string) => who.request({ method: 'GET', url });
  const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; message: string } }).error;

  it('each dashboard for those who may see it; the home page for everyone signed in', async () => {
    const open = async (who: TokenClient, url: string) => (await get(who, url)).statusCode;
    expect(await open(as.type1, '/api/v1/dashboards/type1')).toBe(200);
    expect(await open(as.secretariat, '/api/v1/dashboards/type1')).toBe(200);
    expect(await open(as.type2, '/api/v1/dashboards/type1')).toBe(403);
    expect(await open(as.general, '/api/v1/dashboards/type1')).toBe(403);
    expect(await open(as.committee, '/api/v1/dashboards/council')).toBe(200);
    expect(await open(as.secretariat, '/api/v1/dashboards/council')).toBe(200);
    expect(await open(as.type1, '/api/v1/dashboards/council')).toBe(403);
    for (const who of [as.general, as.type2, as.type1, as.secretariat]) {
      expect(await open(who, '/api/v1/dashboards/organization')).toBe(200);
      expect(await open(who, '/api/v1/home')).toBe(200);
    }
    for (const url of ['/api/v1/home', '/api/v1/dashboards/organization', '/api/v1/dashboards/type1/stages.csv']) {
      const anonymous = await t.app.inject({ method: 'GET', url });
      expect(anonymous.statusCode).toBe(401);
      expect(errorOf(anonymous).code).toBe('unauthenticated');
    }
  });

  it('counts only what the asker may read', async () => {
    const available = async (who: TokenClient) =>
      ((await get(who, '/api/v1/dashboards/organization')).json() as { available: { stage: string; total: number }[] }).available.find((s) => s.stage === 'type2')?.total;
    expect(await available(as.type2)).toBe(1);
    expect(await available(as.general)).toBe(0);
    const due = (await get(as.type2, '/api/v1/home')).json() as { due: { kind: string; id: string; overdue: boolean }[] };
    expect(due.due).toEqual([expect.objectContaining({ kind: 'feedback', id: advisoryId, overdue: false })]);
    expect(((await get(as.general, '/api/v1/home')).json() as { due: unknown[] }).due).toEqual([]);
  });

  it('CSV of a chart: UTF-8 with a BOM, a file name, headers in the user’s language or the one asked for', async () => {
    const ja = await get(as.type1, '/api/v1/dashboards/type1/stages.csv');
    expect(ja.statusCode, ja.body).toBe(200);
    expect(ja.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(ja.headers['content-disposition']).toBe('attachment; filename="type1-stages.csv"');
    expect(ja.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(ja.body.split('\r\n').slice(0, 4)).toEqual([
      '\uFEFF公開段階,TLP:CLEAR,TLP:GREEN,TLP:AMBER,TLP:AMBER+STRICT,TLP:RED,合計',
      '下書き,0,0,0,0,0,0',
      '第一類構成員G,0,0,0,0,0,0',
      '第二類構成員（早期共有）,0,0,1,0,0,1',
    ]);
    expect((await get(english, '/api/v1/dashboards/type1/stages.csv')).body.split('\r\n')[3]).toBe('Type 2 members (early),0,0,1,0,0,1');
    expect((await get(as.type1, '/api/v1/dashboards/type1/releases.csv?lang=en')).body).toContain('VPN装置の脆弱性の悪用,1,TLP:AMBER,');

    const council = await get(as.committee, '/api/v1/dashboards/council/members.csv');
    expect(council.statusCode).toBe(200);
    expect(council.body.split('\r\n')[0]).toContain('募集期間,基準日,合計');
    expect((await get(as.general, '/api/v1/dashboards/organization/available.csv?lang=en')).body.split('\r\n')[3]).toBe('Type 2 members (early),0,0,0,0,0,0');
    // The same refusal as the dashboard itself.
    expect((await get(as.general, '/api/v1/dashboards/type1/stages.csv')).statusCode).toBe(403);
    // Every download is on the record.
    const downloads = await t.deps.store.read.audit.list({ action: 'dashboard.csv', limit: 100 });
    expect(downloads).toHaveLength(5);
    expect(downloads.at(-1)).toMatchObject({ actorUserId: c.type1.userId, detail: { board: 'type1', chart: 'stages' } });
  });

  it('a chart or a period that does not exist is a 400 in the user’s language', async () => {
    const unknown = await get(as.type1, '/api/v1/dashboards/type1/nothing.csv');
    expect(unknown.statusCode).toBe(400);
    expect(errorOf(unknown)).toMatchObject({ code: 'invalid_input', message: '入力内容に誤りがあります。' });
    const reversed = await get(english, '/api/v1/dashboards/type1?from=2026-05-01T00:00:00%2B09:00&to=2026-04-01T00:00:00%2B09:00');
    expect(reversed.statusCode).toBe(400);
    expect(errorOf(reversed)).toEqual({ code: 'dashboard_period_invalid', message: 'The period is not valid (the start must be before the end).' });
    expect((await get(as.committee, '/api/v1/dashboards/council?from=yesterday')).statusCode).toBe(400);
  });

  it('home: new items since the previous sign-in of a browser session', async () => {
    const first = await t.signIn('admin', ADMIN_PASSWORD);
    const firstAt = t.deps.now().toISOString();
    const once = (await first.request({ method: 'GET', url: '/api/v1/home' })).json() as { since: string; sinceLastVisit: boolean };
    expect(once.sinceLastVisit).toBe(false);
    t.deps.clock.advance(2 * HOUR);
    const second = await t.signIn('admin', ADMIN_PASSWORD);
    const again = (await second.request({ method: 'GET', url: '/api/v1/home' })).json() as { since: string; sinceLastVisit: boolean; newItems: { total: number } };
    expect(again).toMatchObject({ since: firstAt, sinceLastVisit: true });
  });
});
