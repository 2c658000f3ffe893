/**
 * TAXII 2.1 under /taxii2/ (register with that prefix): one API root, `council`. Thin routes over
 * src/core/interop/taxii.ts; this file owns what is HTTP: authentication by HTTP Basic (any user name, an API token
 * as the password) or Bearer token, the exact media types (406, 415), the body limit (413), the
 * X-TAXII-Date-Added-First/Last headers, and the TAXII error message resource for every failure.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, Unauthenticated } from '../../core/errors.js';
import { authenticateToken } from '../../core/usecases/auth.js';
import {
  addObjects,
  apiRoot,
  deleteObject,
  discovery,
  getCollection,
  getManifest,
  getObject,
  getObjects,
  getStatus,
  getVersions,
  listCollections,
  MAX_CONTENT_LENGTH,
  TAXII_MEDIA_TYPE,
  type TaxiiPage,
} from '../../core/interop/taxii.js';
import type { StixBody } from '../../core/interop/ports.js';
import { formatMicros } from '../../core/interop/stix-objects.js';
import { basicPassword } from '../plugins/auth.js';
import type { App } from '../routes/types.js';
import { acceptsTaxii, isTaxiiContentType, sendTaxii, sendTaxiiError, taxiiErrorBody, UnsupportedMediaType, WWW_AUTHENTICATE } from './media.js';

export const API_ROOT = 'council';

/** Fastify's own client errors, as TAXII statuses. */
const frameworkErrors: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'taxii_unsupported_media_type'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_input'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_input'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_input'],
};

type Params = { collectionId: string; objectId: string; statusId: string };

const send = (reply: FastifyReply, body: unknown, status = 200): FastifyReply => sendTaxii(reply, typeof body === 'string' ? body : JSON.stringify(body), status);

/** First and last date_added of the page (TAXII 2.1 §3.4), with microseconds. */
function dateAddedHeaders(reply: FastifyReply, p: TaxiiPage<{ addedUs: number }>): void {
  const first = p.items[0];
  const last = p.items.at(-1);
  if (first && last) {
    void reply.header('x-taxii-date-added-first', formatMicros(first.addedUs));
    void reply.header('x-taxii-date-added-last', formatMicros(last.addedUs));
  }
}

/** The envelope, assembled from the stored JSON of each object rather than parsed and written again. */
function envelope(p: TaxiiPage<StixBody>): string {
  const parts = [`"more":${String(p.more)}`];
  if (p.next) parts.push(`"next":${JSON.stringify(p.next)}`);
  if (p.items.length) parts.push(`"objects":[${p.items.map((i) => i.body).join(',')}]`);
  return `{${parts.join(',')}}`;
}

function pageOf(p: TaxiiPage<{ addedUs: number }>, key: 'objects' | 'versions', items: unknown[]) {
  return { more: p.more, ...(p.next ? { next: p.next } : {}), ...(items.length ? { [key]: items } : {}) };
}

