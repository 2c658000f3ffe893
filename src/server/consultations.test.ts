/** Non-member consultations over HTTP: proof of work, rate limit, private link, Type 1 group, consent, widening. */
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHALLENGE_TTL_MS, solveChallenge } from '../core/sharing/consultations.js';
import { client, council, type Council, type TokenClient } from '../test/council.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { dialects } from '../test/stores.js';

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; code: string; message: string }[] };
}

const form = {
  name: 'Alice Walker',
  organization: 'Walker Bakery',
  email: 'alice@walker-bakery.example.com',
  body: 'Our online shop started sending customers to a strange payment page. What should we do?',
  observables: [{ type: 'url', value: 'hxxps://pay-secure[.]example/checkout' }],
};

describe.each(dialects)('consultations API on %s', (dialect) => {
  let t: TestApp;
  let c: Council;
  let as: Record<keyof Council, TokenClient>;

  beforeAll(async () => {
    t = await createTestApp(dialect, { consultationPowBits: 6, consultationRateLimitPerHour: 1000 });
    c = await council(t.deps);
    as = Object.fromEntries(Object.entries(c).map(([k, p]) => [k, client(t.app, p)])) as Record<keyof Council, TokenClient>;
  });
  afterAll(() => t.close());

  const errorOf = (res: LightMyRequestResponse) => (res.json() as ErrorBody).error;
  function expectError(res: LightMyRequestResponse, status: number, code: string) {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toContain('application/json');
    expect(errorOf(res).code).toBe(code);
  }
  const count = async () => (await t.deps.store.read.requests.consultations.list({ limit: 1000 })).length;

  async function challenge(): Promise<{ challenge: string; nonce: string }> {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/consultations/challenge' });
    expect(res.statusCode, res.body).toBe(200);
    const ch = res.json() as { challenge: string; difficulty: number };
    return { challenge: ch.challenge, nonce: solveChallenge(ch.challenge, ch.difficulty) };
  }
  const post = (payload: object, headers: Record<string, string> = {}) => t.app.inject({ method: 'POST', url: '/api/v1/consultations', payload, headers });
  async function consult(): Promise<{ token: string; id: string }> {
    const res = await post({ ...form, ...(await challenge()) });
    expect(res.statusCode, res.body).toBe(201);
    const { token } = res.json() as { token: string };
    const list = (await as.type1.request({ method: 'GET', url: '/api/v1/consultations?limit=1' })).json() as { items: { id: string }[] };
    return { token, id: list.items[0]?.id as string };
  }
  const link = (token: string) => t.app.inject({ method: 'GET', url: `/api/v1/consultations/private/${token}` });

  describe('the public form', () => {
    it('gives a signed challenge with the configured difficulty', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/consultations/challenge' });
      expect(res.statusCode).toBe(200);
      const ch = res.json() as { challenge: string; difficulty: number; expiresAt: string; algorithm: string };
      expect(ch).toMatchObject({ difficulty: 6, algorithm: 'sha256-leading-zero-bits' });
      expect(ch.challenge).toMatch(/^v1\.6\.\d+\.[\w-]+\.[\w-]+$/);
      expect(new Date(ch.expiresAt).getTime()).toBe(t.deps.now().getTime() + CHALLENGE_TTL_MS);
    });

    it('takes a consultation with a solved challenge and gives the private link token once', async () => {
      const before = await count();
      const res = await post({ ...form, ...(await challenge()) });
      expect(res.statusCode, res.body).toBe(201);
      const { token } = res.json() as { token: string };
      expect(Object.keys(res.json() as object)).toEqual(['token']);
      expect(await count()).toBe(before + 1);
      const view = await link(token);
      expect(view.statusCode).toBe(200);
      expect(view.json()).toMatchObject({ name: 'Alice Walker', email: form.email, observables: [{ type: 'url', value: 'https://pay-secure.example/checkout' }], widened: false });
    });

    it('refuses a missing, wrong, reused or expired challenge, in the sender’s language, storing nothing', async () => {
      const before = await count();
      const missing = await post(form);
      expectError(missing, 400, 'invalid_input');
      expect(errorOf(missing).details?.map((d) => d.path)).toEqual(expect.arrayContaining(['challenge', 'nonce']));
      expect(errorOf(missing).details?.[0]?.message).toBe('必須項目です。');
      const missingEn = await post(form, { 'accept-language': 'en-US,en;q=0.9' });
      expect(errorOf(missingEn).message).toBe('The input is not valid.');

      const ch = await challenge();
      const tampered = ch.challenge.slice(0, -2) + (ch.challenge.endsWith('AA') ? 'BB' : 'AA');
      const forged = await post({ ...form, challenge: tampered, nonce: ch.nonce });
      expectError(forged, 400, 'challenge_invalid');
      expect(errorOf(forged).message).toContain('計算課題');
      let wrong = 0;
      const { powHash, leadingZeroBits } = await import('../core/sharing/consultations.js');
      while (leadingZeroBits(powHash(ch.challenge, `w${wrong}`)) >= 6) wrong++;
      const bad = await post({ ...form, challenge: ch.challenge, nonce: `w${wrong}` }, { 'accept-language': 'en' });
      expectError(bad, 400, 'pow_invalid');
      expect(errorOf(bad).message).toBe('The answer to the challenge is not correct.');

      expect((await post({ ...form, ...ch })).statusCode).toBe(201);
      const reused = await post({ ...form, ...ch });
      expectError(reused, 409, 'challenge_used');
      expect(errorOf(reused).message).toBe('この計算課題はすでに使われています。もう一度送信してください。');

      const old = await challenge();
      t.deps.clock.advance(CHALLENGE_TTL_MS + 1);
      expectError(await post({ ...form, ...old }), 400, 'challenge_expired');
      expectError(await post({ ...form, ...(await challenge()), email: 'not an e-mail' }), 400, 'invalid_input');
      expectError(await post({ ...form, ...(await challenge()), observables: [{ type: 'cve', value: 'CVE-24' }] }), 400, 'invalid_observable');
      expect(await count()).toBe(before + 1);
    });
  });

  describe('the private link', () => {
    it('a wrong token is not found; the consulter follows up and consents', async () => {
      const { token } = await consult();
      const wrong = await link('A'.repeat(43));
      expectError(wrong, 404, 'not_found');
      expectError(await link('short'), 400, 'invalid_input');
      const msg = await t.app.inject({ method: 'POST', url: `/api/v1/consultations/private/${token}/messages`, payload: { body: 'The page also asks for card numbers.' } });
      expect(msg.statusCode, msg.body).toBe(200);
      expect((msg.json() as { messages: { from: string }[] }).messages).toEqual([expect.objectContaining({ from: 'consulter' })]);
      expectError(await t.app.inject({ method: 'POST', url: `/api/v1/consultations/private/${token}/messages`, payload: { body: '' } }), 400, 'invalid_input');
      const consent = await t.app.inject({ method: 'PUT', url: `/api/v1/consultations/private/${token}/consent`, payload: { consent: true } });
      expect(consent.statusCode, consent.body).toBe(200);
      expect(consent.json()).toMatchObject({ consent: { given: true } });
      expectError(await t.app.inject({ method: 'PUT', url: `/api/v1/consultations/private/${'B'.repeat(43)}/consent`, payload: { consent: true } }), 404, 'not_found');
    });
  });

  describe('the Type 1 group and the wider council', () => {
    const summary = 'An online shop redirects customers to a fake payment page at pay-secure.example. Have you seen this?';

    it('only the Type 1 group sees consultations; its answers appear on the link', async () => {
      const { token, id } = await consult();
      for (const who of [as.general, as.type2, as.secretariat]) {
        expectError(await who.request({ method: 'GET', url: '/api/v1/consultations' }), 403, 'forbidden');
        expectError(await who.request({ method: 'GET', url: `/api/v1/consultations/${id}` }), 404, 'not_found');
      }
      expectError(await t.app.inject({ method: 'GET', url: '/api/v1/consultations' }), 401, 'unauthenticated');
      const detail = await as.designated.request({ method: 'GET', url: `/api/v1/consultations/${id}` });
      expect(detail.statusCode).toBe(200);
      expect(detail.json()).toMatchObject({ name: 'Alice Walker', email: form.email });
      const answer = await as.type1.request({ method: 'POST', url: `/api/v1/consultations/${id}/messages`, payload: { body: 'Take the shop offline and check the payment plugin.' } });
      expect(answer.statusCode, answer.body).toBe(200);
      const view = (await link(token)).json() as { messages: { from: string; body: string }[] };
      expect(view.messages).toEqual([{ id: expect.any(String), from: 'council', body: 'Take the shop offline and check the payment plugin.', createdAt: expect.any(String) }]);
      const ledger = await as.type1.request({ method: 'GET', url: '/api/v1/ledger/mine' });
      expect((ledger.json() as { totals: Record<string, number> }).totals.consultation_answered).toBeGreaterThanOrEqual(1);
    });

    it('widening is refused before consent and allowed after; members see the summary only and answer; the Type 1 group relays', async () => {
      const { token, id } = await consult();
      const widen = (payload: object) => as.type1.request({ method: 'POST', url: `/api/v1/consultations/${id}/widen`, payload });
      const early = await widen({ summary });
      expectError(early, 409, 'consent_required');
      expect(errorOf(early).message).toBe('相談者の同意がないため、第二類構成員・一般の構成員に照会することはできません。');
      expectError(await as.general.request({ method: 'GET', url: `/api/v1/consultations/questions/${id}` }), 404, 'not_found');

      await t.app.inject({ method: 'PUT', url: `/api/v1/consultations/private/${token}/consent`, payload: { consent: true } });
      expectError(await widen({ summary: 'Alice from the bakery asks…' }), 400, 'text_identifies_consulter');
      const ok = await widen({ summary });
      expect(ok.statusCode, ok.body).toBe(200);

      for (const who of [as.general, as.type2]) {
        const list = await who.request({ method: 'GET', url: '/api/v1/consultations/questions' });
        expect(list.statusCode).toBe(200);
        const one = await who.request({ method: 'GET', url: `/api/v1/consultations/questions/${id}` });
        expect(one.json()).toMatchObject({ id, summary, stage: 'members' });
        for (const text of [list.body, one.body]) for (const secret of ['Alice', 'Walker', 'walker-bakery', 'strange payment page']) expect(text).not.toContain(secret);
      }
      const answer = await as.general.request({ method: 'POST', url: `/api/v1/consultations/questions/${id}/answers`, payload: { body: 'We saw the same skimmer last week; it came in through an old plugin.' } });
      expect(answer.statusCode, answer.body).toBe(201);
      expect((answer.json() as { myAnswers: unknown[] }).myAnswers).toHaveLength(1);
      expect(((await link(token)).json() as { messages: unknown[] }).messages).toEqual([]);

      const detail = (await as.type1.request({ method: 'GET', url: `/api/v1/consultations/${id}` })).json() as { messages: { id: string; author: string }[] };
      const memberMessage = detail.messages.find((m) => m.author === 'member');
      const relay = await as.type1.request({ method: 'POST', url: `/api/v1/consultations/${id}/messages/${memberMessage?.id}/relay` });
      expect(relay.statusCode, relay.body).toBe(200);
      const view = (await link(token)).json() as { messages: { from: string; body: string }[] };
      expect(view.messages).toEqual([expect.objectContaining({ from: 'council_member', body: 'We saw the same skimmer last week; it came in through an old plugin.' })]);
      expect(JSON.stringify(view)).not.toContain('一般市役所');
      expectError(await t.app.inject({ method: 'PUT', url: `/api/v1/consultations/private/${token}/consent`, payload: { consent: false } }), 409, 'consent_in_use');
    });

    it('turns a consultation into a report of the converting organisation', async () => {
      const { id } = await consult();
      const payload = { title: 'Payment-page skimming (consultation)', description: 'A small shop’s checkout redirects to pay-secure.example.', kind: 'phishing', certainty: 'likely' };
      expectError(await as.general.request({ method: 'POST', url: `/api/v1/consultations/${id}/report`, payload }), 404, 'not_found');
      const res = await as.type1.request({ method: 'POST', url: `/api/v1/consultations/${id}/report`, payload });
      expect(res.statusCode, res.body).toBe(201);
      const { reportId } = res.json() as { reportId: string };
      const report = await as.type1.request({ method: 'GET', url: `/api/v1/reports/${reportId}` });
      expect(report.json()).toMatchObject({ report: { isConsultation: true, own: true, stage: 'type1' }, observables: [{ type: 'url', value: 'https://pay-secure.example/checkout' }] });
      expectError(await as.type1.request({ method: 'POST', url: `/api/v1/consultations/${id}/report`, payload }), 409, 'consultation_already_converted');
      expect(((await as.type1.request({ method: 'GET', url: `/api/v1/consultations/${id}` })).json() as { reportId: string }).reportId).toBe(reportId);
      const closed = await as.type1.request({ method: 'PATCH', url: `/api/v1/consultations/${id}`, payload: { status: 'closed' } });
      expect(closed.json()).toMatchObject({ status: 'closed' });
    });
  });
});

