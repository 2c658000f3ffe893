/**
 * Large-scale attack mode and information requests (大規模サイバー攻撃時・情報提供依頼), non-member consultations
 * (構成員でない方からの相談) and the give-and-take ledger (ギブアンドテイク). Thin: parse → use case → answer.
 */
import { z } from 'zod';
import { page } from '../../core/model.js';
import * as consultations from '../../core/sharing/consultations.js';
import { ledgerRanking, orgLedger } from '../../core/sharing/ledger.js';
import * as requests from '../../core/sharing/requests.js';
import {
  Campaign,
  CampaignCreate,
  CampaignEnd,
  CampaignStatus,
  ConsentInput,
  ConsultationCreate,
  ConsultationCreated,
  ConsultationDetail,
  ConsultationQuestion,
  ConsultationStatus,
  ConsultationSummary,
  ConsulterView,
  ConvertInput,
  InfoRequest,
  InfoRequestCreate,
  InfoRequestSummary,
  LedgerPeriod,
  LedgerRanking,
  MessageInput,
  OrgLedger,
  PowChallenge,
  ReceivedRequest,
  RequestAnswer,
  RequestAnswerInput,
  RequestState,
  RequestStatusView,
  WidenInput,
} from '../../core/sharing/requests-model.js';
import { errors, IdParams, type App } from './types.js';

const Cursor = z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });
const TokenParams = z.object({ token: z.string().min(20).max(200) });
const MessageParams = z.object({ id: z.uuid(), messageId: z.uuid() });

/** Private links are bearer secrets: limit guessing (the token has 256 random bits anyway). */
const LINK_RATE_LIMIT_PER_MINUTE = 30;
const CHALLENGE_RATE_LIMIT_PER_MINUTE = 30;

