/**
 * Client of the membership API (/api/v1/periods, applications, rosters, rulebooks, standing, statistics, settings).
 * Shapes come from src/core/membership/model.ts (types only: nothing of zod reaches the bundle).
 */
import type {
  ApplicantView,
  Application,
  ApplicationDetail,
  ApplicationEvent,
  ApplicationStatus,
  ApplicableClass,
  ApprovalResult,
  ChangeFields,
  ChangeNotification,
  ClassChangeRequest,
  CouncilSettings,
  MembershipEvent,
  MembershipStats,
  MembershipView,
  MyRulebooks,
  RecruitmentPeriod,
  RequestStatus,
  Roster,
  RosterEntry,
  RosterSummary,
  Rulebook,
  RulebookKind,
  RulebookSummary,
  StatClass,
} from '../../core/membership/model.js';
import type { Contact } from '../../core/model.js';
import { request, type Category, type Organization, type Page, type Sector, type User } from '../api.js';

export type {
  ApplicantView,
  Application,
  ApplicationDetail,
  ApplicationEvent,
  ApplicationStatus,
  ApplicableClass,
  ApprovalResult,
  ChangeFields,
  ChangeNotification,
  ClassChangeRequest,
  Contact,
  CouncilSettings,
  MembershipEvent,
  MembershipStats,
  MembershipView,
  MyRulebooks,
  RecruitmentPeriod,
  RequestStatus,
  Roster,
  RosterEntry,
  RosterSummary,
  Rulebook,
  RulebookKind,
  RulebookSummary,
  StatClass,
};

export interface ApplicationInput {
  nameJa: string;
  nameEn: string;
  category: Category;
  sector?: Sector | null;
  address?: string;
  foreignCapital: boolean;
  foreignCapitalShare?: number | null;
  requestedClass: ApplicableClass;
  contacts: Contact[];
  reason: string;
  capabilities?: string;
  quickFeedbackCommitment: boolean;
  rosterConsent: boolean;
  periodNumber?: number;
  locale?: 'ja' | 'en';
}

export interface SpecialApprovalInput {
  reason: string;
  at?: string;
}

const enc = encodeURIComponent;