export function taxiiRoutes(app: App): void {
  const deps = app.deps;
  // Only TAXII bodies here: anything else is a 415, not JSON parsed by accident.
  app.removeAllContentTypeParsers();
  const json = app.getDefaultJsonParser('error', 'error');
  app.addContentTypeParser('application/taxii+json', { parseAs: 'string', bodyLimit: MAX_CONTENT_LENGTH }, (req, body, done) => {
    if (isTaxiiContentType(req.headers['content-type'])) json(req, body as string, done);
    else done(new UnsupportedMediaType('taxii_unsupported_media_type'), undefined);
  });

  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const locale = req.locale ?? 'ja';
    if (err instanceof DomainError) return sendTaxiiError(reply, locale, err.status, err.code, err.params, err.details);
    const mapped = err.code ? frameworkErrors[err.code] : undefined;
    if (mapped) return sendTaxiiError(reply, locale, mapped[0], mapped[1]);
    if (err.statusCode === 429) return sendTaxiiError(reply, locale, 429, 'rate_limited');
    if (err instanceof SyntaxError || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      return sendTaxiiError(reply, locale, err.statusCode && err.statusCode < 500 ? err.statusCode : 400, 'invalid_input');
    }
    req.log.error({ err }, 'TAXII request failed');
    return sendTaxiiError(reply, locale, 500, 'internal_error');
  });
  app.setNotFoundHandler((req, reply) => sendTaxiiError(reply, req.locale ?? 'ja', 404, 'route_not_found'));

  // Answers the rest of the server gives before reaching us (a bad Bearer token, a body with U+0000) come in its
  // JSON error shape: TAXII clients get them as the error resource too.
  app.addHook('onSend', async (req, reply, payload) => {
    const type = String(reply.getHeader('content-type') ?? '');
    if (reply.statusCode < 400 || !type.startsWith('application/json')) return payload;
    let code = 'invalid_input';
    try {
      code = (JSON.parse(String(payload)) as { error?: { code?: string } }).error?.code ?? code;
    } catch {
      // not ours: keep the generic code
    }
    if (reply.statusCode === 401) void reply.header('www-authenticate', WWW_AUTHENTICATE);
    void reply.type(TAXII_MEDIA_TYPE);
    return Buffer.from(taxiiErrorBody(req.locale ?? 'ja', reply.statusCode, code));
  });

  // Every TAXII request is authenticated: Bearer and session cookies are resolved by the server's auth plugin,
  // HTTP Basic here. Then content negotiation.
  app.addHook('onRequest', async (req) => {
    if (req.actor.kind === 'anonymous') {
      const token = basicPassword(req.headers.authorization);
      const actor = token ? await authenticateToken(deps, token) : undefined;
      if (actor) {
        req.actor = actor;
        req.locale = actor.locale;
      }
    }
    if (req.actor.kind !== 'user') throw new Unauthenticated('unauthenticated');
  });
  app.addHook('preHandler', async (req, reply) => {
    if (!acceptsTaxii(req.headers.accept)) return sendTaxiiError(reply, req.locale, 406, 'taxii_not_acceptable');
  });

  const root = `/${API_ROOT}`;
  const query = (req: FastifyRequest) => req.query as Record<string, unknown>;
  const hidden = { schema: { hide: true } };

  app.get('/', hidden, async (req, reply) => {
    const url = `${req.protocol}://${req.host}/taxii2${root}/`;
    return send(reply, await discovery(deps, req.actor, url));
  });
  app.get(`${root}/`, hidden, async (req, reply) => send(reply, await apiRoot(deps, req.actor)));
  app.get<{ Params: Pick<Params, 'statusId'> }>(`${root}/status/:statusId/`, hidden, async (req, reply) =>
    send(reply, await getStatus(deps, req.actor, req.params.statusId)),
  );
  app.get(`${root}/collections/`, hidden, async (req, reply) => send(reply, await listCollections(deps, req.actor)));
  app.get<{ Params: Pick<Params, 'collectionId'> }>(`${root}/collections/:collectionId/`, hidden, async (req, reply) =>
    send(reply, await getCollection(deps, req.actor, req.params.collectionId)),
  );

  app.get<{ Params: Pick<Params, 'collectionId'> }>(`${root}/collections/:collectionId/objects/`, hidden, async (req, reply) => {
    const p = await getObjects(deps, req.actor, req.params.collectionId, query(req), req.meta);
    dateAddedHeaders(reply, p);
    return send(reply, envelope(p));
  });
  app.post<{ Params: Pick<Params, 'collectionId'> }>(
    `${root}/collections/:collectionId/objects/`,
    { ...hidden, bodyLimit: MAX_CONTENT_LENGTH },
    async (req, reply) => {
      // A POST without a body has no Content-Type for Fastify to refuse.
      if (!isTaxiiContentType(req.headers['content-type'])) throw new UnsupportedMediaType('taxii_unsupported_media_type');
      return send(reply, await addObjects(deps, req.actor, req.params.collectionId, req.body, req.meta), 202);
    },
  );
  app.get<{ Params: Pick<Params, 'collectionId' | 'objectId'> }>(`${root}/collections/:collectionId/objects/:objectId/`, hidden, async (req, reply) => {
    const p = await getObject(deps, req.actor, req.params.collectionId, req.params.objectId, query(req), req.meta);
    dateAddedHeaders(reply, p);
    return send(reply, envelope(p));
  });
  app.delete<{ Params: Pick<Params, 'collectionId' | 'objectId'> }>(`${root}/collections/:collectionId/objects/:objectId/`, hidden, async (req, reply) => {
    await deleteObject(deps, req.actor, req.params.collectionId, req.params.objectId, query(req), req.meta);
    return reply.code(200).type(TAXII_MEDIA_TYPE).send();
  });
  app.get<{ Params: Pick<Params, 'collectionId' | 'objectId'> }>(
    `${root}/collections/:collectionId/objects/:objectId/versions/`,
    hidden,
    async (req, reply) => {
      const p = await getVersions(deps, req.actor, req.params.collectionId, req.params.objectId, query(req));
      dateAddedHeaders(reply, p);
      return send(reply, pageOf(p, 'versions', p.items.map((i) => i.version)));
    },
  );
  app.get<{ Params: Pick<Params, 'collectionId'> }>(`${root}/collections/:collectionId/manifest/`, hidden, async (req, reply) => {
    const p = await getManifest(deps, req.actor, req.params.collectionId, query(req));
    dateAddedHeaders(reply, p);
    const records = p.items.map((i) => ({
      id: i.stixId,
      date_added: formatMicros(i.addedUs),
      version: i.version,
      media_type: `application/stix+json;version=${i.specVersion}`,
    }));
    return send(reply, pageOf(p, 'objects', records));
  });
}
