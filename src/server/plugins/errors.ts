/**
 * One place maps every failure to an HTTP answer `{"error":{"code","message","details"?}}`, with the
 * message in the caller's language. Nothing below 500 is logged as an error; nothing at 500 shows internals.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { DomainError, TooManyAttempts } from '../../core/errors.js';
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

interface ValidationIssue {
  instancePath?: string;
  params?: { issue?: { code?: string; path?: PropertyKey[]; input?: unknown; minimum?: unknown; maximum?: unknown } };
}

function describeIssues(err: FastifyError, locale: Locale): Issue[] {
  const list = (err.validation ?? []) as ValidationIssue[];
  return list.map((v) => {
    const issue = v.params?.issue;
    const path = (issue?.path ?? []).map(String).join('.') || (v.instancePath ?? '').replace(/^\//, '').replace(/\//g, '.');
    let code = issue?.code ?? 'other';
    if (code === 'invalid_type' && issue?.input === undefined) code = 'required';
    const table = issueText[locale];
    const limit = code === 'too_small' ? issue?.minimum : code === 'too_big' ? issue?.maximum : undefined;
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
  params: Record<string, string | number> = {},
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

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req: FastifyRequest, reply: FastifyReply) => {
    const locale = req.locale ?? 'ja';
    if (err instanceof DomainError) {
      if (err instanceof TooManyAttempts) void reply.header('retry-after', String(err.retryAfterSeconds));
      return sendError(reply, locale, err.status, err.code, err.params, err.details);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      return sendError(reply, locale, 400, 'invalid_input', {}, describeIssues(err, locale));
    }
    const mapped = err.code ? frameworkErrors[err.code] : undefined;
    if (mapped) return sendError(reply, locale, mapped[0], mapped[1]);
    if (err.statusCode === 429) return sendError(reply, locale, 429, 'rate_limited');
    if (err instanceof SyntaxError || (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)) {
      return sendError(reply, locale, err.statusCode && err.statusCode < 500 ? err.statusCode : 400, 'invalid_input');
    }
    req.log.error({ err }, 'request failed');
    return sendError(reply, locale, 500, 'internal_error');
  });

  app.setNotFoundHandler((req, reply) => sendError(reply, req.locale ?? 'ja', 404, 'route_not_found'));
}
