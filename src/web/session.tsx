/** The signed-in session: loaded once, shared through React Query under `sessionKey`. */
import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import { api, setCsrfToken, type Session } from './api.js';
import { applyLanguage, isLang } from './i18n/index.js';

export const sessionKey = ['session'] as const;

/** Take over a session (or its end): CSRF token for later requests, and the user's language. */
export async function adoptSession(session: Session | null): Promise<void> {
  setCsrfToken(session?.csrfToken ?? null);
  if (session && isLang(session.user.locale)) await applyLanguage(session.user.locale);
}

async function loadSession(): Promise<Session | null> {
  const session = await api.getSession();
  await adoptSession(session);
  return session;
}

export function useSessionQuery() {
  return useQuery({ queryKey: sessionKey, queryFn: loadSession, staleTime: Infinity, retry: false });
}

/** Replace the session in the cache (after login, logout or a change to the user). */
export function useSetSession(): (session: Session | null) => Promise<void> {
  const queryClient = useQueryClient();
  return async (session) => {
    await adoptSession(session);
    if (!session) queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    queryClient.setQueryData(sessionKey, session);
  };
}

/** Forget the session when the server says it has ended (expired, revoked elsewhere). */
export function dropSession(queryClient: QueryClient): void {
  setCsrfToken(null);
  queryClient.setQueryData(sessionKey, null);
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session | null {
  return useContext(SessionContext);
}

/** For components only rendered when signed in. */
export function useSignedIn(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSignedIn outside a signed-in area');
  return session;
}

/** What the navigation offers; the server enforces the same rules anyway. */
export const can = {
  manageOrganizations: (s: Session) => s.organization.isSecretariat && s.user.role === 'admin',
  /** The committee reads every organisation (to decide sanctions and special approvals) but changes none. */
  viewOrganizations: (s: Session) => (s.organization.isSecretariat && s.user.role === 'admin') || s.user.isCommittee,
  manageOwnUsers: (s: Session) => s.user.role === 'admin',
  readAudit: (s: Session) => s.organization.isSecretariat && s.user.role !== 'viewer',
};