export function requestRoutes(app: App): void {
  const deps = app.deps;
  const powBits = app.config.consultationPowBits ?? consultations.DEFAULT_POW_BITS;
  const perHour = app.config.consultationRateLimitPerHour ?? 10;
  const linkLimit = { rateLimit: { max: LINK_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } };

  // ------------------------------------------------------------ large-scale attack mode
  {
    const tags = ['campaigns'];
    app.post(
      '/api/v1/campaigns',
      { schema: { tags, summary: '大規模サイバー攻撃時モードの宣言 / Declare large-scale attack mode', body: CampaignCreate, response: { 201: Campaign, ...errors } } },
      async (req, reply) => reply.code(201).send(await requests.declareCampaign(deps, req.actor, req.body, req.meta)),
    );
    app.get(
      '/api/v1/campaigns',
      { schema: { tags, querystring: Cursor.extend({ status: CampaignStatus.optional() }), response: { 200: page(Campaign), ...errors } } },
      (req) => requests.listCampaigns(deps, req.actor, req.query),
    );
    app.get(
      '/api/v1/campaigns/:id',
      { schema: { tags, params: IdParams, response: { 200: Campaign, ...errors } } },
      (req) => requests.getCampaign(deps, req.actor, req.params.id),
    );
    app.post(
      '/api/v1/campaigns/:id/end',
      { schema: { tags, summary: '大規模サイバー攻撃時モードの終了 / End large-scale attack mode', params: IdParams, body: CampaignEnd.default({}), response: { 200: Campaign, ...errors } } },
      (req) => requests.endCampaign(deps, req.actor, req.params.id, req.body, req.meta),
    );
    app.post(
      '/api/v1/campaigns/:id/requests',
      { schema: { tags, summary: '情報提供依頼 / Issue an information request', params: IdParams, body: InfoRequestCreate, response: { 201: InfoRequest, ...errors } } },
      async (req, reply) => reply.code(201).send(await requests.issueRequest(deps, req.actor, req.params.id, req.body, req.meta)),
    );
  }

  // ------------------------------------------------------------ information requests
  {
    const tags = ['info-requests'];
    app.get(
      '/api/v1/info-requests',
      {
        schema: {
          tags,
          summary: 'Every request with answer counts (secretariat, designated corporation)',
          querystring: Cursor.extend({ campaignId: z.uuid().optional() }),
          response: { 200: page(InfoRequestSummary), ...errors },
        },
      },
      (req) => requests.listRequests(deps, req.actor, req.query),
    );
    app.get(
      '/api/v1/info-requests/mine',
      {
        schema: {
          tags,
          summary: '自組織宛ての情報提供依頼 / Requests addressed to my organisation (default: outstanding)',
          querystring: Cursor.extend({ state: RequestState.default('outstanding') }),
          response: { 200: page(ReceivedRequest), ...errors },
        },
      },
      (req) => requests.myRequests(deps, req.actor, req.query),
    );
    app.get(
      '/api/v1/info-requests/:id',
      { schema: { tags, params: IdParams, response: { 200: ReceivedRequest, ...errors } } },
      (req) => requests.getRequest(deps, req.actor, req.params.id, req.meta),
    );
    app.put(
      '/api/v1/info-requests/:id/answer',
      {
        schema: {
          tags,
          summary: '回答、または正当な理由による提供の辞退 / Answer, or decline with a justified reason',
          params: IdParams,
          body: RequestAnswerInput,
          response: { 200: RequestAnswer, ...errors },
        },
      },
      (req) => requests.answerRequest(deps, req.actor, req.params.id, req.body, req.meta),
    );
    app.get(
      '/api/v1/info-requests/:id/status',
      { schema: { tags, summary: 'Who answered, refused (with reason) or is missing', params: IdParams, response: { 200: RequestStatusView, ...errors } } },
      (req) => requests.requestStatus(deps, req.actor, req.params.id, req.meta),
    );
    app.post(
      '/api/v1/info-requests/:id/close',
      { schema: { tags, params: IdParams, response: { 200: InfoRequest, ...errors } } },
      (req) => requests.closeRequest(deps, req.actor, req.params.id, req.meta),
    );
  }

  // ------------------------------------------------------------ consultations: the public form and the private link
  {
    const tags = ['consultations'];
    app.get(
      '/api/v1/consultations/challenge',
      {
        config: { rateLimit: { max: CHALLENGE_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'Proof-of-work challenge for the consultation form: find a nonce with sha256(challenge + nonce) starting with `difficulty` zero bits',
          security: [],
          response: { 200: PowChallenge, ...errors },
        },
      },
      () => consultations.issueChallenge(deps, powBits),
    );
    app.post(
      '/api/v1/consultations',
      {
        config: { rateLimit: { max: perHour, timeWindow: '1 hour' } },
        schema: {
          tags,
          summary: '構成員でない方からの相談 (public) / Consultation from a non-member',
          security: [],
          body: ConsultationCreate,
          response: { 201: ConsultationCreated, ...errors },
        },
      },
      async (req, reply) =>
        reply.code(201).send(await consultations.submitConsultation(deps, req.body, { minDifficulty: powBits, locale: req.locale }, req.meta)),
    );
    app.get(
      '/api/v1/consultations/private/:token',
      { config: linkLimit, schema: { tags, summary: 'The consulter’s private link', security: [], params: TokenParams, response: { 200: ConsulterView, ...errors } } },
      (req) => consultations.viewByToken(deps, req.params.token),
    );
    app.post(
      '/api/v1/consultations/private/:token/messages',
      { config: linkLimit, schema: { tags, security: [], params: TokenParams, body: MessageInput, response: { 200: ConsulterView, ...errors } } },
      (req) => consultations.postByToken(deps, req.params.token, req.body.body, req.meta),
    );
    app.put(
      '/api/v1/consultations/private/:token/consent',
      {
        config: linkLimit,
        schema: { tags, summary: '同意 / Consent to asking the wider council', security: [], params: TokenParams, body: ConsentInput, response: { 200: ConsulterView, ...errors } },
      },
      (req) => consultations.consentByToken(deps, req.params.token, req.body.consent, req.meta),
    );
  }

  // ------------------------------------------------------------ consultations: the wider council (members)
  {
    const tags = ['consultations'];
    app.get(
      '/api/v1/consultations/questions',
      { schema: { tags, summary: 'Consultations the members are asked about (summary only)', querystring: Cursor, response: { 200: page(ConsultationQuestion), ...errors } } },
      (req) => consultations.listQuestions(deps, req.actor, req.query),
    );
    app.get(
      '/api/v1/consultations/questions/:id',
      { schema: { tags, params: IdParams, response: { 200: ConsultationQuestion, ...errors } } },
      (req) => consultations.getQuestion(deps, req.actor, req.params.id, req.meta),
    );
    app.post(
      '/api/v1/consultations/questions/:id/answers',
      { schema: { tags, params: IdParams, body: MessageInput, response: { 201: ConsultationQuestion, ...errors } } },
      async (req, reply) => reply.code(201).send(await consultations.answerQuestion(deps, req.actor, req.params.id, req.body.body, req.meta)),
    );
  }

  // ------------------------------------------------------------ consultations: the Type 1 group
  {
    const tags = ['consultations'];
    app.get(
      '/api/v1/consultations',
      { schema: { tags, summary: 'Consultations (Type 1 group)', querystring: Cursor.extend({ status: ConsultationStatus.optional() }), response: { 200: page(ConsultationSummary), ...errors } } },
      (req) => consultations.listConsultations(deps, req.actor, req.query),
    );
    app.get(
      '/api/v1/consultations/:id',
      { schema: { tags, params: IdParams, response: { 200: ConsultationDetail, ...errors } } },
      (req) => consultations.getConsultation(deps, req.actor, req.params.id, req.meta),
    );
    app.patch(
      '/api/v1/consultations/:id',
      { schema: { tags, params: IdParams, body: z.object({ status: ConsultationStatus }), response: { 200: ConsultationDetail, ...errors } } },
      (req) => consultations.setConsultationStatus(deps, req.actor, req.params.id, req.body.status, req.meta),
    );
    app.post(
      '/api/v1/consultations/:id/messages',
      { schema: { tags, summary: 'Answer the consulter', params: IdParams, body: MessageInput, response: { 200: ConsultationDetail, ...errors } } },
      (req) => consultations.answerConsultation(deps, req.actor, req.params.id, req.body.body, req.meta),
    );
    app.post(
      '/api/v1/consultations/:id/widen',
      { schema: { tags, summary: 'Ask the wider council (after the consulter’s consent)', params: IdParams, body: WidenInput, response: { 200: ConsultationDetail, ...errors } } },
      (req) => consultations.widenConsultation(deps, req.actor, req.params.id, req.body, req.meta),
    );
    app.post(
      '/api/v1/consultations/:id/messages/:messageId/relay',
      { schema: { tags, summary: 'Pass a member’s answer on to the consulter', params: MessageParams, response: { 200: ConsultationDetail, ...errors } } },
      (req) => consultations.relayAnswer(deps, req.actor, req.params.id, req.params.messageId, req.meta),
    );
    app.post(
      '/api/v1/consultations/:id/report',
      { schema: { tags, summary: 'Turn into a report', params: IdParams, body: ConvertInput, response: { 201: z.object({ reportId: z.string() }), ...errors } } },
      async (req, reply) => reply.code(201).send(await consultations.convertConsultation(deps, req.actor, req.params.id, req.body, req.meta)),
    );
  }

  // ------------------------------------------------------------ give and take
  {
    const tags = ['ledger'];
    app.get(
      '/api/v1/ledger/mine',
      { schema: { tags, summary: 'ギブアンドテイク：自組織 / My organisation’s ledger', querystring: Cursor.extend(LedgerPeriod.shape), response: { 200: OrgLedger, ...errors } } },
      (req) => orgLedger(deps, req.actor, req.actor.kind === 'user' ? req.actor.orgId : '', req.query, req.meta),
    );
    app.get(
      '/api/v1/ledger/orgs/:id',
      { schema: { tags, summary: 'One organisation’s ledger (committee, secretariat)', params: IdParams, querystring: Cursor.extend(LedgerPeriod.shape), response: { 200: OrgLedger, ...errors } } },
      (req) => orgLedger(deps, req.actor, req.params.id, req.query, req.meta),
    );
    app.get(
      '/api/v1/ledger/ranking',
      { schema: { tags, summary: 'Ranking for a period (committee, secretariat); default: the last year', querystring: LedgerPeriod, response: { 200: LedgerRanking, ...errors } } },
      (req) => ledgerRanking(deps, req.actor, req.query, req.meta),
    );
  }
}
