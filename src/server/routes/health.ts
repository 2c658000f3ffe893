import { z } from 'zod';
import type { App } from './types.js';

export function healthRoutes(app: App): void {
  app.get(
    '/healthz',
    {
      config: { rateLimit: false },
      schema: {
        tags: ['operations'],
        summary: 'Liveness and database reachability',
        response: { 200: z.object({ status: z.literal('ok'), database: z.string() }), 503: z.object({ status: z.literal('unavailable') }) },
      },
    },
    async (req, reply) => {
      try {
        await app.deps.store.ping();
        return { status: 'ok' as const, database: app.deps.store.dialect };
      } catch (err) {
        req.log.error({ err }, 'database unreachable');
        return reply.code(503).send({ status: 'unavailable' as const });
      }
    },
  );
}
