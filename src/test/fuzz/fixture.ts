/**
 * What the fuzz test sends its requests into: a council (src/test/sharing-council.ts) signed in through the real
 * sign-in route, and one of most things — a report with an attachment and a comment, countermeasure information
 * released to the Type 1 group, a consultation with an answer, a campaign with an information request, a period, an
 * application, a rulebook, an API token — so that generated requests can name things that exist and get past "not
 * found" into the use cases.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { submitConsultation, issueChallenge } from '../../core/sharing/consultations.js';
import { ADMIN_PASSWORD, createTestApp, type Client, type TestApp } from '../http.js';
import { createSignedInCouncil, type SignedInCouncil, type UserKey } from '../sharing-council.js';
import type { Dialect } from '../../store/index.js';

/** Who sends the generated requests: the secretariat's administrator, Type 1 and general members, and nobody. */
export const fuzzPrincipals = ['admin', 'type1', 'general', 'none', 'anonymous'] as const;
export type FuzzPrincipal = (typeof fuzzPrincipals)[number];

export interface FuzzFixture {
  t: TestApp;
  /** Values that exist, by path-parameter name (`id`, `messageId`, `token`, `number`). */
  known: Record<string, string[]>;
  /** The signed-in client of a principal (signing in again if its session was ended by an earlier request). */
  client(p: FuzzPrincipal): Promise<Client | undefined>;
  close(): Promise<void>;
}

function ok(res: LightMyRequestResponse, what: string): LightMyRequestResponse {
  if (res.statusCode >= 300) throw new Error(`fuzz fixture: ${what} failed: ${res.statusCode} ${res.body}`);
  return res;
}

export async function createFuzzFixture(dialect: Dialect): Promise<FuzzFixture> {
  const t = await createTestApp(dialect, { consultationPowBits: 0 });
  const council: SignedInCouncil = await createSignedInCouncil(t);
  let admin: Client | undefined = await t.signIn('admin', ADMIN_PASSWORD);
  const ids: string[] = [];
  const known: Record<string, string[]> = { id: ids, messageId: [], token: [], number: [] };
  const send = async (c: Client, opts: InjectOptions, what: string) => ok(await c.request(opts), what).json<Record<string, unknown>>();

  const general = await council.as('general');
  const type1 = await council.as('type1');
  ids.push(...Object.values(council.orgs).map((o) => o.id), ...Object.values(council.users).map((u) => u.id));

  const report = await send(general, { method: 'POST', url: '/api/v1/reports', payload: { title: '不審な通信', description: '社内端末から不審な通信。', kind: 'incident', certainty: 'suspected', observables: [{ type: 'ipv4', value: '198.51.100.9' }] } }, 'report');
  const reportId = report.id as string;
  const boundary = 'fuzzfixture';
  const file = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="log.txt"\r\nContent-Type: text/plain\r\n\r\nlog line\r\n--${boundary}--\r\n`;
  const attachment = await send(general, { method: 'POST', url: `/api/v1/reports/${reportId}/attachments`, payload: file, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }, 'attachment');
  ok(await type1.request({ method: 'POST', url: `/api/v1/reports/${reportId}/comments`, payload: { body: '分析中' } }), 'comment');
  const advisory = await send(type1, { method: 'POST', url: '/api/v1/advisories', payload: { title: '対策情報', summary: '概要', threat: '脅威', actions: '対策', sourceReportId: reportId } }, 'advisory');
  ok(await type1.request({ method: 'POST', url: `/api/v1/advisories/${advisory.id as string}/releases`, payload: { to: 'type1' } }), 'release');
  ids.push(reportId, attachment.id as string, advisory.id as string);

  const campaign = await send(admin, { method: 'POST', url: '/api/v1/campaigns', payload: { title: '大規模攻撃', description: '状況' } }, 'campaign');
  const request = await send(admin, { method: 'POST', url: `/api/v1/campaigns/${campaign.id as string}/requests`, payload: { title: '依頼', body: '観測の有無', deadline: '2026-04-03T00:00:00+09:00', audience: 'all' } }, 'information request');
  ids.push(campaign.id as string, request.id as string);

  const challenge = await issueChallenge(t.deps, 0);
  const consultation = await submitConsultation(
    t.deps,
    { challenge: challenge.challenge, nonce: '0', name: '相談 花子', email: 'hanako@example.jp', body: '不審なメールが届きました。', observables: [] },
    { minDifficulty: 0, locale: 'ja' },
    { ip: null, userAgent: null },
  );
  known.token?.push(consultation.token);
  const consultationId = (await t.deps.store.read.requests.consultations.list({ limit: 1 }))[0]?.id as string;
  const detail = await send(type1, { method: 'POST', url: `/api/v1/consultations/${consultationId}/messages`, payload: { body: 'ご相談ありがとうございます。' } }, 'consultation answer');
  ids.push(consultationId);
  known.messageId?.push(...(detail.messages as { id: string }[]).map((m) => m.id));

  await send(admin, { method: 'POST', url: '/api/v1/periods', payload: { number: 1, opensAt: '2026-03-01T10:00:00+09:00', closesAt: '2026-04-30T18:00:00+09:00' } }, 'period');
  known.number?.push('1');
  const application = await t.app.inject({
    method: 'POST',
    url: '/api/v1/applications',
    payload: { nameJa: '株式会社ファズ', nameEn: 'Fuzz Inc.', category: 'cyber_business', foreignCapital: false, requestedClass: 'general', contacts: [{ name: '検査 太郎', email: 'taro@fuzz.example.jp', phone: '03-0000-0000' }], reason: '参加のため', rosterConsent: true },
  });
  const applied = ok(application, 'application').json<{ application: { id: string }; accessToken: string }>();
  ids.push(applied.application.id);
  known.token?.push(applied.accessToken);
  const rulebook = await send(admin, { method: 'POST', url: '/api/v1/rulebooks', payload: { kind: 'council_rules', bodyMd: '# 規約', effectiveAt: '2026-05-01T00:00:00+09:00' } }, 'rulebook');
  const token = await send(type1, { method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'fuzz' } }, 'token');
  ids.push(rulebook.id as string, (token.apiToken as { id: string }).id);

  const alive = async (c: Client | undefined) => c !== undefined && (await c.request({ method: 'GET', url: '/api/v1/session' })).statusCode === 200;
  const councilKey: Record<Exclude<FuzzPrincipal, 'admin' | 'anonymous'>, UserKey> = { type1: 'type1', general: 'general', none: 'none' };
  return {
    t,
    known,
    async client(p) {
      if (p === 'anonymous') return undefined;
      // An earlier request may have signed the principal out, changed its password or deactivated its account:
      // sign in again, or go on without credentials.
      if (p === 'admin') {
        if (!(await alive(admin))) admin = await t.signIn('admin', ADMIN_PASSWORD).catch(() => undefined);
        return admin;
      }
      const c = await council.as(councilKey[p]);
      if (await alive(c)) return c;
      return council.signInAgain(councilKey[p]).catch(() => undefined);
    },
    close: () => t.close(),
  };
}
