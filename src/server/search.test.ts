/** The search and look-up API over HTTP: the exact interface, paging, errors in both languages, the policy. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { council, client, type Council, type TokenClient } from '../test/council.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { seedSearchItems, type SearchItems } from '../test/search-items.js';
import { dialects } from '../test/stores.js';

describe.each(dialects)('search API on %s', (dialect) => {
  let t: TestApp;
  let c: Council;
  let items: SearchItems;
  const as = {} as Record<keyof Council, TokenClient>;

  beforeAll(async () => {
    t = await createTestApp(dialect);
    c = await council(t.deps);
    items = await seedSearchItems(t.deps, c);
    for (const [k, p] of Object.entries(c)) as[k as keyof Council] = client(t.app, p);
  });
  afterAll(() => t.close());

  const get = (who: keyof Council, query: Record<string, string>) => as[who].request({ method: 'GET', url: '/api/v1/search', query });

  it('answers {items: [{id, kind, title, snippet}], next}; an advisory id opens in /api/v1/advisories', async () => {
    const res = await get('type1', { q: 'エモテット', kind: 'advisory' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['counts', 'items', 'next']);
    expect(body.next).toBeNull();
    expect(body.items).toEqual([
      {
        id: items.advisory,
        kind: 'advisory',
        title: 'エモテット感染拡大に関する注意喚起',
        snippet: '標的型メールによる<mark>エモテット</mark>の感染が拡大しています。 返信を装うメールのマクロから感染します。 マクロを無効にし、不審な添付ファイルを開かないでください。',
        stage: 'members',
        tlp: 'green',
        createdAt: expect.any(String),
        path: `/advisories/${items.advisory}`,
      },
    ]);
    expect((await as.type1.request({ method: 'GET', url: `/api/v1/advisories/${items.advisory}` })).statusCode).toBe(200);
    expect(body.counts).toEqual({ report: 2, advisory: 1, comment: 1, consultation: 1, rulebook: 0 });
  });

  it('pages with `cursor` until `next` is null', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get('type1', { q: '標的型', limit: '2', ...(cursor ? { cursor } : {}) });
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: { kind: string; id: string }[]; next: string | null };
      seen.push(...body.items.map((i) => `${i.kind}:${i.id}`));
      cursor = body.next;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect(seen).toContain(`comment:${items.analysis}`);
  });

  it('shows only what the caller may see, counts included', async () => {
    const res = await get('general2', { q: '未公開' });
    expect(res.json()).toEqual({ items: [], next: null, counts: { report: 0, advisory: 0, comment: 0, consultation: 0, rulebook: 0 } });
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/search', query: { q: '標的型' } });
    expect(anonymous.statusCode).toBe(200);
    expect(anonymous.json().items.map((i: { kind: string }) => i.kind)).toEqual(['rulebook']);
  });

  it('refuses bad input with a 400 in the caller’s language', async () => {
    const short = await get('type1', { q: '標' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error).toMatchObject({ code: 'search_query_too_short', message: '検索語は2文字以上で入力してください。' });
    // A signed-in user reads their own language; others the browser's.
    const en = await t.app.inject({ method: 'GET', url: '/api/v1/search', query: { q: 'a' }, headers: { 'accept-language': 'en' } });
    expect(en.json().error.message).toBe('Enter a search term of at least two characters.');
    const bad: Record<string, string>[] = [{ q: '' }, { q: 'emotet', kind: 'everything' }, { q: 'emotet', limit: '1000' }, { q: 'emotet', from: '2026-13-01' }, { q: 'emotet', cursor: '!!' }];
    for (const query of bad) {
      expect((await get('type1', query)).statusCode, JSON.stringify(query)).toBe(400);
    }
  });

  it('looks observables up in one request, one value per line', async () => {
    const res = await as.type2.request({
      method: 'POST',
      url: '/api/v1/observables/lookup',
      payload: { values: '198.51.100[.]7\r\nhxxp://invoice-portal[.]example/dl\n\nnot-an-observable' },
    });
    expect(res.statusCode).toBe(200);
    const { results } = res.json();
    expect(results).toHaveLength(3);
    // Type 2 sees the advisory holding the address, not the general member's report in the Type 1 queue.
    expect(results[0]).toMatchObject({ input: '198.51.100[.]7', type: 'ipv4', value: '198.51.100.7', total: 1, items: [{ kind: 'advisory', id: items.advisory }] });
    expect(results[1]).toMatchObject({ type: 'url', value: 'http://invoice-portal.example/dl', total: 0, items: [] });
    expect(results[2]).toEqual({ input: 'not-an-observable', type: null, value: null, total: 0, firstSeen: null, lastSeen: null, items: [] });

    const many = await t.app.inject({
      method: 'POST',
      url: '/api/v1/observables/lookup',
      payload: { values: Array.from({ length: 1001 }, (_, i) => `192.0.2.${i % 256}-${i}`).join('\n') },
      headers: { 'accept-language': 'en' },
    });
    expect(many.statusCode).toBe(400);
    expect(many.json().error.message).toBe('At most 1000 lines can be looked up at once.');
    expect((await as.type2.request({ method: 'POST', url: '/api/v1/observables/lookup', payload: {} })).statusCode).toBe(400);
  });

  it('is in the OpenAPI document', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/v1/search', '/api/v1/observables/lookup']));
  });
});
