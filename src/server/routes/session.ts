/** Sign in and out (cookie sessions) and the current user's own settings. */
import QRCode from 'qrcode';
import { z } from 'zod';
import { Unauthenticated } from '../../core/errors.js';
import { ApiToken, ApiTokenCreate, Locale, Organization, Password, User } from '../../core/model.js';
import * as auth from '../../core/usecases/auth.js';
import { getOrganization } from '../../core/usecases/organizations.js';
import { createToken, listTokens, revokeToken } from '../../core/usecases/tokens.js';
import type { Actor } from '../../core/actor.js';
import type { Deps } from '../../core/context.js';
import { SESSION_COOKIE } from '../context.js';
import { errors, IdParams, type App } from './types.js';

const SessionBody = z.object({ user: User, organization: Organization, csrfToken: z.string() });

async function sessionView(deps: Deps, actor: Actor, csrfToken: string) {
  const user = await auth.me(deps, actor);
  const organization = await getOrganization(deps, actor, user.orgId);
  return { user, organization, csrfToken };
}

export function sessionRoutes(app: App): void {
  const deps = app.deps;
  const tags = ['session'];

  app.post(
    '/api/v1/session',
    {
      config: { rateLimit: { max: app.config.loginRateLimitPerMinute, timeWindow: '1 minute' } },
      schema: {
        tags,
        summary: 'Sign in / ログイン',
        body: z.object({
          login: z.string().min(1).max(254),
          password: z.string().min(1).max(1024),
          totp: z.string().max(16).optional(),
        }),
        response: { 200: SessionBody, ...errors },
      },
    },
    async (req, reply) => {
      const result = await auth.login(deps, req.body, req.meta);
      // A fresh session id at every sign-in: a planted cookie is never promoted (session fixation).
      void reply.setCookie(SESSION_COOKIE, result.sessionToken, {
        path: '/',
        httpOnly: true,
        sameSite: 'lax',
        secure: req.protocol === 'https',
        maxAge: app.config.sessionMaxHours * 3600,
      });
      const found = await auth.authenticateSession(deps, result.sessionToken);
      if (!found) throw new Unauthenticated('unauthenticated');
      return sessionView(deps, found.actor, result.csrfToken);
    },
  );

  app.get(
    '/api/v1/session',
    { schema: { tags, summary: 'Current session / 現在のセッション', response: { 200: SessionBody, ...errors } } },
    async (req) => {
      if (!req.session) throw new Unauthenticated('unauthenticated');
      return sessionView(deps, req.actor, req.session.csrfToken);
    },
  );

  app.delete(
    '/api/v1/session',
    { schema: { tags, summary: 'Sign out / ログアウト', response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      if (req.actor.kind === 'user' && req.session) await auth.logout(deps, req.actor, req.meta);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.code(204).send(null);
    },
  );

  app.get('/api/v1/me', { schema: { tags, response: { 200: User, ...errors } } }, (req) => auth.me(deps, req.actor));

  app.patch(
    '/api/v1/me',
    { schema: { tags, summary: 'Language / 表示言語', body: z.object({ locale: Locale }), response: { 200: User, ...errors } } },
    async (req) => {
      await auth.setLocale(deps, req.actor, req.body.locale, req.meta);
      return auth.me(deps, req.actor);
    },
  );

  app.post(
    '/api/v1/me/password',
    {
      schema: {
        tags,
        body: z.object({ current: z.string().min(1).max(1024), next: Password }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await auth.changePassword(deps, req.actor, req.body, req.meta);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/totp',
    {
      schema: {
        tags,
        summary: 'Start TOTP setup / 二要素認証の設定開始',
        response: { 200: z.object({ secret: z.string(), uri: z.string(), qrDataUrl: z.string() }), ...errors },
      },
    },
    async (req) => {
      const { secret, uri } = await auth.startTotp(deps, req.actor);
      return { secret, uri, qrDataUrl: await QRCode.toDataURL(uri, { margin: 1, width: 220 }) };
    },
  );

  app.post(
    '/api/v1/me/totp/confirm',
    { schema: { tags, body: z.object({ code: z.string().min(6).max(8) }), response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await auth.enableTotp(deps, req.actor, req.body.code, req.meta);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/me/totp/disable',
    {
      schema: {
        tags,
        body: z.object({ password: z.string().min(1).max(1024), code: z.string().min(6).max(8) }),
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await auth.disableTotp(deps, req.actor, req.body, req.meta);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/v1/me/tokens',
    { schema: { tags: ['tokens'], response: { 200: z.object({ items: z.array(ApiToken) }), ...errors } } },
    async (req) => ({ items: await listTokens(deps, req.actor) }),
  );

  app.post(
    '/api/v1/me/tokens',
    {
      schema: {
        tags: ['tokens'],
        summary: 'Create an API token (shown once) / APIトークンの発行',
        body: ApiTokenCreate,
        response: { 201: z.object({ token: z.string(), apiToken: ApiToken }), ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await createToken(deps, req.actor, req.body, req.meta)),
  );

  app.delete(
    '/api/v1/me/tokens/:id',
    { schema: { tags: ['tokens'], params: IdParams, response: { 204: z.null(), ...errors } } },
    async (req, reply) => {
      await revokeToken(deps, req.actor, req.params.id, req.meta);
      return reply.code(204).send(null);
    },
  );
}
