/**
 * Who is asking, in what language, and is a cookie-authenticated change really from our page (CSRF)?
 * Runs before every route; routes then hand `req.actor` to the use cases, which ask the policy.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { anonymous } from '../../core/actor.js';
import { authenticateSession, authenticateToken } from '../../core/usecases/auth.js';
import { localeFromAcceptLanguage } from '../../core/messages.js';
import { LANG_COOKIE, SESSION_COOKIE } from '../context.js';
import { sendError } from './errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function bearer(req: FastifyRequest): string | undefined {
  const h = req.headers.authorization;
  if (!h) return undefined;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1];
}

/**
 * The API token sent as the password of HTTP Basic, any user name (what TAXII clients and MISP feeds can send).
 * Only the machine channels accept it; the JSON API takes Bearer.
 */
export function basicPassword(header: string | undefined): string | undefined {
  const m = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  if (!m) return undefined;
  const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

export function registerAuth(app: FastifyInstance): void {
  // Reference-typed decorations start as null and are set per request (Fastify shares initial values).
  app.decorateRequest('actor', null as never);
  app.decorateRequest('session', undefined);
  app.decorateRequest('locale', 'ja');
  app.decorateRequest('meta', null as never);

  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    req.meta = { ip: req.ip, userAgent: req.headers['user-agent'] ?? null };
    req.actor = anonymous;
    const langCookie = req.cookies[LANG_COOKIE];
    req.locale = langCookie === 'en' || langCookie === 'ja' ? langCookie : localeFromAcceptLanguage(req.headers['accept-language']);

    const token = bearer(req);
    if (token) {
      const actor = await authenticateToken(app.deps, token);
      if (!actor) return sendError(reply, req.locale, 401, 'unauthenticated');
      req.actor = actor;
      req.locale = actor.locale;
      return;
    }

    const cookie = req.cookies[SESSION_COOKIE];
    if (!cookie) return;
    const found = await authenticateSession(app.deps, cookie);
    if (!found) {
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return;
    }
    req.actor = found.actor;
    req.session = found.session;
    req.locale = found.actor.locale;
    // Synchroniser token: a cross-site form cannot read it, so it cannot send it.
    // Signing in again replaces the session, so it needs no token of the old one (JSON-only bodies keep
    // cross-site forms out of it).
    const signingIn = req.method === 'POST' && req.routeOptions.url === '/api/v1/session';
    if (!SAFE_METHODS.has(req.method) && !signingIn && req.headers['x-csrf-token'] !== found.session.csrfToken) {
      return sendError(reply, req.locale, 403, 'csrf_invalid');
    }
  });
}
