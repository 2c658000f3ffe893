/** Assemble the HTTP server: security plugins, authentication, routes, the OpenAPI document and the web UI. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../core/context.js';
import { localeFromAcceptLanguage } from '../core/messages.js';
import type { ServerConfig } from '../config.js';
import './context.js';
import { registerAuth } from './plugins/auth.js';
import { registerErrorHandling, sendError } from './plugins/errors.js';
import { registerMetrics } from './plugins/metrics.js';
import { auditRoutes } from './routes/audit.js';
import { healthRoutes } from './routes/health.js';
import { membershipRoutes, redactPrivateLinks } from './routes/membership.js';
import { organizationRoutes } from './routes/organizations.js';
import { sessionRoutes } from './routes/session.js';
import { requestRoutes } from './routes/requests.js';
import { sharingRoutes } from './routes/sharing.js';
import { exportRoutes } from './routes/exports.js';
import { notificationRoutes } from './routes/notifications.js';
import { streamRoutes } from './routes/stream.js';
import { createNotificationRuntime } from './notifications/runtime.js';
import { insightRoutes } from './routes/insight.js';
import { searchRoutes } from './routes/search.js';
import { importRoutes } from './routes/imports.js';
import { mispRoutes } from './routes/misp.js';
import { sendTaxiiError } from './taxii/media.js';
import { taxiiRoutes } from './taxii/routes.js';
import type { App } from './routes/types.js';

/** Where `vite build` puts the web UI (dist/web beside dist/server). */
const webRoot = fileURLToPath(new URL('../../dist/web/', import.meta.url));

/** Does any string or key in a parsed request part contain U+0000? Iterative: a JSON body may nest deeply. */
function containsNul(root: unknown): boolean {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return true;
    } else if (v !== null && typeof v === 'object') {
      for (const [key, child] of Object.entries(v)) {
        if (key.includes('\u0000')) return true;
        stack.push(child);
      }
    }
  }
  return false;
}

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
      // Private links (application status, password setup) carry their secret in the path: never log it.
      serializers: {
        req: (req: { method: string; url: string; host?: string; ip?: string }) => ({
          method: req.method,
          url: redactPrivateLinks(req.url),
          host: req.host,
          remoteAddress: req.ip,
        }),
      },
    },
    trustProxy: config.trustProxy,
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    // A URL that does not even decode (bad percent-encoding), or a path segment longer than any id or token, is
    // refused by the router before any hook runs: in our error shape too.
    frameworkErrors: (err, req, reply) => {
      const locale = localeFromAcceptLanguage(req.headers['accept-language']);
      // A TAXII client gets the TAXII error message resource here too (its URLs never reach the TAXII context).
      const send = req.url.startsWith('/taxii2/') ? sendTaxiiError : sendError;
      if (err.code === 'FST_ERR_BAD_URL' || err.code === 'FST_ERR_MAX_PARAM_LENGTH') return send(reply, locale, 400, 'invalid_input');
      return send(reply, locale, 500, 'internal_error');
    },
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('deps', deps);
  app.decorate('config', config);
  app.decorate('notifications', createNotificationRuntime(deps, config, app.log));
  // A change made through this process may have appended an event or queued work: wake the stream and the worker
  // now rather than at their next poll. Open streams end, and the worker finishes its jobs, before the server closes.
  app.addHook('onResponse', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD' && reply.statusCode < 400) app.notifications.poke();
  });
  app.addHook('preClose', () => app.notifications.close());

  registerErrorHandling(app);
  // The API takes JSON (and multipart for attachments) only: Fastify's built-in text/plain parser would let
  // plain text through to validation instead of answering 415.
  app.removeContentTypeParser('text/plain');
  // PostgreSQL text cannot hold U+0000 (the query fails: a 500) and no field has a use for it: refuse it up front,
  // the same way on both databases.
  app.addHook('preValidation', async (req, reply) => {
    if (containsNul(req.body) || containsNul(req.query) || containsNul(req.params)) {
      return sendError(reply, req.locale, 400, 'invalid_input');
    }
  });
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
    // Same answer as the CSP's frame-ancestors 'none', for browsers that only know the older header.
    frameguard: { action: 'deny' },
  });
  app.addHook('onSend', async (req, reply) => {
    if (req.protocol === 'https') void reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    // API answers carry confidential information: no browser or proxy cache may keep a copy.
    if (req.url.startsWith('/api/') && !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
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

  // Attachments arrive as multipart/form-data; the size limit is checked again in the use case.
  await app.register(multipart, { limits: { fileSize: config.maxAttachmentBytes + 1, files: 1, fields: 5 } });

  registerMetrics(app);
  healthRoutes(app);
  sessionRoutes(app);
  organizationRoutes(app);
  auditRoutes(app);
  membershipRoutes(app);
  sharingRoutes(app);
  requestRoutes(app);
  exportRoutes(app);
  notificationRoutes(app);
  streamRoutes(app);
  insightRoutes(app);
  searchRoutes(app);
  importRoutes(app);
  mispRoutes(app);
  // TAXII 2.1 in a context of its own: its media types, body limit, error resource and not-found answer.
  await app.register(async (taxii) => taxiiRoutes(taxii), { prefix: '/taxii2' });
  app.get('/api/openapi.json', { schema: { hide: true } }, () => app.swagger());

  const hasWebUi = existsSync(webRoot);
  if (hasWebUi) await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: false });
  // The one not-found handler (Fastify allows one per prefix): with the web UI built, the single-page app answers
  // every other GET that asks for HTML; the API keeps its JSON 404.
  app.setNotFoundHandler((req, reply) => {
    const wantsHtml = hasWebUi && req.method === 'GET' && (req.headers.accept ?? '').includes('text/html');
    if (wantsHtml && !req.url.startsWith('/api/')) return reply.type('text/html').sendFile('index.html');
    return sendError(reply, req.locale ?? 'ja', 404, 'route_not_found');
  });
  return app;
}
