/** Non-member consultations: proof of work, the private link, the Type 1 group, consent and widening, conversion. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, type Actor, type UserActor } from '../actor.js';
import type { Deps } from '../context.js';
import { bootstrap } from '../usecases/bootstrap.js';
import { createTestStore, dialects, testDeps, type TestClock, type TestStore } from '../../test/stores.js';
import { council, person, personIn, type Council } from '../../test/council.js';
import {
  CHALLENGE_TTL_MS,
  answerConsultation,
  answerQuestion,
  consentByToken,
  convertConsultation,
  getConsultation,
  getQuestion,
  identifyingTerms,
  issueChallenge,
  leadingZeroBits,
  listConsultations,
  listQuestions,
  postByToken,
  relayAnswer,
  setConsultationStatus,
  solveChallenge,
  submitConsultation,
  viewByToken,
  widenConsultation,
} from './consultations.js';
import { getReport } from './reports.js';
import type { ConsultationCreate } from './requests-model.js';

const meta = { ip: '203.0.113.9' };
const BITS = 8;
const opts = { minDifficulty: BITS, locale: 'ja' as const };

describe.each(dialects)('consultations on %s', (dialect) => {
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

  const form = {
    name: '山田 花子',
    organization: '山田商店',
    email: 'hanako@yamada-shoten.example.jp',
    body: '当店のウェブサイトが改ざんされ、不審なスクリプトが埋め込まれていました。どうすればよいでしょうか。',
    observables: [{ type: 'domain' as const, value: 'malicious[.]example' }],
  };

  async function solved(difficulty = BITS): Promise<{ challenge: string; nonce: string }> {
    const ch = await issueChallenge(deps, difficulty);
    return { challenge: ch.challenge, nonce: solveChallenge(ch.challenge, ch.difficulty) };
  }
  async function consult(over: Partial<ConsultationCreate> = {}): Promise<{ token: string; id: string }> {
    const { token } = await submitConsultation(deps, { ...form, ...(await solved()), ...over }, opts, meta);
    const row = await db.store.read.requests.consultations.byTokenHash((await import('../crypto.js')).sha256(token));
    return { token, id: row?.id as string };
  }
  const count = async () => (await db.store.read.requests.consultations.list({ limit: 1000 })).length;

  describe('proof of work', () => {
    it('counts leading zero bits', () => {
      expect(leadingZeroBits(Uint8Array.from([0, 0, 0x0f]))).toBe(20);
      expect(leadingZeroBits(Uint8Array.from([0x80]))).toBe(0);
      expect(leadingZeroBits(Uint8Array.from([0, 1]))).toBe(15);
    });

    it('accepts a solved, signed, fresh challenge once', async () => {
      const ch = await issueChallenge(deps, BITS);
      expect(ch).toMatchObject({ difficulty: BITS, algorithm: 'sha256-leading-zero-bits' });
      expect(ch.expiresAt).toBe(new Date(deps.now().getTime() + CHALLENGE_TTL_MS).toISOString());
      const nonce = solveChallenge(ch.challenge, BITS);
      const before = await count();
      const { token } = await submitConsultation(deps, { ...form, challenge: ch.challenge, nonce }, opts, meta);
      expect(token).toMatch(/^[\w-]{43}$/);
      expect(await count()).toBe(before + 1);
      await expect(submitConsultation(deps, { ...form, challenge: ch.challenge, nonce }, opts, meta)).rejects.toMatchObject({ status: 409, code: 'challenge_used' });
      expect(await count()).toBe(before + 1);
      // Stored hashed; the audit row has no personal data.
      const stored = (await db.store.read.requests.consultations.list({ limit: 1 }))[0];
      expect(stored?.tokenHash).not.toBe(token);
      const rows = await db.store.read.audit.list({ action: 'consultation.submit', limit: 1 });
      expect(JSON.stringify(rows)).not.toMatch(/山田|hanako/);
      expect(rows[0]?.ip).toBe('203.0.113.9');
    });

    it('refuses wrong work, a forged or altered challenge, an expired one, and one easier than required; nothing is stored', async () => {
      const before = await count();
      const ch = await issueChallenge(deps, BITS);
      let wrong = 0;
      while (leadingZeroBits((await import('./consultations.js')).powHash(ch.challenge, String(wrong))) >= BITS) wrong++;
      await expect(submitConsultation(deps, { ...form, challenge: ch.challenge, nonce: String(wrong) }, opts, meta)).rejects.toMatchObject({ status: 400, code: 'pow_invalid' });

      const parts = ch.challenge.split('.');
      const easier = [parts[0], '0', parts[2], parts[3], parts[4]].join('.');
      await expect(submitConsultation(deps, { ...form, challenge: easier, nonce: '0' }, opts, meta)).rejects.toMatchObject({ status: 400, code: 'challenge_invalid' });
      await expect(submitConsultation(deps, { ...form, challenge: 'v1.8.99999999999999.abc.def', nonce: '0' }, opts, meta)).rejects.toMatchObject({ status: 400, code: 'challenge_invalid' });
      await expect(submitConsultation(deps, { ...form, challenge: 'garbage', nonce: '0' }, opts, meta)).rejects.toMatchObject({ status: 400, code: 'challenge_invalid' });

      const weak = await solved(2);
      await expect(submitConsultation(deps, { ...form, ...weak }, opts, meta)).rejects.toMatchObject({ status: 400, code: 'challenge_invalid' });

      const old = await solved();
      deps.clock.advance(CHALLENGE_TTL_MS + 1000);
      await expect(submitConsultation(deps, { ...form, ...old }, opts, meta)).rejects.toMatchObject({ status: 400, code: 'challenge_expired' });
      // Bad observables are refused before the challenge is spent.
      const fresh = await solved();
      await expect(submitConsultation(deps, { ...form, ...fresh, observables: [{ type: 'ipv4', value: 'nope' }] }, opts, meta)).rejects.toMatchObject({ status: 400, code: 'invalid_observable' });
      await submitConsultation(deps, { ...form, ...fresh }, opts, meta);
      expect(await count()).toBe(before + 1);
    });
  });

  describe('the private link', () => {
    it('shows the consultation and the exchange; the consulter follows up; a wrong token is not found', async () => {
      const { token, id } = await consult({ locale: 'en' });
      const view = await viewByToken(deps, token);
      expect(view).toMatchObject({
        status: 'open',
        name: '山田 花子',
        email: form.email,
        locale: 'en',
        observables: [{ type: 'domain', value: 'malicious.example' }],
        consent: { given: false, at: null },
        widened: false,
        messages: [],
      });
      const after = await postByToken(deps, token, '追加の情報です。ログを添付できます。', meta);
      expect(after.messages).toEqual([expect.objectContaining({ from: 'consulter', body: '追加の情報です。ログを添付できます。' })]);
      await expect(viewByToken(deps, 'x'.repeat(43))).rejects.toMatchObject({ status: 404 });
      await expect(postByToken(deps, 'x'.repeat(43), 'hi', meta)).rejects.toMatchObject({ status: 404 });

      await setConsultationStatus(deps, as.type1 as Actor, id, 'closed', meta);
      await expect(postByToken(deps, token, 'まだですか', meta)).rejects.toMatchObject({ status: 409, code: 'consultation_closed' });
      expect((await viewByToken(deps, token)).status).toBe('closed');
    });
  });

  describe('the Type 1 group', () => {
    it('only the Type 1 group with a second factor reads consultations (with personal data); every view is audited', async () => {
      const { id } = await consult();
      const list = await listConsultations(deps, as.type1 as Actor, { limit: 100 });
      expect(list.items.find((x) => x.id === id)).toMatchObject({ name: '山田 花子', organization: '山田商店', status: 'open', messages: 0 });
      const detail = await getConsultation(deps, as.designated as Actor, id, meta);
      expect(detail).toMatchObject({ email: form.email, body: form.body });
      expect(detail).not.toHaveProperty('tokenHash');
      expect(await db.store.read.audit.list({ action: 'consultation.view', targetId: id, limit: 10 })).toHaveLength(1);

      const noTotp = await (await personIn(deps, c.type1.org, {})).actor();
      for (const who of [as.type2, as.general, as.secretariat, as.committee, noTotp] as Actor[]) {
        await expect(listConsultations(deps, who, { limit: 10 })).rejects.toMatchObject({ status: 403 });
        await expect(getConsultation(deps, who, id, meta)).rejects.toMatchObject({ status: 404 });
        await expect(answerConsultation(deps, who, id, '回答', meta)).rejects.toMatchObject({ status: 404 });
      }
      await expect(getConsultation(deps, anonymous, id, meta)).rejects.toMatchObject({ status: 401 });
      // A viewer of the Type 1 group reads but does not answer.
      const viewer = await (await personIn(deps, c.type1.org, { role: 'viewer', totp: true })).actor();
      expect((await getConsultation(deps, viewer, id, meta)).id).toBe(id);
      await expect(answerConsultation(deps, viewer, id, '回答', meta)).rejects.toMatchObject({ status: 403 });
    });

    it('answers on the thread; the consulter sees them from "the council"; the ledger counts one per organisation', async () => {
      const { token, id } = await consult();
      await answerConsultation(deps, as.type1 as Actor, id, 'CMS を最新版に更新し、パスワードを変更してください。', meta);
      await answerConsultation(deps, as.type1 as Actor, id, '念のため、アクセスログを保全してください。', meta);
      const view = await viewByToken(deps, token);
      expect(view.messages.map((m) => [m.from, m.body])).toEqual([
        ['council', 'CMS を最新版に更新し、パスワードを変更してください。'],
        ['council', '念のため、アクセスログを保全してください。'],
      ]);
      expect(JSON.stringify(view)).not.toContain('第一類株式会社');
      const ledger = await db.store.read.requests.ledger.list({ orgId: c.type1.org.id, limit: 100 });
      expect(ledger.filter((e) => e.kind === 'consultation_answered' && e.refId === id)).toHaveLength(1);
      const detail = await getConsultation(deps, as.type1 as Actor, id, meta);
      expect(detail.messages[0]).toMatchObject({ author: 'council', orgNameJa: '第一類株式会社', visibleToConsulter: true });
    });
  });

  describe('asking the wider council', () => {
    const summary = '小規模事業者のウェブサイトが改ざんされ、malicious.example へ誘導するスクリプトが埋め込まれた事例について、類似の被害を把握していますか。';

    it('is refused before the consulter consents and allowed after; the consent cannot be withdrawn once used', async () => {
      const { token, id } = await consult();
      await expect(widenConsultation(deps, as.type1 as Actor, id, { summary, stage: 'members', confirmFlags: [] }, meta)).rejects.toMatchObject({ status: 409, code: 'consent_required' });
      expect((await db.store.read.requests.consultations.byId(id))?.widenedAt).toBeNull();
      expect((await consentByToken(deps, token, true, meta)).consent.given).toBe(true);
      expect((await consentByToken(deps, token, false, meta)).consent).toEqual({ given: false, at: null });
      await expect(widenConsultation(deps, as.type1 as Actor, id, { summary, stage: 'members', confirmFlags: [] }, meta)).rejects.toMatchObject({ status: 409, code: 'consent_required' });
      await consentByToken(deps, token, true, meta);
      await expect(widenConsultation(deps, as.general as Actor, id, { summary, stage: 'members', confirmFlags: [] }, meta)).rejects.toMatchObject({ status: 404 });
      const widened = await widenConsultation(deps, as.type1 as Actor, id, { summary, stage: 'members', confirmFlags: [] }, meta);
      expect(widened).toMatchObject({ widenedStage: 'members', summary });
      expect((await viewByToken(deps, token)).widened).toBe(true);
      await expect(consentByToken(deps, token, false, meta)).rejects.toMatchObject({ status: 409, code: 'consent_in_use' });
      await expect(widenConsultation(deps, as.type1 as Actor, id, { summary, stage: 'members', confirmFlags: [] }, meta)).rejects.toMatchObject({ status: 409, code: 'consultation_already_widened' });
    });

    it('refuses a summary that identifies the consulter, and asks to confirm other likely personal data', async () => {
      const { token, id } = await consult();
      await consentByToken(deps, token, true, meta);
      for (const text of ['山田 花子さんからの相談です。', '相談者は山田花子。', '山田商店のサイトが改ざん', 'Contact HANAKO@yamada-shoten.example.jp for details']) {
        await expect(widenConsultation(deps, as.type1 as Actor, id, { summary: text, stage: 'members', confirmFlags: [] }, meta)).rejects.toMatchObject({
          status: 400,
          code: 'text_identifies_consulter',
        });
      }
      const withPhone = `${summary} 連絡先は 03-1234-5678 です。`;
      await expect(widenConsultation(deps, as.type1 as Actor, id, { summary: withPhone, stage: 'members', confirmFlags: [] }, meta)).rejects.toMatchObject({
        status: 409,
        code: 'personal_data_flagged',
        details: [expect.objectContaining({ kind: 'phone', text: '03-1234-5678' })],
      });
      expect((await db.store.read.requests.consultations.byId(id))?.widenedAt).toBeNull();
      const ok = await widenConsultation(deps, as.type1 as Actor, id, { summary: withPhone, stage: 'members', confirmFlags: ['03-1234-5678'] }, meta);
      expect(ok.widenedStage).toBe('members');
    });

    it('matches identifying words sensibly', () => {
      const rec = { name: 'John Smith', email: 'js@example.org', organization: null } as Parameters<typeof identifyingTerms>[0];
      expect(identifyingTerms(rec, ['Mr Smith reported'])).toEqual(['Smith']);
      expect(identifyingTerms(rec, ['The blacksmithing site was hit'])).toEqual([]);
      expect(identifyingTerms(rec, ['write to JS@example.org'])).toEqual(['js@example.org']);
    });

    it('members see the question without the consulter’s personal data; their answers reach the consulter when relayed', async () => {
      const { token, id } = await consult();
      await consentByToken(deps, token, true, meta);
      await widenConsultation(deps, as.type1 as Actor, id, { summary, stage: 'members', confirmFlags: [] }, meta);

      for (const who of [as.general, as.type2, as.committee] as Actor[]) {
        const q = await getQuestion(deps, who, id, meta);
        expect(q).toMatchObject({ id, summary, stage: 'members', status: 'open', myAnswers: [] });
        const listed = await listQuestions(deps, who, { limit: 100 });
        expect(listed.items.map((x) => x.id)).toContain(id);
        const text = JSON.stringify([q, listed]);
        for (const secret of ['山田', 'hanako', form.body]) expect(text).not.toContain(secret);
      }
      const outsider = await (await person(deps, { memberClass: 'none' })).actor();
      await expect(getQuestion(deps, outsider, id, meta)).rejects.toMatchObject({ status: 403 });
      await expect(getQuestion(deps, anonymous, id, meta)).rejects.toMatchObject({ status: 401 });

      const answered = await answerQuestion(deps, as.general as Actor, id, '当市でも同様の改ざんを確認しました。プラグインの脆弱性が原因でした。', meta);
      expect(answered.myAnswers).toEqual([expect.objectContaining({ relayed: false })]);
      expect((await getQuestion(deps, as.general2 as Actor, id, meta)).myAnswers).toEqual([]);
      expect(await db.store.read.requests.ledger.list({ orgId: c.general.org.id, limit: 100 })).toEqual(
        expect.arrayContaining([expect.objectContaining({ kind: 'consultation_answered', refId: id })]),
      );
      // Not on the link until relayed.
      expect((await viewByToken(deps, token)).messages).toEqual([]);
      const detail = await getConsultation(deps, as.type1 as Actor, id, meta);
      const memberMessage = detail.messages.find((m) => m.author === 'member');
      expect(memberMessage).toMatchObject({ orgNameJa: '一般市役所', visibleToConsulter: false, relayedAt: null });

      deps.clock.advance(60_000);
      const relayed = await relayAnswer(deps, as.type1 as Actor, id, memberMessage?.id as string, meta);
      expect(relayed.messages.find((m) => m.id === memberMessage?.id)).toMatchObject({ visibleToConsulter: true });
      await relayAnswer(deps, as.type1 as Actor, id, memberMessage?.id as string, meta);
      expect(await db.store.read.audit.list({ action: 'consultation.relay', targetId: id, limit: 10 })).toHaveLength(1);
      const link = await viewByToken(deps, token);
      expect(link.messages).toEqual([expect.objectContaining({ from: 'council_member', body: '当市でも同様の改ざんを確認しました。プラグインの脆弱性が原因でした。' })]);
      expect(JSON.stringify(link)).not.toContain('一般市役所');
      expect((await getQuestion(deps, as.general as Actor, id, meta)).myAnswers[0]?.relayed).toBe(true);

      // Only members' answers are relayed.
      await postByToken(deps, token, '続報です', meta);
      const own = (await getConsultation(deps, as.type1 as Actor, id, meta)).messages.find((m) => m.author === 'consulter');
      await expect(relayAnswer(deps, as.type1 as Actor, id, own?.id as string, meta)).rejects.toMatchObject({ status: 400, code: 'message_not_relayable' });
      await expect(relayAnswer(deps, as.general as Actor, id, memberMessage?.id as string, meta)).rejects.toMatchObject({ status: 404 });
    });

    it('a question for the task force is not shown to general members', async () => {
      const { token, id } = await consult();
      await consentByToken(deps, token, true, meta);
      await widenConsultation(deps, as.type1 as Actor, id, { summary, stage: 'type2', confirmFlags: [] }, meta);
      expect((await getQuestion(deps, as.type2 as Actor, id, meta)).stage).toBe('type2');
      await expect(getQuestion(deps, as.general as Actor, id, meta)).rejects.toMatchObject({ status: 404 });
      await expect(answerQuestion(deps, as.general as Actor, id, '回答', meta)).rejects.toMatchObject({ status: 404 });
      expect((await listQuestions(deps, as.general as Actor, { limit: 100 })).items.map((x) => x.id)).not.toContain(id);
      // Without a second factor, Type 2 does not see task-force questions either.
      const noTotp = await (await personIn(deps, c.type2.org, {})).actor();
      await expect(getQuestion(deps, noTotp, id, meta)).rejects.toMatchObject({ status: 404 });
    });

    it('a question not widened is not found for members', async () => {
      const { id } = await consult();
      await expect(getQuestion(deps, as.general as Actor, id, meta)).rejects.toMatchObject({ status: 404 });
      await expect(answerQuestion(deps, as.type2 as Actor, id, 'x', meta)).rejects.toMatchObject({ status: 404 });
    });
  });

  describe('turning a consultation into a report', () => {
    const input = { title: 'ウェブサイト改ざん（相談から）', description: '小規模事業者のサイトに不審なスクリプト。誘導先ドメインあり。', kind: 'incident' as const, certainty: 'likely' as const, confidence: 'medium' as const, tlp: 'amber' as const };

    it('makes one report of the converting organisation, marked as a consultation, with the consultation’s observables', async () => {
      const { id } = await consult();
      const { reportId } = await convertConsultation(deps, as.type1 as Actor, id, input, meta);
      const detail = await getReport(deps, as.type1 as Actor, reportId, meta);
      expect(detail.report).toMatchObject({ stage: 'type1', isConsultation: true, own: true, title: input.title, providerNamed: false });
      expect(detail.report.provider?.orgId).toBe(c.type1.org.id);
      expect(detail.observables).toEqual([{ type: 'domain', value: 'malicious.example' }]);
      expect(await db.store.read.requests.consultations.byId(id)).toMatchObject({ reportId });
      await expect(convertConsultation(deps, as.designated as Actor, id, input, meta)).rejects.toMatchObject({ status: 409, code: 'consultation_already_converted' });
      // The Type 1 group sees the new report; general members do not.
      await expect(getReport(deps, as.general as Actor, reportId, meta)).rejects.toMatchObject({ status: 404 });
      const audit = await db.store.read.audit.list({ action: 'report.create', targetId: reportId, limit: 1 });
      expect(audit[0]?.detail).toMatchObject({ consultationId: id });
    });

    it('refuses text or observables that identify the consulter, and non-Type 1 users', async () => {
      const { id } = await consult();
      const reports = async () => (await db.store.read.sharing.reports.list({ filter: [{}], userId: undefined, limit: 1000 })).length;
      const before = await reports();
      await expect(convertConsultation(deps, as.type1 as Actor, id, { ...input, description: '山田商店からの相談' }, meta)).rejects.toMatchObject({ status: 400, code: 'text_identifies_consulter' });
      await expect(convertConsultation(deps, as.type1 as Actor, id, { ...input, observables: [{ type: 'email', value: form.email }] }, meta)).rejects.toMatchObject({
        status: 400,
        code: 'text_identifies_consulter',
      });
      for (const who of [as.general, as.type2, as.secretariat] as Actor[]) {
        await expect(convertConsultation(deps, who, id, input, meta)).rejects.toMatchObject({ status: 404 });
      }
      expect(await reports()).toBe(before);
      expect((await db.store.read.requests.consultations.byId(id))?.reportId).toBeNull();
    });
  });
});
