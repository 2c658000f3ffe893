/** Full-text search and observable look-up on both databases: Japanese substrings, ranking, paging, the policy. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, type Actor } from '../actor.js';
import type { Deps } from '../context.js';
import { canRead } from '../policy.js';
import { reviseAdvisory } from '../sharing/advisories.js';
import { AdvisoryRevise } from '../sharing/model.js';
import { bootstrap } from '../usecases/bootstrap.js';
import { council, type Council } from '../../test/council.js';
import { seedSearchItems, type SearchItems } from '../../test/search-items.js';
import { createTestStore, dialects, testDeps, type TestClock, type TestStore } from '../../test/stores.js';
import { lookupObservables } from './lookup.js';
import { SearchQuery, type SearchItem, type SearchPage } from './model.js';
import { search } from './search.js';

type Who = keyof Council | 'anonymous';

describe.each(dialects)('search on %s', (dialect) => {
  let db: TestStore;
  let deps: Deps & { clock: TestClock };
  let c: Council;
  let items: SearchItems;
  const actors = {} as Record<Who, Actor>;

  beforeAll(async () => {
    db = await createTestStore(dialect);
    deps = testDeps(db.store);
    await bootstrap(deps, 'correct horse battery staple');
    c = await council(deps);
    items = await seedSearchItems(deps, c);
    for (const [k, p] of Object.entries(c)) actors[k as Who] = await p.actor();
    actors.anonymous = anonymous;
  });
  afterAll(() => db.cleanup());

  const find = (who: Who, q: Partial<SearchQuery> & { q: string }): Promise<SearchPage> => search(deps, actors[who], SearchQuery.parse(q), 'ja');
  /** Every page, following `next`. */
  async function all(who: Who, q: Partial<SearchQuery> & { q: string }): Promise<SearchItem[]> {
    const out: SearchItem[] = [];
    let cursor: string | undefined;
    do {
      const page = await find(who, { ...q, ...(cursor ? { cursor } : {}) });
      out.push(...page.items);
      cursor = page.next ?? undefined;
    } while (cursor);
    return out;
  }
  const ids = async (who: Who, q: Partial<SearchQuery> & { q: string }) => (await all(who, q)).map((i) => `${i.kind}:${i.id}`).sort();

  it('finds Japanese words inside longer words, in titles, texts, comments, consultations and rulebooks', async () => {
    const hits = await ids('type1', { q: '標的型' });
    expect(hits).toEqual(
      [
        `report:${items.phishing}`,
        `advisory:${items.advisory}`,
        `advisory:${items.draft}`,
        `comment:${items.analysis}`,
        `rulebook:${items.rulebook}`,
      ].sort(),
    );
    // エモテット inside 「エモテットに感染」「エモテットの」: reports, countermeasure information, the analysis, the consultation.
    expect(await ids('type1', { q: 'エモテット' })).toEqual(
      [
        `report:${items.phishing}`,
        `report:${items.markup}`,
        `advisory:${items.advisory}`,
        `comment:${items.analysis}`,
        `consultation:${items.consultation}`,
      ].sort(),
    );
  });

  it('matches English without regard to case', async () => {
    expect(await ids('type2', { q: 'emotet' })).toEqual([`report:${items.emotetEn}`]);
    expect(await ids('type2', { q: 'REPLY-CHAIN' })).toEqual([`report:${items.emotetEn}`]);
  });

  it('answers two-character words by scanning, alone or beside longer words', async () => {
    // 標的 (2 characters) finds everything 標的型 finds, and more texts with 標的 in them would come too.
    expect(await ids('type1', { q: '標的' })).toEqual(await ids('type1', { q: '標的型' }));
    expect(await ids('type1', { q: '経理 エモテット' })).toEqual([`report:${items.phishing}`, `consultation:${items.consultation}`].sort());
    await expect(find('type1', { q: '標' })).rejects.toMatchObject({ status: 400, code: 'search_query_too_short' });
  });

  it('requires every word, takes quoted phrases whole, and treats LIKE wildcards as text', async () => {
    expect(await ids('type1', { q: '標的型 経理部' })).toEqual([`report:${items.phishing}`]);
    expect(await ids('type2', { q: '"reply-chain mail"' })).toEqual([`report:${items.emotetEn}`]);
    expect(await ids('type2', { q: '"mail reply-chain"' })).toEqual([]);
    expect(await ids('type1', { q: '%%%' })).toEqual([]);
    expect(await ids('type1', { q: '標的_' })).toEqual([]);
  });

  it('ranks title hits first, then by how often the words occur, newest first among equals', async () => {
    const hits = await all('type1', { q: 'エモテット' });
    // The advisory has it in its title (5) and twice in the text.
    expect(hits[0]).toMatchObject({ kind: 'advisory', id: items.advisory });
    const page = await find('type1', { q: 'エモテット', limit: 2 });
    expect(page.items.map((i) => i.id)).toEqual(hits.slice(0, 2).map((i) => i.id));
  });

  it('pages by key: one at a time gives the same list, no repeats, and a foreign cursor is refused', async () => {
    const whole = (await find('secretariat', { q: 'エモテット', limit: 100 })).items.map((i) => i.id);
    const oneByOne = (await all('secretariat', { q: 'エモテット', limit: 1 })).map((i) => i.id);
    expect(oneByOne).toEqual(whole);
    expect(new Set(oneByOne).size).toBe(oneByOne.length);
    await expect(find('type1', { q: 'エモテット', cursor: Buffer.from('drop table').toString('base64url') })).rejects.toMatchObject({ status: 400 });
  });

  it('filters by kind, stage, TLP, date and sector', async () => {
    expect(await ids('type1', { q: '標的型', kind: 'advisory' })).toEqual([`advisory:${items.advisory}`, `advisory:${items.draft}`].sort());
    expect(await ids('type1', { q: '標的型', stage: 'draft' })).toEqual([`advisory:${items.draft}`]);
    expect(await ids('type1', { q: '標的型', tlp: 'amber' })).toEqual(
      [`report:${items.phishing}`, `advisory:${items.draft}`, `comment:${items.analysis}`].sort(),
    );
    expect(await ids('type1', { q: '標的型', sector: 'electricity' })).toEqual([`advisory:${items.advisory}`]);
    expect(await ids('type1', { q: '標的型', sector: 'finance' })).toEqual([]);
    // The items were written an hour apart from 2026-04-01 09:00 JST: the first day holds all of them.
    expect(await ids('type1', { q: '標的型', from: '2026-04-01', to: '2026-04-01' })).toEqual(await ids('type1', { q: '標的型' }));
    expect(await ids('type1', { q: '標的型', from: '2026-04-02' })).toEqual([]);
    expect(await ids('type1', { q: '標的型', to: '2026-03-31' })).toEqual([]);
    await expect(find('type1', { q: '標的型', from: '2026-04-02', to: '2026-04-01' })).rejects.toMatchObject({ code: 'search_dates_reversed' });
  });

  it('counts only what the reader may see, per kind, on the first page', async () => {
    const mine = await find('type1', { q: 'エモテット' });
    expect(mine.counts).toEqual({ report: 2, advisory: 1, comment: 1, consultation: 1, rulebook: 0 });
    expect((await find('type1', { q: 'エモテット', cursor: mine.next ?? encodeNothing() })).counts).toBeUndefined();
    // A general member: the released advisory, the widened question's summary, its own… nothing of the Type 1 thread.
    const general = await find('general2', { q: 'エモテット' });
    expect(general.items.map((i) => `${i.kind}:${i.id}`).sort()).toEqual(
      [`advisory:${items.advisory}`, `report:${items.markup}`, `consultation:${items.consultation}`].sort(),
    );
    expect(general.counts).toEqual({ report: 1, advisory: 1, comment: 0, consultation: 1, rulebook: 0 });
  });

  it('never shows a hidden item, not even in a count', async () => {
    const nothing = { report: 0, advisory: 0, comment: 0, consultation: 0, rulebook: 0 };
    // The draft: its organisation and the designated corporation only.
    for (const who of ['general', 'general2', 'type2', 'committee', 'secretariat', 'anonymous'] as const) {
      expect(await find(who, { q: '未公開' }), who).toEqual({ items: [], next: null, counts: nothing });
    }
    expect((await find('designated', { q: '未公開' })).items.map((i) => i.id)).toEqual([items.draft]);
    // TLP:RED: its organisation and the one person named — not the secretariat, not the rest of the Type 1 group.
    for (const who of ['secretariat', 'type2', 'general'] as const) expect((await find(who, { q: 'ランサムウェア' })).counts, who).toEqual(nothing);
    expect((await find('designated', { q: 'ランサムウェア' })).items.map((i) => i.id)).toEqual([items.red]);
    // The analysis thread is the Type 1 group's: the provider sees the reply to it, not the analysis.
    expect(await ids('general', { q: '分析メモ' })).toEqual([]);
    expect(await ids('general', { q: '提供者への返信' })).toEqual([`comment:${items.reply}`]);
    // Members asked about a consultation see its summary, never the consulter's own words.
    expect(await ids('general2', { q: '経理用パソコン' })).toEqual([]);
    expect(await ids('general2', { q: '中小企業' })).toEqual([`consultation:${items.consultation}`]);
    expect((await find('general2', { q: '中小企業' })).items[0]?.path).toBe(`/consultations/questions/${items.consultation}`);
    expect((await find('type1', { q: '中小企業' })).items[0]?.path).toBe(`/consultations/${items.consultation}`);
  });

  it('agrees with the policy item by item, for everyone', async () => {
    const r = deps.store.read;
    for (const who of Object.keys(actors) as Who[]) {
      for (const hit of await all(who, { q: 'エモテット' })) {
        if (hit.kind !== 'report' && hit.kind !== 'advisory') continue;
        const item = hit.kind === 'report' ? await r.sharing.reports.byId(hit.id) : await r.sharing.advisories.byId(hit.id);
        if (!item) throw new Error(`${hit.kind} ${hit.id} is not stored`);
        const facts = { stage: item.stage, tlp: item.tlp, ownerOrgId: item.orgId, recipientUserIds: await r.sharing.recipients.list(hit.id) };
        expect(canRead(actors[who], facts), `${who} ${hit.kind} ${hit.id}`).toBe(true);
      }
    }
  });

  it('marks hits in escaped snippets', async () => {
    const [hit] = (await find('general2', { q: 'エモテット', kind: 'report' })).items;
    expect(hit?.title).toBe('<img src=x onerror=alert(1)> 不審なスクリプト');
    expect(hit?.snippet).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; を含む<mark>エモテット</mark>関連のページ &amp; &quot;引用符&quot;');
    const [en] = (await find('type2', { q: 'emotet' })).items;
    expect(en?.snippet).toBe('<mark>EMOTET</mark> is spreading again through reply-chain mail. Several substations received macros.');
  });

  it('keeps the index in step: a new version replaces the old text', async () => {
    const type1 = actors.type1;
    await reviseAdvisory(
      deps,
      type1,
      items.advisory,
      AdvisoryRevise.parse({ title: 'エモテット感染拡大に関する注意喚起（第2版）', summary: 'QakBot への置き換えが進んでいます。', threat: '同上。', actions: '同上。', sectors: ['electricity'], indicators: [{ type: 'ipv4', value: '198.51.100.7' }] }),
      { ip: null },
    );
    expect(await ids('type1', { q: 'qakbot' })).toEqual([`advisory:${items.advisory}`]);
    expect(await ids('type1', { q: '標的型メール' })).toEqual([]);
    expect((await find('type1', { q: 'qakbot' })).items[0]?.title).toBe('エモテット感染拡大に関する注意喚起（第2版）');
  });

  describe('observable look-up', () => {
    const lines = ['198.51.100[.]7', 'hxxp://invoice-portal[.]example/dl', 'これは観測値ではない', 'CVE-2024-0001', '198.51.100.7'].join('\n');

    it('normalises defanged values and lists every visible holder with first and last seen', async () => {
      const { results } = await lookupObservables(deps, actors.type1, { values: lines });
      expect(results.map((x) => [x.input, x.type, x.value, x.total])).toEqual([
        ['198.51.100[.]7', 'ipv4', '198.51.100.7', 2],
        ['hxxp://invoice-portal[.]example/dl', 'url', 'http://invoice-portal.example/dl', 1],
        ['これは観測値ではない', null, null, 0],
        ['CVE-2024-0001', 'cve', 'CVE-2024-0001', 0],
        ['198.51.100.7', 'ipv4', '198.51.100.7', 2],
      ]);
      const ip = results[0];
      expect(ip?.items.map((i) => `${i.kind}:${i.id}`).sort()).toEqual([`report:${items.phishing}`, `advisory:${items.advisory}`].sort());
      const seen = ip?.items.map((i) => i.seenAt).sort() ?? [];
      expect([ip?.firstSeen, ip?.lastSeen]).toEqual([seen[0], seen.at(-1)]);
      expect(seen[0] !== seen.at(-1)).toBe(true);
    });

    it('shows and counts only visible holders', async () => {
      const { results } = await lookupObservables(deps, actors.general2, { values: lines });
      expect(results[0]).toMatchObject({ total: 1, items: [{ kind: 'advisory', id: items.advisory, stage: 'members', path: `/advisories/${items.advisory}` }] });
      expect(results[1]).toMatchObject({ type: 'url', total: 0, firstSeen: null, lastSeen: null, items: [] });
    });

    it('refuses more lines than one look-up takes', async () => {
      const many = Array.from({ length: 1001 }, (_, i) => `10.0.${Math.floor(i / 256)}.${i % 256}`).join('\n');
      await expect(lookupObservables(deps, actors.type1, { values: many })).rejects.toMatchObject({ status: 400, code: 'lookup_too_many' });
    });
  });
});

/** A well-formed cursor for a page that does not exist (the last page has none). */
const encodeNothing = () => Buffer.from(`0:${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`).toString('base64url');
