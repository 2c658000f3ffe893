/**
 * The one client for the JSON API (/api/v1): JSON in and out, the CSRF header on state-changing
 * requests, and errors turned into `ApiError` carrying the server's message in the user's language.
 */
import type {
  ApiToken,
  AuditEntry,
  Category,
  MemberClass,
  Organization,
  Page,
  Sector,
  User,
  UserRole,
} from '../core/model.js';
import i18n from './i18n/index.js';

export type { ApiToken, AuditEntry, Category, MemberClass, Organization, Page, Sector, User, UserRole };

const BASE = '/api/v1';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Session {
  user: User;
  organization: Organization;
  csrfToken: string;
}

let csrfToken: string | null = null;

/** Remember the CSRF token of the current session (null when signed out). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

type Method = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
type Query = Record<string, string | number | undefined | null>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

function errorBody(data: unknown): { code?: unknown; message?: unknown; details?: unknown } | undefined {
  if (data && typeof data === 'object' && 'error' in data) {
    const e = (data as { error: unknown }).error;
    if (e && typeof e === 'object') return e as { code?: unknown; message?: unknown; details?: unknown };
  }
  return undefined;
}

export async function request<T>(method: Method, path: string, options: { body?: unknown; query?: Query } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const hasBody = options.body !== undefined;
  if (hasBody) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(BASE + withQuery(path, options.query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(hasBody ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw new ApiError(0, 'network_error', i18n.t('common.networkError'));
  }

  const text = res.status === 204 ? '' : await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = errorBody(data);
    throw new ApiError(
      res.status,
      typeof e?.code === 'string' ? e.code : 'http_error',
      typeof e?.message === 'string' ? e.message : i18n.t('common.unexpectedError', { status: res.status }),
      e?.details,
    );
  }
  return data as T;
}

/** A multipart upload (attachments): the CSRF header, and errors as `ApiError` like `request`. */
export async function sendForm<T>(path: string, form: FormData): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(BASE + path, { method: 'POST', headers, credentials: 'same-origin', body: form });
  } catch {
    throw new ApiError(0, 'network_error', i18n.t('common.networkError'));
  }
  const text = await res.text();
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : undefined;
  } catch {
    data = undefined;
  }
  if (!res.ok) {
    const e = errorBody(data);
    throw new ApiError(
      res.status,
      typeof e?.code === 'string' ? e.code : 'http_error',
      typeof e?.message === 'string' ? e.message : i18n.t('common.unexpectedError', { status: res.status }),
      e?.details,
    );
  }
  return data as T;
}

export interface OrganizationInput {
  nameJa: string;
  nameEn: string;
  category: Category;
  sector: Sector | null;
  foreignCapital: boolean;
  memberClass: MemberClass;
  designated: boolean;
}

export interface UserInput {
  login: string;
  displayName: string;
  email: string;
  role: UserRole;
  locale?: 'ja' | 'en';
  password?: string;
}

export interface AuditFilter {
  action?: string;
  actorUserId?: string;
  actorOrgId?: string;
  targetId?: string;
  from?: string;
  to?: string;
}

export const api = {
  /** The current session, or null when signed out. */
  async getSession(): Promise<Session | null> {
    try {
      return await request<Session>('GET', '/session');
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) return null;
      throw e;
    }
  },
  login: (body: { login: string; password: string; totp?: string }) => request<Session>('POST', '/session', { body }),
  logout: () => request<undefined>('DELETE', '/session'),

  updateMe: (body: { locale: 'ja' | 'en' }) => request<User>('PATCH', '/me', { body }),
  changePassword: (body: { current: string; next: string }) => request<undefined>('POST', '/me/password', { body }),
  startTotp: () => request<{ secret: string; uri: string; qrDataUrl: string }>('POST', '/me/totp'),
  confirmTotp: (code: string) => request<undefined>('POST', '/me/totp/confirm', { body: { code } }),
  disableTotp: (body: { password: string; code: string }) => request<undefined>('POST', '/me/totp/disable', { body }),

  listTokens: () => request<{ items: ApiToken[] }>('GET', '/me/tokens'),
  createToken: (body: { name: string; expiresInDays: number; readOnly: boolean }) =>
    request<{ token: string; apiToken: ApiToken }>('POST', '/me/tokens', { body }),
  revokeToken: (id: string) => request<undefined>('DELETE', `/me/tokens/${encodeURIComponent(id)}`),

  listOrganizations: (cursor?: string, limit = 50) =>
    request<Page<Organization>>('GET', '/organizations', { query: { cursor, limit } }),
  getOrganization: (id: string) => request<Organization>('GET', `/organizations/${encodeURIComponent(id)}`),
  createOrganization: (body: OrganizationInput) => request<Organization>('POST', '/organizations', { body }),
  updateOrganization: (id: string, body: Partial<OrganizationInput> & { active?: boolean }) =>
    request<Organization>('PATCH', `/organizations/${encodeURIComponent(id)}`, { body }),

  listUsers: (orgId: string, cursor?: string, limit = 50) =>
    request<Page<User>>('GET', `/organizations/${encodeURIComponent(orgId)}/users`, { query: { cursor, limit } }),
  createUser: (orgId: string, body: UserInput) =>
    request<{ user: User; initialPassword?: string }>('POST', `/organizations/${encodeURIComponent(orgId)}/users`, { body }),
  updateUser: (id: string, body: { displayName?: string; email?: string; role?: UserRole; active?: boolean }) =>
    request<User>('PATCH', `/users/${encodeURIComponent(id)}`, { body }),
  resetPassword: (id: string) => request<{ password: string }>('POST', `/users/${encodeURIComponent(id)}/reset-password`),

  listAudit: (filter: AuditFilter, cursor?: string, limit = 50) =>
    request<Page<AuditEntry>>('GET', '/audit', { query: { ...filter, cursor, limit } }),
};

/**
 * Field-level messages from an error's `details`, when the server gives them as a list of
 * `{path, message}` (zod-style issues). Keys are the first path segment.
 */
export function fieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  const details = error.details as unknown;
  const list = Array.isArray(details)
    ? details
    : details && typeof details === 'object' && Array.isArray((details as { issues?: unknown }).issues)
      ? (details as { issues: unknown[] }).issues
      : [];
  for (const item of list) {
    if (!item || typeof item !== 'object') continue;
    const { path, message } = item as { path?: unknown; message?: unknown };
    const key = Array.isArray(path) ? path[0] : typeof path === 'string' ? path.split(/[./]/).filter(Boolean)[0] : undefined;
    if ((typeof key === 'string' || typeof key === 'number') && typeof message === 'string' && !(String(key) in out)) {
      out[String(key)] = message;
    }
  }
  return out;
}
