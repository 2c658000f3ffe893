/**
 * One place maps every failure to an HTTP answer `{"error":{"code","message","details"?}}`, with the
 * message in the caller's language. Nothing below 500 is logged as an error; nothing at 500 shows internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, TooManyAttempts, type MessageParam } from '../../core/errors.js';
import { translate, type Locale } from '../../core/messages.js';

interface Issue {
  path: string;
  code: string;
  message: string;
}

const issueText: Record<Locale, Record<string, string>> = {
  ja: {
    required: '必須項目です。',
    invalid_type: '形式が正しくありません。',
    too_small: '短すぎるか、小さすぎます。',
    too_big: '長すぎるか、大きすぎます。',
    invalid_format: '形式が正しくありません。',
    invalid_value: '選択できない値です。',
    unrecognized_keys: '不明な項目があります。',
    other: '値が正しくありません。',
  },
  en: {
    required: 'This field is required.',
    invalid_type: 'The value has the wrong type.',
    too_small: 'Too short or too small.',
    too_big: 'Too long or too large.',
    invalid_format: 'The format is not valid.',
    invalid_value: 'This value is not allowed.',
    unrecognized_keys: 'Unknown fields are present.',
    other: 'The value is not valid.',
  },
};

/** One entry of `err.validation` as fastify-type-provider-zod builds it from a zod issue. */
interface ValidationIssue {
  keyword?: string;
  instancePath?: string;
  params?: { minimum?: unknown; maximum?: unknown };
}

/** The value the client sent at a path, to tell a missing field from one of the wrong type. */
function valueAt(root: unknown, path: string[]): unknown {
  let v = root;
  for (const key of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, key)) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

function describeIssues(err: FastifyError, req: FastifyRequest, locale: Locale): Issue[] {
  const list = (err.validation ?? []) as ValidationIssue[];
  // Validation contexts are body, params, headers and querystring; the request calls the last one `query`.
  const part = err.validationContext === 'querystring' ? 'query' : err.validationContext;
  const input = part ? (req as unknown as Record<string, unknown>)[part] : undefined;
  return list.map((v) => {
    const segments = (v.instancePath ?? '').split('/').filter(Boolean);
    const path = segments.join('.');
    let code = v.keyword ?? 'other';
    if (code === 'invalid_type' && valueAt(input, segments) === undefined) code = 'required';
    const table = issueText[locale];
    const limit = code === 'too_small' ? v.params?.minimum : code === 'too_big' ? v.params?.maximum : undefined;
    const base = table[code] ?? table.other ?? '';
    const message =
      limit === undefined ? base : locale === 'ja' ? `${base}（制限: ${String(limit)}）` : `${base} (limit: ${String(limit)})`;
    return { path, code, message };
  });
}

export function sendError(
  reply: FastifyReply,
  locale: Locale,
  status: number,
  code: string,
  params: Record<string, MessageParam> = {},
  details?: unknown,
): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message: translate(locale, code, params), ...(details === undefined ? {} : { details }) } });
}

/** Fastify's own client-error codes, mapped to ours. */
const frameworkErrors: Record<string, [number, string]> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [415, 'unsupported_media_type'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [400, 'invalid_input'],
  FST_ERR_CTP_BODY_TOO_LARGE: [413, 'payload_too_large'],
  FST_ERR_CTP_EMPTY_JSON_BODY: [400, 'invalid_input'],
  FST_ERR_CTP_INVALID_JSON_BODY: [400, 'invalid_input'],
  FST_ERR_VALIDATION: [400, 'invalid_input'],
};

function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const locale = req.locale ?? 'ja';
    if (err instanceof DomainError) {
      if (err instanceof TooManyAttempts) void reply.header('retry-after', String(err.retryAfterSeconds));
      return sendError(reply, locale, err.status, err.code, err.params, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return sendError(reply, locale, 400, 'invalid_input', {}, describeIssues(err, req, locale));
    }
    // Two requests racing to create the same thing: the database's unique constraint decides, the loser gets 409.
    if (isUniqueViolation(err)) return sendError(reply, locale, 409, 'conflict');
    const mapped = err.code ? frameworkErrors[err.code] : undefined;
    if (mapped) return sendError(reply, locale, mapped[0], mapped[1]);
    if (err.statusCode === 429) return sendError(reply, locale, 429, 'rate_limited');
    if (err instanceof SyntaxError || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      return sendError(reply, locale, err.statusCode && err.statusCode < 500 ? err.statusCode : 400, 'invalid_input');
    }
    req.log.error({ err }, 'request failed');
    return sendError(reply, locale, 500, 'internal_error');
  });

  // The not-found handler is set once, in app.ts, where it knows whether the web UI is there.
}