export const membershipApi = {
  // Public
  periods: () => request<RecruitmentPeriod[]>('GET', '/periods'),
  roster: () => request<Roster>('GET', '/roster'),
  rosters: (cursor?: string) => request<Page<RosterSummary>>('GET', '/rosters', { query: { cursor, limit: 50 } }),
  rosterById: (id: string) => request<Roster & RosterSummary>('GET', `/rosters/${enc(id)}`),
  apply: (body: ApplicationInput) => request<{ application: ApplicantView; accessToken: string }>('POST', '/applications', { body }),
  status: (token: string) => request<ApplicantView>('GET', `/applications/status/${enc(token)}`),
  answer: (token: string, body: { message: string; corrections?: Partial<ApplicationInput> }) =>
    request<ApplicantView>('POST', `/applications/status/${enc(token)}/answer`, { body }),
  withdrawApplication: (token: string, reason?: string) =>
    request<ApplicantView>('POST', `/applications/status/${enc(token)}/withdraw`, { body: reason ? { reason } : {} }),
  passwordLink: (token: string) =>
    request<{ login: string; passwordSetupToken: string; expiresAt: string }>('POST', `/applications/status/${enc(token)}/password-link`),
  passwordSetupInfo: (token: string) => request<{ login: string; expiresAt: string }>('GET', `/password-setup/${enc(token)}`),
  setPassword: (body: { token: string; password: string }) => request<{ login: string }>('POST', '/password-setup', { body }),
  rulebooks: (kind?: RulebookKind) => request<{ current: RulebookSummary[]; items: RulebookSummary[] }>('GET', '/rulebooks', { query: { kind } }),
  rulebook: (id: string) => request<Rulebook>('GET', `/rulebooks/${enc(id)}`),
  councilSettings: () => request<CouncilSettings>('GET', '/settings/council'),

  // Signed in
  myRulebooks: () => request<MyRulebooks>('GET', '/me/rulebooks'),
  acceptRulebooks: (ids: string[]) => request<MyRulebooks>('POST', '/me/rulebooks/accept', { body: { ids } }),

  createPeriod: (body: { number?: number; opensAt: string; closesAt: string; decisionDate?: string | null }) =>
    request<RecruitmentPeriod>('POST', '/periods', { body }),
  updatePeriod: (number: number, body: { opensAt?: string; closesAt?: string; decisionDate?: string | null }) =>
    request<RecruitmentPeriod>('PATCH', `/periods/${number}`, { body }),
  deletePeriod: (number: number) => request<undefined>('DELETE', `/periods/${number}`),

  applications: (filter: { status?: ApplicationStatus; periodNumber?: number; q?: string }, cursor?: string) =>
    request<Page<Application>>('GET', '/applications', { query: { ...filter, cursor, limit: 50 } }),
  application: (id: string) => request<ApplicationDetail>('GET', `/applications/${enc(id)}`),
  returnApplication: (id: string, message: string) => request<ApplicationDetail>('POST', `/applications/${enc(id)}/return`, { body: { message } }),
  checkApplication: (id: string, note?: string) =>
    request<ApplicationDetail>('POST', `/applications/${enc(id)}/check`, { body: note ? { note } : {} }),
  approveApplication: (id: string, body: { memberClass: ApplicableClass; reason?: string; specialApproval?: SpecialApprovalInput }) =>
    request<ApprovalResult>('POST', `/applications/${enc(id)}/approve`, { body }),
  rejectApplication: (id: string, reason: string) => request<ApplicationDetail>('POST', `/applications/${enc(id)}/reject`, { body: { reason } }),

  membership: (orgId: string) => request<MembershipView>('GET', `/organizations/${enc(orgId)}/membership`),
  standing: (orgId: string, what: 'withdraw' | 'suspend' | 'expel' | 'reinstate', reason?: string) =>
    request<Organization>('POST', `/organizations/${enc(orgId)}/${what}`, { body: reason ? { reason } : {} }),
  grantSpecialApproval: (orgId: string, body: SpecialApprovalInput) =>
    request<Organization>('POST', `/organizations/${enc(orgId)}/special-approval`, { body }),
  revokeSpecialApproval: (orgId: string, reason: string) =>
    request<Organization>('POST', `/organizations/${enc(orgId)}/special-approval/revoke`, { body: { reason } }),

  submitChange: (orgId: string, body: { changes: ChangeFields; note?: string }) =>
    request<ChangeNotification>('POST', `/organizations/${enc(orgId)}/change-notifications`, { body }),
  changeNotifications: (status?: RequestStatus, cursor?: string) =>
    request<Page<ChangeNotification>>('GET', '/change-notifications', { query: { status, cursor, limit: 50 } }),
  acceptChange: (id: string, note?: string) =>
    request<ChangeNotification>('POST', `/change-notifications/${enc(id)}/accept`, { body: note ? { note } : {} }),
  rejectChange: (id: string, reason: string) => request<ChangeNotification>('POST', `/change-notifications/${enc(id)}/reject`, { body: { reason } }),

  requestClassChange: (
    orgId: string,
    body: { requestedClass: ApplicableClass; reason: string; capabilities?: string; quickFeedbackCommitment: boolean },
  ) => request<ClassChangeRequest>('POST', `/organizations/${enc(orgId)}/class-changes`, { body }),
  classChanges: (status?: RequestStatus, cursor?: string) =>
    request<Page<ClassChangeRequest>>('GET', '/class-changes', { query: { status, cursor, limit: 50 } }),
  approveClassChange: (id: string, body: { memberClass?: ApplicableClass; reason?: string; specialApproval?: SpecialApprovalInput }) =>
    request<ClassChangeRequest>('POST', `/class-changes/${enc(id)}/approve`, { body }),
  rejectClassChange: (id: string, reason: string) => request<ClassChangeRequest>('POST', `/class-changes/${enc(id)}/reject`, { body: { reason } }),
  cancelClassChange: (id: string) => request<ClassChangeRequest>('POST', `/class-changes/${enc(id)}/cancel`),

  publishRoster: (asOf: string) => request<RosterSummary>('POST', '/rosters', { body: { asOf } }),
  createRulebook: (body: { kind: RulebookKind; titleJa?: string; titleEn?: string; bodyMd: string; effectiveAt: string }) =>
    request<Rulebook>('POST', '/rulebooks', { body }),
  stats: () => request<MembershipStats>('GET', '/membership/stats'),
  updateCouncilSettings: (body: Partial<CouncilSettings>) => request<CouncilSettings>('PUT', '/settings/council', { body }),
  setCommittee: (userId: string, isCommittee: boolean) => request<User>('PUT', `/users/${enc(userId)}/committee`, { body: { isCommittee } }),
};

/** CSV downloads are plain links (the browser saves the file). */
export const rosterCsvUrl = (lang: string, id?: string) =>
  id ? `/api/v1/rosters/${enc(id)}/csv?lang=${lang === 'en' ? 'en' : 'ja'}` : `/api/v1/roster.csv?lang=${lang === 'en' ? 'en' : 'ja'}`;

/** Field-level messages keyed by the full path (`contacts.0.email`), from the server's validation details. */
export function pathErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const details = (error as { details?: unknown } | null)?.details;
  if (!Array.isArray(details)) return out;
  for (const item of details as unknown[]) {
    if (!item || typeof item !== 'object') continue;
    const { path, message } = item as { path?: unknown; message?: unknown };
    const key = Array.isArray(path) ? path.join('.') : typeof path === 'string' ? path.replace(/\//g, '.').replace(/^\./, '') : undefined;
    if (key !== undefined && typeof message === 'string' && !(key in out)) out[key] = message;
  }
  return out;
}

/** Domain errors that belong to one field of the application form. */
export const codeField: Record<string, string> = {
  capabilities_required: 'capabilities',
  feedback_commitment_required: 'quickFeedbackCommitment',
  foreign_capital_share_required: 'foreignCapitalShare',
  sector_required: 'sector',
  sector_not_applicable: 'sector',
};
