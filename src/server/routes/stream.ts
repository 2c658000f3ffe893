/**
 * `GET /api/v1/stream`: Server-Sent Events for a signed-in user (session cookie) or an API token (Bearer). Each
 * notice is an `event: notification` whose `id:` is the event id; a client that reconnects with `Last-Event-ID`
 * (browsers' EventSource does it by itself) gets what it missed first. Filtered per subscriber by the same policy
 * as every other channel.
 */
import { z } from 'zod';
import type { UserActor } from '../../core/actor.js';
import { authorize } from '../../core/policy.js';
import { authenticateSession, authenticateToken } from '../../core/usecases/auth.js';
import { StreamNotice } from '../../core/notifications/model.js';
import { SESSION_COOKIE } from '../context.js';
import { ErrorBody, type App } from './types.js';

/** `Last-Event-ID` (the header, or the query parameter for clients that cannot set headers). */
function lastEventId(header: string | string[] | undefined, query: string | undefined): number | undefined {
  const raw = (Array.isArray(header) ? header[0] : header) ?? query;
  if (raw === undefined || !/^\d{1,15}$/.test(raw.trim())) return undefined;
  return Number(raw.trim());
}

export function streamRoutes(app: App): void {
  const deps = app.deps;
  app.get(
    '/api/v1/stream',
    {
      schema: {
        tags: ['notifications'],
        summary: 'ライブ通知（Server-Sent Events）/ Live notifications (Server-Sent Events)',
        description:
          'text/event-stream. Each message: `id: <event id>`, `event: notification`, `data: <StreamNotice JSON>`; comment lines (`: ping`) keep the connection open. Reconnect with `Last-Event-ID` to get what was missed.',
        querystring: z.object({ lastEventId: z.string().max(20).optional() }),
        produces: ['text/event-stream'],
        response: { 200: StreamNotice.describe('one `data:` line of the stream'), 401: ErrorBody, 403: ErrorBody, 429: ErrorBody },
      },
    },
    async (req, reply) => {
      authorize(req.actor, 'self.read', { userId: req.actor.kind === 'user' ? req.actor.userId : undefined });
      const actor = req.actor as UserActor;
      // The credential this stream was opened with, asked again from time to time (never sliding a session).
      const bearer = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
      const cookie = req.cookies[SESSION_COOKIE];
      const reauthenticate = async () =>
        bearer ? authenticateToken(deps, bearer) : cookie ? (await authenticateSession(deps, cookie, { touch: false }))?.actor : undefined;

      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-content-type-options': 'nosniff',
        // Proxies such as nginx would otherwise hold the stream back in their buffer.
        'x-accel-buffering': 'no',
      });
      // A subscriber that went away is removed on `close`; a write racing that must not throw.
      res.on('error', () => {});
      res.write('retry: 5000\n\n');
      try {
        const unsubscribe = await app.notifications.hub.subscribe(
          {
            actor,
            reauthenticate,
            write: (chunk) => !res.writableEnded && !res.destroyed && res.write(chunk),
            buffered: () => res.writableLength,
            end: () => res.end(),
          },
          lastEventId(req.headers['last-event-id'], req.query.lastEventId),
        );
        req.raw.on('close', unsubscribe);
        if (req.raw.destroyed) unsubscribe();
      } catch (err) {
        // The client reconnects (after `retry`) and resumes from its last event.
        req.log.error({ err }, 'stream could not start');
        res.end();
      }
    },
  );
}
