/**
 * The MISP feed, one per audience: `/misp/feeds/{audience}/manifest.json`, `hashes.csv` and `{uuid}.json`, the layout
 * a MISP instance fetches when kyogikai is added as a feed of format "MISP Feed".
 */
import { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../../core/actor.js';
import { Unauthenticated } from '../../core/errors.js';
import { FeedAudience, hashesCsv, manifestJson, mispFeed, mispFeedEvent } from '../../core/interop/misp.js';
import { authenticateToken } from '../../core/usecases/auth.js';
import { basicPassword } from '../plugins/auth.js';
import type { App } from './types.js';

const FeedParams = z.object({ audience: FeedAudience });
const EventParams = FeedParams.extend({ file: z.string().regex(/^[0-9a-fA-F-]{36}\.json$/) });

/**
 * The API token in forms a MISP instance can send. MISP's feed settings take extra request headers (one
 * `Name: value` per line), so a feed is set up with `Authorization: kyg_…` (the raw token, as MISP's own API keys
 * go), `Authorization: Basic …` (any user name, the token as password) or `Authorization: Bearer kyg_…` (the last is
 * resolved for every route by the auth plugin).
 */
function tokenFromAuthorization(header: string | undefined): string | undefined {
  const value = header?.trim();
  if (!value) return undefined;
  if (/^Basic\s/i.test(value)) return basicPassword(value);
  return /^\S+$/.test(value) ? value : undefined;
}

export function mispRoutes(app: App): void {
  const deps = app.deps;

  async function feedActor(req: FastifyRequest, reply: FastifyReply): Promise<Actor> {
    if (req.actor.kind === 'user') return req.actor;
    const token = tokenFromAuthorization(req.headers.authorization);
    const actor = token ? await authenticateToken(deps, token) : undefined;
    if (!actor) {
      void reply.header('www-authenticate', 'Basic realm="kyogikai MISP feed", charset="UTF-8"');
      throw new Unauthenticated('unauthenticated');
    }
    req.locale = actor.locale;
    return actor;
  }

  app.get(
    '/misp/feeds/:audience/manifest.json',
    { schema: { tags: ['misp'], summary: 'MISP フィードの目録 / MISP feed manifest', params: FeedParams, produces: ['application/json'] } },
    async (req, reply) => {
      const events = await mispFeed(deps, await feedActor(req, reply), req.params.audience, 'manifest', req.meta);
      return reply.type('application/json; charset=utf-8').header('cache-control', 'no-store').send(Readable.from(manifestJson(events)));
    },
  );

  app.get(
    '/misp/feeds/:audience/hashes.csv',
    { schema: { tags: ['misp'], summary: 'MISP フィードの属性ハッシュ / MISP feed attribute hashes', params: FeedParams, produces: ['text/csv'] } },
    async (req, reply) => {
      const events = await mispFeed(deps, await feedActor(req, reply), req.params.audience, 'hashes', req.meta);
      return reply.type('text/csv; charset=utf-8').header('cache-control', 'no-store').send(Readable.from(hashesCsv(events)));
    },
  );

  app.get(
    '/misp/feeds/:audience/:file',
    { schema: { tags: ['misp'], summary: 'MISP イベント（{uuid}.json） / One MISP event ({uuid}.json)', params: EventParams, produces: ['application/json'] } },
    async (req, reply) => {
      const uuid = req.params.file.slice(0, -'.json'.length);
      const event = await mispFeedEvent(deps, await feedActor(req, reply), req.params.audience, uuid, req.meta);
      return reply.type('application/json; charset=utf-8').header('cache-control', 'no-store').send(JSON.stringify(event));
    },
  );
}
