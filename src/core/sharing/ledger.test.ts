/** Give and take: the ledger is written by the use cases themselves; who sees whose ledger; the ranking. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, type Actor, type UserActor } from '../actor.js';
import type { Deps } from '../context.js';
import { bootstrap } from '../usecases/bootstrap.js';
import { createTestStore, dialects, testDeps, type TestClock, type TestStore } from '../../test/stores.js';
import { council, person, personIn, type Council, type Person } from '../../test/council.js';
import { createAdvisory, releaseAdvisory } from './advisories.js';
import { submitFeedback } from './feedback.js';
import { LEDGER_WEIGHTS, ledgerRanking, orgLedger, recordLedger } from './ledger.js';
import { AdvisoryCreate, ReportCreate, ReleaseInput } from './model.js';
import { addComment, corroborate, createReport } from './reports.js';
import { answerRequest, declareCampaign, issueRequest } from './requests.js';

const meta = { ip: null };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(dialects)('give and take on %s', (dialect) => {
  let db: TestStore;
  let deps: Deps & { clock: TestClock };
  let c: Council;
  const as: Record<string, UserActor> = {};

  beforeAll(async () => {
    db = await createTestStore(dialect);
    deps = testDeps(db.store);
    await bootstrap(deps, 'correct horse battery staple');
    c = await council(deps);
    for (const [k, p] of Object.entries(c)) as[k] = await p.actor();
  });
  afterAll(() => db.cleanup());

  const kinds = async (p: Person) => (await db.store.read.requests.ledger.list({ orgId: p.org.id, limit: 1000 })).map((e) => e.kind).sort();
  const report = (over: Record<string, unknown> = {}) =>
    ReportCreate.parse({ title: '不審な通信', description: '深夜に外部への大量通信', kind: 'suspicious_activity', certainty: 'unease', ...over });

  it('reports and original information', async () => {
    const general = await person(deps, { memberClass: 'general' });
    const type1 = await person(deps, { memberClass: 'type1' }, { totp: true });
    await createReport(deps, await general.actor(), report({ isOriginal: true }), meta);
    await createReport(deps, await type1.actor(), report({ isOriginal: true }), meta);
    expect(await kinds(general)).toEqual(['report']);
    expect(await kinds(type1)).toEqual(['original', 'report']);
  });

  it('analysis once per organisation and report, original information in the thread, corroboration; replies count nothing', async () => {
    const provider = await person(deps, { memberClass: 'general' });
    const analyst = await person(deps, { memberClass: 'type1' }, { totp: true });
    const me = await analyst.actor();
    const r1 = await createReport(deps, await provider.actor(), report(), meta);
    const r2 = await createReport(deps, await provider.actor(), report(), meta);
    await addComment(deps, me, r1.id, { kind: 'comment', body: 'C2 サーバーと思われる' }, meta);
    await addComment(deps, me, r1.id, { kind: 'comment', body: '追加の分析' }, meta);
    await addComment(deps, me, r2.id, { kind: 'comment', body: '別件の分析' }, meta);
    await addComment(deps, me, r2.id, { kind: 'original', body: '独自観測: 同一の IP から攻撃' }, meta);
    await addComment(deps, me, r1.id, { kind: 'reply', body: 'ログの提供をお願いします' }, meta);
    await addComment(deps, await provider.actor(), r1.id, { kind: 'reply', body: '承知しました' }, meta);
    expect(await corroborate(deps, me, r1.id, undefined, meta)).toBe(true);
    expect(await corroborate(deps, me, r1.id, undefined, meta)).toBe(false);
    expect(await kinds(analyst)).toEqual(['analysis', 'analysis', 'corroboration', 'original']);
    expect(await kinds(provider)).toEqual(['report', 'report']);
  });

  it('feedback: the first answer, in time or late; changes do not count again', async () => {
    const author = await c.type1.actor();
    const inTime = await person(deps, { memberClass: 'type2' }, { totp: true });
    const late = await person(deps, { memberClass: 'type2' }, { totp: true });
    const a = await createAdvisory(deps, author, AdvisoryCreate.parse({ title: '注意喚起', summary: '概要', threat: '脅威', actions: '対策', tlp: 'green' }), meta);
    await releaseAdvisory(deps, author, a.id, ReleaseInput.parse({ to: 'type1' }), meta);
    await releaseAdvisory(deps, author, a.id, ReleaseInput.parse({ to: 'type2', feedbackHours: 2 }), meta);
    await submitFeedback(deps, await inTime.actor(), a.id, { answer: 'seen', sightings: [] }, meta);
    await submitFeedback(deps, await inTime.actor(), a.id, { answer: 'not_seen', sightings: [] }, meta);
    deps.clock.advance(3 * HOUR);
    await submitFeedback(deps, await late.actor(), a.id, { answer: 'unknown', sightings: [] }, meta);
    expect(await kinds(inTime)).toEqual(['feedback_on_time']);
    expect(await kinds(late)).toEqual(['feedback_late']);
    const entry = (await db.store.read.requests.ledger.list({ orgId: inTime.org.id, limit: 1 }))[0];
    expect(entry?.itemId).toBe(a.id);
  });

  it('recording is idempotent per organisation, kind and reference', async () => {
    const p = await person(deps, { memberClass: 'general' });
    const ref = '01900000-0000-7000-8000-00000000abcd';
    expect(await db.store.tx((r) => recordLedger(r, deps, { orgId: p.org.id, kind: 'report', refId: ref }))).toBe(true);
    expect(await db.store.tx((r) => recordLedger(r, deps, { orgId: p.org.id, kind: 'report', refId: ref }))).toBe(false);
    expect(await db.store.tx((r) => recordLedger(r, deps, { orgId: p.org.id, kind: 'original', refId: ref }))).toBe(true);
    expect(await kinds(p)).toEqual(['original', 'report']);
  });

  describe('reading', () => {
    it('an organisation sees its own ledger, any role, with totals, score and keyset pages', async () => {
      const p = await person(deps, { memberClass: 'general' });
      for (let i = 0; i < 5; i++) await createReport(deps, await p.actor(), report(), meta);
      const viewer = await (await personIn(deps, p.org, { role: 'viewer' })).actor();
      const first = await orgLedger(deps, viewer, p.org.id, { limit: 2 }, meta);
      expect(first.totals.report).toBe(5);
      expect(first.totals.original).toBe(0);
      expect(first.score).toBe(5 * LEDGER_WEIGHTS.report);
      const ids = first.items.map((e) => e.id);
      let cursor = first.next;
      while (cursor) {
        const page = await orgLedger(deps, viewer, p.org.id, { limit: 2, cursor }, meta);
        ids.push(...page.items.map((e) => e.id));
        cursor = page.next;
      }
      expect(ids).toHaveLength(5);
      expect([...ids].sort().reverse()).toEqual(ids);
      // Looking at one's own ledger is not audited; the committee looking at someone else's is.
      expect(await db.store.read.audit.list({ action: 'ledger.view', targetId: p.org.id, limit: 10 })).toHaveLength(0);
      for (const who of [as.committee, as.secretariat] as Actor[]) expect((await orgLedger(deps, who, p.org.id, { limit: 10 }, meta)).totals.report).toBe(5);
      expect(await db.store.read.audit.list({ action: 'ledger.view', targetId: p.org.id, limit: 10 })).toHaveLength(2);
      for (const who of [as.general, as.type1, as.designated] as Actor[]) {
        await expect(orgLedger(deps, who, p.org.id, { limit: 10 }, meta)).rejects.toMatchObject({ status: 404 });
      }
      await expect(orgLedger(deps, anonymous, p.org.id, { limit: 10 }, meta)).rejects.toMatchObject({ status: 401 });
    });

    it('the ranking is for the committee and the secretariat, by score, for a period, with missed requests', async () => {
      const busy = await person(deps, { memberClass: 'general', nameJa: '熱心な組織' });
      const quiet = await person(deps, { memberClass: 'general', nameJa: '静かな組織' });
      const gone = await person(deps, { memberClass: 'general' });
      await db.store.tx((r) => r.organizations.update(gone.org.id, { status: 'withdrawn', active: false }));
      deps.clock.advance(60_000);
      const from = deps.now().toISOString();
      for (let i = 0; i < 3; i++) await createReport(deps, await busy.actor(), report(), meta);
      const campaign = await declareCampaign(deps, as.secretariat as Actor, { title: 'c', description: 'd' }, meta);
      const x = await issueRequest(deps, as.secretariat as Actor, campaign.id, { title: 't', body: 'b', deadline: new Date(deps.now().getTime() + HOUR).toISOString(), audience: 'general' }, meta);
      await answerRequest(deps, await busy.actor(), x.id, { kind: 'answer', text: '提供します', observables: [] }, meta);
      deps.clock.advance(2 * HOUR);
      const to = deps.now().toISOString();

      for (const who of [as.committee, as.secretariat] as Actor[]) {
        const ranking = await ledgerRanking(deps, who, { from, to }, meta);
        expect(ranking.weights).toEqual(LEDGER_WEIGHTS);
        const b = ranking.items.find((i) => i.orgId === busy.org.id);
        const q = ranking.items.find((i) => i.orgId === quiet.org.id);
        expect(b).toMatchObject({ rank: 1, score: 3 * LEDGER_WEIGHTS.report + LEDGER_WEIGHTS.request_answered, missedRequests: 0 });
        expect(b?.totals).toMatchObject({ report: 3, request_answered: 1 });
        expect(q).toMatchObject({ score: 0, missedRequests: 1 });
        expect(ranking.items.map((i) => i.orgId)).not.toContain(gone.org.id);
        expect(ranking.items.map((i) => i.orgId)).not.toContain(c.secretariat.org.id);
        // Sorted by score; equal scores share a rank.
        const scores = ranking.items.map((i) => i.score);
        expect([...scores].sort((m, n) => n - m)).toEqual(scores);
        for (let i = 1; i < ranking.items.length; i++) {
          const prev = ranking.items[i - 1];
          const cur = ranking.items[i];
          if (prev && cur) expect(cur.rank).toBe(prev.score === cur.score ? prev.rank : i + 1);
        }
      }
      // A later period holds nothing of this.
      deps.clock.advance(DAY);
      const later = await ledgerRanking(deps, as.committee as Actor, { from: new Date(deps.now().getTime() - HOUR).toISOString() }, meta);
      expect(later.items.find((i) => i.orgId === busy.org.id)).toMatchObject({ score: 0, missedRequests: 0 });
      // Default period: the last year.
      const year = await ledgerRanking(deps, as.secretariat as Actor, {}, meta);
      expect(new Date(year.to).getTime() - new Date(year.from).getTime()).toBe(365 * DAY);
      expect(year.items.find((i) => i.orgId === busy.org.id)?.totals.report).toBe(3);

      await expect(ledgerRanking(deps, as.committee as Actor, { from: to, to: from }, meta)).rejects.toMatchObject({ status: 400, code: 'ledger_period_invalid' });
      for (const who of [as.general, as.type1, as.designated, as.type2] as Actor[]) {
        await expect(ledgerRanking(deps, who, {}, meta)).rejects.toMatchObject({ status: 403 });
      }
      await expect(ledgerRanking(deps, anonymous, {}, meta)).rejects.toMatchObject({ status: 401 });
    });
  });
});
