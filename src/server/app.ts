/** Assemble the HTTP server: security plugins, authentication, routes, the OpenAPI document and the web UI. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../core/context.js';
import type { ServerConfig } from '../config.js';
import './context.js';
import { registerAuth } from './plugins/auth.js';
import { registerErrorHandling, sendError } from './plugins/errors.js';
import { registerMetrics } from './plugins/metrics.js';
import { auditRoutes } from './routes/audit.js';
import { healthRoutes } from './routes/health.js';
import { organizationRoutes } from './routes/organizations.js';
import { sessionRoutes } from './routes/session.js';
import type { App } from './routes/types.js';

/** Where `vite build` puts the web UI (dist/web beside dist/server). */
const webRoot = fileURLToPath(new URL('../../dist/web/', import.meta.url));

export interface BuildOptions {
  deps: Deps;
  config: ServerConfig;
  logger?: FastifyServerOptions['logger'];
}

export async function buildApp({ deps, config, logger }: BuildOptions): Promise<App> {
  const app = Fastify({
    logger: logger ?? {
      level: config.logLevel,
      redact: ['req.headers.authorization', 'req.headers.cookie', 'req.headers["x-csrf-token"]'],
    },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  app.decorate('config', config);

  registerErrorHandling(app);
  await app.register(cookie);
  registerAuth(app);

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // Mantine writes its theme variables into a <style> element.
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
    // HSTS only where the request really came over TLS (directly or through a trusted proxy).
    strictTransportSecurity: false,
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.protocol === 'https') void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
  });

  await app.register(rateLimit, {
    max: config.rateLimitPerMinute,
    timeWindow: '1 minute',
    errorResponseBuilder: (_req, ctx) => ({ statusCode: 429, code: 'FST_RATE_LIMIT', message: `retry in ${ctx.after}` }),
  });

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'kyogikai API',
        description: 'サイバーセキュリティ協議会 情報共有基盤 API / Council information-sharing API',
        version: '1',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'Personal API token (kyg_…)' },
          session: { type: 'apiKey', in: 'cookie', name: 'kyg_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
  });

  registerMetrics(app);
  healthRoutes(app);
  sessionRoutes(app);
  organizationRoutes(app);
  auditRoutes(app);
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  if (existsSync(webRoot)) {
    await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
    // The single-page app answers every other GET that asks for HTML; the API keeps its JSON 404.
    app.setNotFoundHandler((req, reply) => {
      const wantsHtml = req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
      if (wantsHtml && !req.url.startsWith('/api/')) return reply.type('text/html').sendFile('index.html');
      return sendError(reply, req.locale, 404, 'route_not_found');
    });
  }
  return app;
}
