/**
 * Client of large-scale attack mode and information requests (/api/v1/campaigns, /api/v1/info-requests),
 * consultations (/api/v1/consultations, public and for the council) and the give-and-take ledger (/api/v1/ledger).
 * Shapes come from src/core/sharing/requests-model.ts.
 */
import type { Observable } from '../../core/sharing/model.js';
import type {
  Campaign,
  CampaignStatus,
  ConsultationDetail,
  ConsultationQuestion,
  ConsultationStatus,
  ConsultationSummary,
  ConsulterView,
  ConvertInput,
  InfoRequest,
  InfoRequestSummary,
  LedgerKind,
  LedgerRanking,
  LedgerTotals,
  OrgLedger,
  PowChallenge,
  ReceivedRequest,
  RequestAnswer,
  RequestAnswerKind,
  RequestAudience,
  RequestState,
  RequestStatusView,
  WidenStage,
} from '../../core/sharing/requests-model.js';
import { request, type Page } from '../api.js';

export type {
  Campaign,
  CampaignStatus,
  ConsultationDetail,
  ConsultationQuestion,
  ConsultationStatus,
  ConsultationSummary,
  ConsulterView,
  InfoRequest,
  InfoRequestSummary,
  LedgerKind,
  LedgerRanking,
  LedgerTotals,
  OrgLedger,
  PowChallenge,
  ReceivedRequest,
  RequestAnswer,
  RequestAnswerKind,
  RequestAudience,
  RequestState,
  RequestStatusView,
  WidenStage,
};

export type CouncilMessage = ConsultationDetail['messages'][number];
export type ConsulterMessage = ConsulterView['messages'][number];
export type LedgerEntry = OrgLedger['items'][number];
export type RankingRow = LedgerRanking['items'][number];

export interface IssueRequestInput {
  title: string;
  body: string;
  /** ISO 8601 with offset. */
  deadline: string;
  audience: RequestAudience;
}

export interface AnswerInput {
  kind: RequestAnswerKind;
  text?: string;
  reason?: string;
  observables?: Observable[];
}

export interface ConsultationInput {
  challenge: string;
  nonce: string;
  name: string;
  organization?: string;
  email: string;
  body: string;
  locale?: 'ja' | 'en';
  observables?: Observable[];
}

export interface WidenRequest {
  summary: string;
  stage: WidenStage;
  confirmFlags: string[];
}

export type ConvertRequest = Pick<ConvertInput, 'title' | 'description' | 'kind' | 'certainty'> & Partial<Omit<ConvertInput, 'title' | 'description' | 'kind' | 'certainty'>>;

export interface Period {
  from?: string | undefined;
  to?: string | undefined;
}

const enc = encodeURIComponent;

