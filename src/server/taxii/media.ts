/** TAXII 2.1 over HTTP: content negotiation and the error message resource. */
import type { FastifyReply } from 'fastify';
import { DomainError, type MessageParam } from '../../core/errors.js';
import { translate, type Locale } from '../../core/messages.js';
import { TAXII_MEDIA_TYPE } from '../../core/interop/taxii.js';

interface MediaRange {
  type: string;
  params: Record<string, string>;
}

function mediaRanges(header: string): MediaRange[] {
  return header
    .split(',')
    .map((range) => {
      const [type = '', ...rest] = range.split(';').map((s) => s.trim());
      const params = Object.fromEntries(
        rest
          .map((p) => {
            const eq = p.indexOf('=');
            return eq < 0 ? ['', ''] : [p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1')];
          })
          .filter(([k]) => k),
      ) as Record<string, string>;
      return { type: type.toLowerCase(), params };
    })
    .filter((r) => r.type);
}

/** 415: a body in another media type than TAXII 2.1's. */
export class UnsupportedMediaType extends DomainError {
  readonly status = 415;
}

/** TAXII 2.1 media type, version 2.1 or no version (which means the latest, 2.1). */
const isTaxii = (r: MediaRange) => r.type === 'application/taxii+json' && (r.params.version === undefined || r.params.version === '2.1');

/**
 * May we answer with application/taxii+json;version=2.1? Yes for that type with or without the version, for
 * wildcards, and when one of several listed types is it (a client may list the STIX type beside it). No Accept
 * header at all accepts anything.
 */
export function acceptsTaxii(header: string | undefined): boolean {
  if (header === undefined || header.trim() === '') return true;
  return mediaRanges(header).some((r) => {
    const q = r.params.q === undefined ? 1 : Number(r.params.q);
    return q > 0 && (isTaxii(r) || r.type === '*/*' || r.type === 'application/*');
  });
}

/** Is a request body's Content-Type the TAXII 2.1 one? */
export function isTaxiiContentType(header: string | undefined): boolean {
  const [range] = mediaRanges(header ?? '');
  return range !== undefined && isTaxii(range);
}

/** The TAXII error message resource. */
export function taxiiErrorBody(locale: Locale, status: number, code: string, params: Record<string, MessageParam> = {}, details?: unknown): string {
  return JSON.stringify({
    title: translate(locale, `taxii_status_${status}`),
    description: translate(locale, code, params),
    error_code: code,
    http_status: String(status),
    ...(details === undefined ? {} : { details: Array.isArray(details) ? { items: details } : details }),
  });
}

export const WWW_AUTHENTICATE = 'Basic realm="kyogikai TAXII", Bearer realm="kyogikai TAXII"';

/** Send the error resource with its status; a 401 says how to authenticate. */
export function sendTaxiiError(
  reply: FastifyReply,
  locale: Locale,
  status: number,
  code: string,
  params: Record<string, MessageParam> = {},
  details?: unknown,
): FastifyReply {
  if (status === 401) void reply.header('www-authenticate', WWW_AUTHENTICATE);
  return sendTaxii(reply, taxiiErrorBody(locale, status, code, params, details), status);
}

/**
 * Send a TAXII body with its media type exactly as TAXII writes it. Given a string, Fastify would rewrite a JSON-ish
 * type as `application/taxii+json; version="2.1"; charset=utf-8`, which clients comparing the type (the OASIS
 * client among them) refuse; bytes keep it as set.
 */
export function sendTaxii(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return reply.code(status).type(TAXII_MEDIA_TYPE).send(Buffer.from(body));
}
