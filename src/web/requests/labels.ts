/** Option lists and colours of information requests, consultations and the ledger (values from requests-model.ts). */
import type { ConsultationStatus, LedgerKind, RequestAudience, RequestState, WidenStage } from './api.js';

export const requestStates = ['outstanding', 'open', 'all'] as const satisfies readonly RequestState[];
export const requestAudiences = ['general', 'all'] as const satisfies readonly RequestAudience[];
export const consultationStatuses = ['open', 'closed'] as const satisfies readonly ConsultationStatus[];
export const widenStages = ['type2', 'members'] as const satisfies readonly WidenStage[];
export const ledgerKinds = [
  'report',
  'original',
  'analysis',
  'corroboration',
  'feedback_on_time',
  'feedback_late',
  'request_answered',
  'request_late',
  'request_refused',
  'consultation_answered',
] as const satisfies readonly LedgerKind[];

export const ledgerKindColor: Record<LedgerKind, string> = {
  report: 'indigo.6',
  original: 'grape.6',
  analysis: 'violet.6',
  corroboration: 'blue.5',
  feedback_on_time: 'teal.6',
  feedback_late: 'teal.3',
  request_answered: 'orange.6',
  request_late: 'orange.3',
  request_refused: 'gray.5',
  consultation_answered: 'cyan.6',
};

/** What a ledger entry opens: reports, countermeasure information, requests, consultations. */
export function ledgerItemPath(kind: LedgerKind, itemId: string, opts: { own: boolean; type1: boolean; status: boolean }): string | undefined {
  switch (kind) {
    case 'report':
    case 'original':
    case 'analysis':
    case 'corroboration':
      return `/reports/${itemId}`;
    case 'feedback_on_time':
    case 'feedback_late':
      return `/advisories/${itemId}`;
    case 'request_answered':
    case 'request_late':
    case 'request_refused':
      return opts.own ? `/info-requests/${itemId}` : opts.status ? `/info-requests/${itemId}/status` : undefined;
    case 'consultation_answered':
      return opts.type1 ? `/consultations/${itemId}` : opts.own ? `/consultations/questions/${itemId}` : undefined;
  }
}
