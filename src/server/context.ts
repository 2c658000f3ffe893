import type { Actor } from '../core/actor.js';
import type { Deps, RequestMeta } from '../core/context.js';
import type { Locale } from '../core/messages.js';
import type { SessionRecord } from '../core/ports.js';
import type { ServerConfig } from '../config.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who is asking: resolved from the session cookie or a bearer token (anonymous otherwise). */
    actor: Actor;
    session: SessionRecord | undefined;
    /** The language answers are given in. */
    locale: Locale;
    meta: RequestMeta;
  }
  interface FastifyInstance {
    deps: Deps;
    config: ServerConfig;
  }
}

export const SESSION_COOKIE = 'kyg_session';
export const LANG_COOKIE = 'kyg_lang';