describe.each(dialects)('consultation rate limit on %s', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(dialect, { consultationPowBits: 4, consultationRateLimitPerHour: 2 });
  });
  afterAll(() => t.close());

  it('answers 429 after the hourly number of consultations from one address', async () => {
    const send = async () => {
      const ch = (await t.app.inject({ method: 'GET', url: '/api/v1/consultations/challenge' })).json() as { challenge: string; difficulty: number };
      return t.app.inject({ method: 'POST', url: '/api/v1/consultations', payload: { ...form, challenge: ch.challenge, nonce: solveChallenge(ch.challenge, ch.difficulty) } });
    };
    expect((await send()).statusCode).toBe(201);
    expect((await send()).statusCode).toBe(201);
    const limited = await send();
    expect(limited.statusCode).toBe(429);
    expect((limited.json() as ErrorBody).error).toMatchObject({ code: 'rate_limited', message: 'リクエストが多すぎます。しばらくしてから再度お試しください。' });
    expect((await t.deps.store.read.requests.consultations.list({ limit: 10 })).length).toBe(2);
    // Another address is not affected.
    const ch = (await t.app.inject({ method: 'GET', url: '/api/v1/consultations/challenge' })).json() as { challenge: string; difficulty: number };
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/v1/consultations',
      remoteAddress: '198.51.100.20',
      payload: { ...form, challenge: ch.challenge, nonce: solveChallenge(ch.challenge, ch.difficulty) },
    });
    expect(other.statusCode).toBe(201);
  });
});
