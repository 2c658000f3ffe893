/** Large-scale attack mode and information requests: every transition, allowed and refused, on both databases. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, type Actor, type UserActor } from '../actor.js';
import { bootstrap } from '../usecases/bootstrap.js';
import { createTestStore, dialects, testDeps, type TestClock, type TestStore } from '../../test/stores.js';
import { council, person, personIn, type Council } from '../../test/council.js';
import type { Deps } from '../context.js';
import { translate } from '../messages.js';
import {
  answerRequest,
  closeRequest,
  declareCampaign,
  endCampaign,
  getCampaign,
  getRequest,
  issueRequest,
  listCampaigns,
  listRequests,
  myRequests,
  requestStatus,
} from './requests.js';
import type { RequestAnswerInput } from './requests-model.js';

const meta = { ip: '192.0.2.1' };
const HOUR = 3_600_000;

describe.each(dialects)('information requests on %s', (dialect) => {
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

  const inHours = (h: number) => new Date(deps.now().getTime() + h * HOUR).toISOString();
  const answer = (kind: 'answer' | 'refusal', text: string, more: Partial<RequestAnswerInput> = {}): RequestAnswerInput =>
    kind === 'answer' ? { kind, text, observables: [], ...more } : { kind, reason: text, observables: [], ...more };
  const auditCount = async (action: string) => (await db.store.read.audit.list({ action, limit: 1000 })).length;
  const ledgerOf = async (orgId: string) => (await db.store.read.requests.ledger.list({ orgId, limit: 100 })).map((e) => `${e.kind}:${e.refId}`);

  async function campaign(): Promise<string> {
    return (await declareCampaign(deps, as.secretariat as Actor, { title: 'Emotet 大規模感染', description: '国内組織への大規模な攻撃' }, meta)).id;
  }
  async function request(campaignId?: string, audience: 'general' | 'all' = 'general', hours = 24) {
    return issueRequest(deps, as.secretariat as Actor, campaignId ?? (await campaign()), { title: '観測状況の提供', body: '不審な通信の有無を教えてください。', deadline: inHours(hours), audience }, meta);
  }

  describe('large-scale attack mode', () => {
    it('is declared and ended by the secretariat, and every member sees it', async () => {
      const before = await auditCount('campaign.declare');
      const declared = await declareCampaign(deps, as.secretariat as Actor, { title: 'DDoS 攻撃', description: '政府機関への DDoS' }, meta);
      expect(declared).toMatchObject({ status: 'active', endedAt: null, openRequests: 0 });
      expect(await auditCount('campaign.declare')).toBe(before + 1);
      expect((await getCampaign(deps, as.general as Actor, declared.id)).title).toBe('DDoS 攻撃');
      const active = await listCampaigns(deps, as.type2 as Actor, { status: 'active', limit: 100 });
      expect(active.items.map((x) => x.id)).toContain(declared.id);

      const ended = await endCampaign(deps, as.secretariat as Actor, declared.id, { note: '収束' }, meta);
      expect(ended).toMatchObject({ status: 'ended', endNote: '収束' });
      expect(ended.endedAt).toBe(deps.now().toISOString());
      expect((await listCampaigns(deps, as.general as Actor, { status: 'active', limit: 100 })).items.map((x) => x.id)).not.toContain(declared.id);
      await expect(endCampaign(deps, as.secretariat as Actor, declared.id, {}, meta)).rejects.toMatchObject({ status: 409, code: 'campaign_already_ended' });
    });

    it('refuses everyone but secretariat writers', async () => {
      const viewer = await (await personIn(deps, c.secretariat.org, { role: 'viewer' })).actor();
      for (const who of [viewer, as.type1, as.designated, as.general, as.committee] as Actor[]) {
        await expect(declareCampaign(deps, who, { title: 't', description: 'd' }, meta)).rejects.toMatchObject({ status: 403 });
      }
      await expect(declareCampaign(deps, anonymous, { title: 't', description: 'd' }, meta)).rejects.toMatchObject({ status: 401 });
      const id = await campaign();
      await expect(endCampaign(deps, as.designated as Actor, id, {}, meta)).rejects.toMatchObject({ status: 403 });
      await expect(listCampaigns(deps, anonymous, { limit: 10 })).rejects.toMatchObject({ status: 401 });
      // Non-members (class none) do not see the mode.
      const outsider = await (await person(deps, { memberClass: 'none' })).actor();
      await expect(listCampaigns(deps, outsider, { limit: 10 })).rejects.toMatchObject({ status: 403 });
    });

    it('an unknown campaign is not found', async () => {
      const missing = '01900000-0000-7000-8000-000000000000';
      await expect(getCampaign(deps, as.general as Actor, missing)).rejects.toMatchObject({ status: 404 });
      await expect(endCampaign(deps, as.secretariat as Actor, missing, {}, meta)).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('issuing requests', () => {
    it('goes to general members only by default, to every member with audience "all"', async () => {
      const general = await request();
      const recipients = await db.store.read.requests.recipients.list(general.id);
      expect(recipients).toEqual(expect.arrayContaining([c.general.org.id, c.general2.org.id, c.committee.org.id]));
      for (const p of [c.type1, c.type2, c.designated, c.secretariat]) expect(recipients).not.toContain(p.org.id);

      const all = await request(undefined, 'all');
      const everyone = await db.store.read.requests.recipients.list(all.id);
      for (const p of [c.type1, c.type2, c.designated, c.general]) expect(everyone).toContain(p.org.id);
      expect(everyone).not.toContain(c.secretariat.org.id);
      const audit = await db.store.read.audit.list({ action: 'request.issue', targetId: all.id, limit: 1 });
      expect(audit[0]?.detail).toMatchObject({ audience: 'all', recipients: everyone.length });
    });

    it('leaves out suspended and withdrawn organisations', async () => {
      const suspended = await person(deps, { memberClass: 'general' });
      await db.store.tx((r) => r.organizations.update(suspended.org.id, { status: 'suspended' }));
      const x = await request();
      expect(await db.store.read.requests.recipients.list(x.id)).not.toContain(suspended.org.id);
      await db.store.tx((r) => r.organizations.update(suspended.org.id, { status: 'withdrawn', active: false }));
    });

    it('only while the campaign is active, with a future deadline, by the secretariat', async () => {
      const id = await campaign();
      await endCampaign(deps, as.secretariat as Actor, id, {}, meta);
      const before = await db.store.read.requests.infoRequests.list({ limit: 1000 });
      await expect(request(id)).rejects.toMatchObject({ status: 409, code: 'campaign_not_active' });
      const active = await campaign();
      await expect(request(active, 'general', -1)).rejects.toMatchObject({ status: 400, code: 'request_deadline_in_past' });
      for (const who of [as.type1, as.designated, as.general] as Actor[]) {
        await expect(issueRequest(deps, who, active, { title: 't', body: 'b', deadline: inHours(2), audience: 'general' }, meta)).rejects.toMatchObject({ status: 403 });
      }
      await expect(request('01900000-0000-7000-8000-000000000000')).rejects.toMatchObject({ status: 404 });
      expect(await db.store.read.requests.infoRequests.list({ limit: 1000 })).toEqual(before);
    });

    it('ending the campaign closes its open requests', async () => {
      const id = await campaign();
      const a = await request(id);
      const b = await request(id);
      expect((await getCampaign(deps, as.general as Actor, id)).openRequests).toBe(2);
      const ended = await endCampaign(deps, as.secretariat as Actor, id, {}, meta);
      expect(ended.openRequests).toBe(0);
      for (const x of [a, b]) expect((await db.store.read.requests.infoRequests.byId(x.id))?.status).toBe('closed');
      await expect(answerRequest(deps, as.general as Actor, a.id, answer('answer', '観測なし'), meta)).rejects.toMatchObject({ status: 409, code: 'request_closed' });
    });

    it('a request can be closed on its own', async () => {
      const x = await request();
      await expect(closeRequest(deps, as.general as Actor, x.id, meta)).rejects.toMatchObject({ status: 403 });
      expect((await closeRequest(deps, as.secretariat as Actor, x.id, meta)).status).toBe('closed');
      await expect(closeRequest(deps, as.secretariat as Actor, x.id, meta)).rejects.toMatchObject({ status: 409, code: 'request_closed' });
    });
  });

  describe('answering', () => {
    it('one answer per organisation, changeable until the deadline; the ledger follows answer and refusal', async () => {
      const x = await request();
      const first = await answerRequest(deps, as.general as Actor, x.id, answer('answer', '不審な通信を観測', { observables: [{ type: 'ipv4', value: '198.51.100[.]7' }] }), meta);
      expect(first).toMatchObject({ kind: 'answer', text: '不審な通信を観測', reason: null, late: false, observables: [{ type: 'ipv4', value: '198.51.100.7' }] });
      expect(await ledgerOf(c.general.org.id)).toContain(`request_answered:${x.id}`);

      deps.clock.advance(HOUR);
      const changed = await answerRequest(deps, as.general as Actor, x.id, answer('refusal', '捜査機関から口外しないよう要請を受けているため'), meta);
      expect(changed).toMatchObject({ kind: 'refusal', text: null, reason: '捜査機関から口外しないよう要請を受けているため', observables: [], late: false });
      expect(changed.answeredAt).toBe(first.answeredAt);
      expect(changed.updatedAt).not.toBe(first.updatedAt);
      const stored = await db.store.read.requests.answers.list(x.id);
      expect(stored).toHaveLength(1);
      const ledger = await ledgerOf(c.general.org.id);
      expect(ledger).toContain(`request_refused:${x.id}`);
      expect(ledger).not.toContain(`request_answered:${x.id}`);
      // The reason is on the (tamper-evident) record.
      const audit = await db.store.read.audit.list({ action: 'request.answer.change', targetId: x.id, limit: 1 });
      expect(audit[0]?.detail).toMatchObject({ kind: 'refusal', reason: '捜査機関から口外しないよう要請を受けているため' });
    });

    it('a refusal needs its justified reason, an answer its text', async () => {
      const x = await request();
      await expect(answerRequest(deps, as.general as Actor, x.id, { kind: 'refusal', observables: [] }, meta)).rejects.toMatchObject({ status: 400, code: 'refusal_reason_required' });
      await expect(answerRequest(deps, as.general as Actor, x.id, { kind: 'refusal', reason: '', observables: [] }, meta)).rejects.toMatchObject({ status: 400, code: 'refusal_reason_required' });
      await expect(answerRequest(deps, as.general as Actor, x.id, { kind: 'answer', reason: '理由', observables: [] }, meta)).rejects.toMatchObject({ status: 400, code: 'answer_text_required' });
      await expect(answerRequest(deps, as.general as Actor, x.id, answer('answer', 'x', { observables: [{ type: 'ipv4', value: '999.1.1.1' }] }), meta)).rejects.toMatchObject({
        status: 400,
        code: 'invalid_observable',
      });
      expect(await db.store.read.requests.answers.list(x.id)).toEqual([]);
      expect(await ledgerOf(c.general.org.id)).not.toEqual(expect.arrayContaining([expect.stringContaining(x.id)]));
    });

    it('after the deadline: a first answer is taken and marked late, a change is refused with the deadline in Japan time', async () => {
      const x = await request(undefined, 'general', 2);
      await answerRequest(deps, as.general2 as Actor, x.id, answer('answer', '期限内の回答'), meta);
      deps.clock.advance(3 * HOUR);
      const late = await answerRequest(deps, as.general as Actor, x.id, answer('answer', '遅れた回答'), meta);
      expect(late.late).toBe(true);
      expect(await ledgerOf(c.general.org.id)).toContain(`request_late:${x.id}`);
      const lateRefusal = await answerRequest(deps, as.committee as Actor, x.id, answer('refusal', '該当する情報を保有していない'), meta);
      expect(lateRefusal).toMatchObject({ kind: 'refusal', late: true });
      expect(await ledgerOf(c.committee.org.id)).toContain(`request_refused:${x.id}`);

      for (const who of [as.general, as.general2] as Actor[]) {
        const err = await answerRequest(deps, who, x.id, answer('answer', '変更'), meta).catch((e: unknown) => e);
        expect(err).toMatchObject({ status: 409, code: 'request_deadline_passed' });
        const params = (err as { params: Record<string, never> }).params;
        expect(translate('ja', 'request_deadline_passed', params)).toContain('（日本時間）');
        expect(translate('en', 'request_deadline_passed', params)).toContain('JST');
        // 2026-04-01 00:00 UTC + the hours advanced so far is shown in Japan time (UTC+9).
        expect(translate('ja', 'request_deadline_passed', params)).toMatch(/\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}/);
      }
      expect((await db.store.read.requests.answers.get(x.id, c.general2.org.id))?.text).toBe('期限内の回答');
    });

    it('shows a deadline in Japan time', async () => {
      const id = await campaign();
      const x = await issueRequest(deps, as.secretariat as Actor, id, { title: 't', body: 'b', deadline: '2099-02-28T18:00:00+09:00', audience: 'general' }, meta);
      expect(x.deadline).toBe('2099-02-28T09:00:00.000Z');
      await answerRequest(deps, as.general as Actor, x.id, answer('answer', 'a'), meta);
      const saved = deps.clock.now();
      deps.clock.advance(new Date('2099-03-01T00:00:00Z').getTime() - saved.getTime());
      const err = (await answerRequest(deps, as.general as Actor, x.id, answer('answer', 'b'), meta).catch((e: unknown) => e)) as { params: Record<string, never> };
      expect(translate('ja', 'request_deadline_passed', err.params)).toBe('回答期限（2099年2月28日 18:00（日本時間））を過ぎたため、回答は変更できません。');
      expect(translate('en', 'request_deadline_passed', err.params)).toBe('The deadline (28 Feb 2099, 18:00 JST) has passed; the answer can no longer be changed.');
      deps.clock.advance(saved.getTime() - deps.clock.now().getTime());
    });

    it('only writers of addressed organisations answer; others do not even see the request', async () => {
      const x = await request();
      // Type 2 is not addressed by a request to general members: not found.
      await expect(answerRequest(deps, as.type2 as Actor, x.id, answer('answer', 'a'), meta)).rejects.toMatchObject({ status: 404 });
      await expect(getRequest(deps, as.type1 as Actor, x.id, meta)).rejects.toMatchObject({ status: 404 });
      // The designated corporation may see the request (it sees the status) but is not addressed.
      expect(await getRequest(deps, as.designated as Actor, x.id, meta)).toMatchObject({ id: x.id, outstanding: false, myAnswer: null });
      await expect(answerRequest(deps, as.designated as Actor, x.id, answer('answer', 'a'), meta)).rejects.toMatchObject({ status: 403, code: 'request_not_addressed' });
      const viewer = await (await personIn(deps, c.general.org, { role: 'viewer' })).actor();
      expect((await getRequest(deps, viewer, x.id, meta)).id).toBe(x.id);
      await expect(answerRequest(deps, viewer, x.id, answer('answer', 'a'), meta)).rejects.toMatchObject({ status: 403 });
      await expect(answerRequest(deps, as.secretariat as Actor, x.id, answer('answer', 'a'), meta)).rejects.toMatchObject({ status: 403 });
      await expect(answerRequest(deps, anonymous, x.id, answer('answer', 'a'), meta)).rejects.toMatchObject({ status: 401 });
      const readOnly = { ...(as.general as UserActor), via: 'token' as const, readOnly: true };
      await expect(answerRequest(deps, readOnly, x.id, answer('answer', 'a'), meta)).rejects.toMatchObject({ status: 403, code: 'read_only_token' });
      expect(await db.store.read.requests.answers.list(x.id)).toEqual([]);
    });
  });

  describe('outstanding requests and status', () => {
    it('lists an organisation’s outstanding, open and all requests, newest first, by keyset', async () => {
      const org = await person(deps, { memberClass: 'general' });
      const me = await org.actor();
      const id = await campaign();
      const a = await request(id);
      const b = await request(id, 'general', 1);
      const d = await request(id);
      await answerRequest(deps, me, d.id, answer('answer', '回答済み'), meta);
      await closeRequest(deps, as.secretariat as Actor, a.id, meta);

      const outstanding = await myRequests(deps, me, { state: 'outstanding', limit: 50 });
      expect(outstanding.items.map((x) => x.id)).toEqual([b.id]);
      expect(outstanding.items[0]).toMatchObject({ outstanding: true, overdue: false, myAnswer: null, campaignTitle: 'Emotet 大規模感染' });
      expect((await myRequests(deps, me, { state: 'open', limit: 50 })).items.map((x) => x.id)).toEqual([d.id, b.id]);
      const open = await myRequests(deps, me, { state: 'open', limit: 50 });
      expect(open.items[0]?.myAnswer).toMatchObject({ kind: 'answer', text: '回答済み' });

      const pages: string[][] = [];
      let cursor: string | undefined;
      do {
        const p = await myRequests(deps, me, { state: 'all', limit: 2, cursor });
        pages.push(p.items.map((x) => x.id));
        cursor = p.next ?? undefined;
      } while (cursor);
      expect(pages).toEqual([[d.id, b.id], [a.id]]);

      deps.clock.advance(2 * HOUR);
      expect((await myRequests(deps, me, { state: 'outstanding', limit: 50 })).items[0]).toMatchObject({ id: b.id, overdue: true, outstanding: true });
      await expect(myRequests(deps, anonymous, { state: 'outstanding', limit: 5 })).rejects.toMatchObject({ status: 401 });
      await expect(myRequests(deps, me, { state: 'outstanding', limit: 5, cursor: 'not a cursor!' })).rejects.toMatchObject({ status: 400 });
    });

    it('shows the secretariat and the designated corporation who answered, who refused and why, who is missing', async () => {
      const x = await request();
      await answerRequest(deps, as.general as Actor, x.id, answer('answer', '観測あり', { observables: [{ type: 'domain', value: 'evil.example' }] }), meta);
      await answerRequest(deps, as.general2 as Actor, x.id, answer('refusal', '契約上の守秘義務のため'), meta);
      for (const who of [as.secretariat, as.designated] as Actor[]) {
        const s = await requestStatus(deps, who, x.id, meta);
        const addressed = (await db.store.read.requests.recipients.list(x.id)).length;
        expect(s.counts).toEqual({ addressed, answered: 1, refused: 1, late: 0, missing: addressed - 2 });
        expect(s.responses).toEqual(
          expect.arrayContaining([
            expect.objectContaining({ orgId: c.general.org.id, nameJa: '一般市役所', kind: 'answer', text: '観測あり', observables: [{ type: 'domain', value: 'evil.example' }] }),
            expect.objectContaining({ orgId: c.general2.org.id, kind: 'refusal', reason: '契約上の守秘義務のため' }),
          ]),
        );
        expect(s.missing.map((m) => m.orgId)).toContain(c.committee.org.id);
        expect(s.missing.map((m) => m.orgId)).not.toContain(c.general.org.id);
      }
      expect(await db.store.read.audit.list({ action: 'request.status', targetId: x.id, limit: 10 })).toHaveLength(2);
      for (const who of [as.general, as.type1, as.type2, as.committee] as Actor[]) {
        await expect(requestStatus(deps, who, x.id, meta)).rejects.toMatchObject({ status: 403 });
      }
      const list = await listRequests(deps, as.secretariat as Actor, { campaignId: x.campaignId, limit: 10 });
      expect(list.items[0]).toMatchObject({ id: x.id, counts: { answered: 1, refused: 1 } });
      await expect(listRequests(deps, as.general as Actor, { limit: 10 })).rejects.toMatchObject({ status: 403 });
    });
  });
});