export const requestsApi = {
  // Large-scale attack mode
  listCampaigns: (q: { status?: CampaignStatus | undefined; cursor?: string | undefined; limit?: number }) =>
    request<Page<Campaign>>('GET', '/campaigns', { query: { status: q.status, cursor: q.cursor, limit: q.limit ?? 50 } }),
  getCampaign: (id: string) => request<Campaign>('GET', `/campaigns/${enc(id)}`),
  declareCampaign: (body: { title: string; description: string }) => request<Campaign>('POST', '/campaigns', { body }),
  endCampaign: (id: string, note?: string) => request<Campaign>('POST', `/campaigns/${enc(id)}/end`, { body: note ? { note } : {} }),
  issueRequest: (campaignId: string, body: IssueRequestInput) => request<InfoRequest>('POST', `/campaigns/${enc(campaignId)}/requests`, { body }),

  // Information requests
  listRequests: (q: { campaignId?: string | undefined; cursor?: string | undefined; limit?: number }) =>
    request<Page<InfoRequestSummary>>('GET', '/info-requests', { query: { campaignId: q.campaignId, cursor: q.cursor, limit: q.limit ?? 50 } }),
  myRequests: (q: { state: RequestState; cursor?: string | undefined; limit?: number }) =>
    request<Page<ReceivedRequest>>('GET', '/info-requests/mine', { query: { state: q.state, cursor: q.cursor, limit: q.limit ?? 50 } }),
  getRequest: (id: string) => request<ReceivedRequest>('GET', `/info-requests/${enc(id)}`),
  answerRequest: (id: string, body: AnswerInput) => request<RequestAnswer>('PUT', `/info-requests/${enc(id)}/answer`, { body }),
  requestStatus: (id: string) => request<RequestStatusView>('GET', `/info-requests/${enc(id)}/status`),
  closeRequest: (id: string) => request<InfoRequest>('POST', `/info-requests/${enc(id)}/close`),

  // Consultations: the public form and the consulter's private link
  challenge: () => request<PowChallenge>('GET', '/consultations/challenge'),
  submitConsultation: (body: ConsultationInput) => request<{ token: string }>('POST', '/consultations', { body }),
  viewPrivate: (token: string) => request<ConsulterView>('GET', `/consultations/private/${enc(token)}`),
  postPrivate: (token: string, body: string) => request<ConsulterView>('POST', `/consultations/private/${enc(token)}/messages`, { body: { body } }),
  consentPrivate: (token: string, consent: boolean) => request<ConsulterView>('PUT', `/consultations/private/${enc(token)}/consent`, { body: { consent } }),

  // Consultations: the Type 1 group
  listConsultations: (q: { status?: ConsultationStatus | undefined; cursor?: string | undefined; limit?: number }) =>
    request<Page<ConsultationSummary>>('GET', '/consultations', { query: { status: q.status, cursor: q.cursor, limit: q.limit ?? 50 } }),
  getConsultation: (id: string) => request<ConsultationDetail>('GET', `/consultations/${enc(id)}`),
  setConsultationStatus: (id: string, status: ConsultationStatus) => request<ConsultationDetail>('PATCH', `/consultations/${enc(id)}`, { body: { status } }),
  answerConsultation: (id: string, body: string) => request<ConsultationDetail>('POST', `/consultations/${enc(id)}/messages`, { body: { body } }),
  widen: (id: string, body: WidenRequest) => request<ConsultationDetail>('POST', `/consultations/${enc(id)}/widen`, { body }),
  relay: (id: string, messageId: string) => request<ConsultationDetail>('POST', `/consultations/${enc(id)}/messages/${enc(messageId)}/relay`),
  convert: (id: string, body: ConvertRequest) => request<{ reportId: string }>('POST', `/consultations/${enc(id)}/report`, { body }),

  // Consultations: the wider council
  listQuestions: (q: { cursor?: string | undefined; limit?: number }) =>
    request<Page<ConsultationQuestion>>('GET', '/consultations/questions', { query: { cursor: q.cursor, limit: q.limit ?? 50 } }),
  getQuestion: (id: string) => request<ConsultationQuestion>('GET', `/consultations/questions/${enc(id)}`),
  answerQuestion: (id: string, body: string) => request<ConsultationQuestion>('POST', `/consultations/questions/${enc(id)}/answers`, { body: { body } }),

  // Give and take
  myLedger: (q: Period & { cursor?: string | undefined; limit?: number }) =>
    request<OrgLedger>('GET', '/ledger/mine', { query: { from: q.from, to: q.to, cursor: q.cursor, limit: q.limit ?? 50 } }),
  orgLedger: (orgId: string, q: Period & { cursor?: string | undefined; limit?: number }) =>
    request<OrgLedger>('GET', `/ledger/orgs/${enc(orgId)}`, { query: { from: q.from, to: q.to, cursor: q.cursor, limit: q.limit ?? 50 } }),
  ranking: (q: Period) => request<LedgerRanking>('GET', '/ledger/ranking', { query: { from: q.from, to: q.to } }),
};
