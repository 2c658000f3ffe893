/**
 * Bad input never breaks kyogikai (issue 9): every operation of the OpenAPI document (so new endpoints are fuzzed as
 * they land) gets fast-check-generated requests — malformed and hostile JSON bodies built from its own schemas,
 * bodies that are not JSON or not UTF-8, multipart uploads, query and path parameters of every wrong kind, odd
 * headers, now and then as OPTIONS or (for a GET) HEAD — from the secretariat's administrator, Type 1 and general
 * members and nobody. Every answer must be below 500; every refusal a 4xx with `{error: {code, message}}` in a language (not a bare code); and after every refusal
 * the database is exactly as before (fingerprint.ts). The one refusal that writes on purpose is a failed sign-in,
 * which is counted for throttling and audited.
 *
 * FUZZ_RUNS sets the requests per operation (default 10); a failure prints the seed: FUZZ_SEED=<seed> replays it.
 */
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFuzzFixture, fuzzPrincipals, type FuzzFixture, type FuzzPrincipal } from './test/fuzz/fixture.js';
import { changedTables, fingerprinter, type Fingerprinter } from './test/fuzz/fingerprint.js';
import { deepNesting, hostileString, malformed, valid, type JsonSchema } from './test/fuzz/schema.js';
import { encode, headerValue, short } from './test/fuzz/request.js';
import { createTestApp } from './test/http.js';
import { dialects } from './test/stores.js';
import type { Client } from './test/http.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 10);
const SEED = process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {};

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: JsonSchema;
}
interface Operation {
  method: string;
  path: string;
  parameters: Parameter[];
  body?: JsonSchema;
  /** Answers with a stream that stays open (Server-Sent Events). */
  streaming: boolean;
}

/** The operations of the OpenAPI document, read from a throwaway app; sign-in last (its failures throttle sign-in). */
async function operations(): Promise<Operation[]> {
  const t = await createTestApp('sqlite');
  try {
    type Content = Record<string, { schema?: JsonSchema }>;
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
      paths: Record<string, Record<string, { parameters?: Parameter[]; requestBody?: { content?: Content }; responses?: Record<string, { content?: Content }> }>>;
    }>();
    const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, op]): Operation => ({
        method: method.toUpperCase(),
        path,
        parameters: op.parameters ?? [],
        ...(op.requestBody?.content?.['application/json']?.schema ? { body: op.requestBody.content['application/json'].schema } : {}),
        streaming: Object.values(op.responses ?? {}).some((r) => r.content?.['text/event-stream'] !== undefined),
      })),
    );
    const signIn = (o: Operation) => o.method === 'POST' && o.path === '/api/v1/session';
    return [...ops.filter((o) => !signIn(o)), ...ops.filter(signIn)];
  } finally {
    await t.close();
  }
}

const ops = await operations();

// ------------------------------------------------------------------ generated requests

interface Body {
  payload: string | Buffer;
  contentType: string | undefined;
}

interface FuzzRequest {
  principal: FuzzPrincipal;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: Body | null;
}

const json = (v: unknown): Body => ({ payload: JSON.stringify(v) ?? 'null', contentType: 'application/json' });

const headers = fc.record(
  {
    'accept-language': headerValue,
    cookie: fc.oneof(headerValue, fc.constantFrom('kyg_lang=en', 'kyg_lang=<x>', 'kyg_session=forged', 'kyg_session=')),
    'x-csrf-token': headerValue,
    authorization: fc.oneof(headerValue, fc.constantFrom('Bearer', 'Bearer kyg_forged', 'Basic YWRtaW46YWRtaW4=', `Bearer ${'k'.repeat(5000)}`)),
    'x-forwarded-for': headerValue,
    'user-agent': headerValue,
  },
  { requiredKeys: [] },
);

/** multipart/form-data: the attachment route's format, sent everywhere, well-formed or broken. */
const multipart = fc
  .record({
    field: fc.constantFrom('file', 'other', ''),
    filename: fc.oneof(hostileString.filter((s) => s.length < 300), fc.constantFrom('report.pdf', '../../etc/passwd', 'C:\\boot.ini', '"quoted".txt', '')),
    bytes: fc.uint8Array({ maxLength: 3000 }),
    extraFields: fc.nat({ max: 8 }),
    truncated: fc.boolean(),
  })
  .map(({ field, filename, bytes, extraFields, truncated }): Body => {
    const b = 'fuzzboundary';
    const parts = Array.from({ length: extraFields }, (_, i) => `--${b}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nvalue\r\n`);
    const head = `--${b}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`;
    const payload = Buffer.concat([Buffer.from(parts.join('') + head), Buffer.from(bytes), Buffer.from(truncated ? '' : `\r\n--${b}--\r\n`)]);
    return { payload, contentType: `multipart/form-data; boundary=${b}` };
  });

/** Bodies that are not JSON, not UTF-8, not what the content type says, or JSON no parser should take. */
const rawBody: fc.Arbitrary<Body> = fc.oneof(
  fc.constantFrom('{', '{"a":', '[1,]', 'nul', '"', '{"__proto__":{"isSecretariat":true}}', '{"constructor":{"prototype":{"admin":true}}}', '', '\u0000').map((p) => ({ payload: p, contentType: 'application/json' })),
  deepNesting.map((p) => ({ payload: p, contentType: 'application/json' })),
  fc.uint8Array({ minLength: 1, maxLength: 200 }).map((bytes) => ({ payload: Buffer.from(bytes), contentType: 'application/json' })),
  // Invalid UTF-8 inside an otherwise well-formed JSON string.
  fc.uint8Array({ minLength: 1, maxLength: 20 }).map((bytes) => ({
    payload: Buffer.concat([Buffer.from('{"title":"'), Buffer.from(bytes.map((x) => x | 0x80)), Buffer.from('","body":"x"}')]),
    contentType: 'application/json',
  })),
  fc.tuple(fc.string({ maxLength: 100 }), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/json; charset=utf-16', 'garbage', undefined)).map(([p, contentType]) => ({ payload: p, contentType })),
  multipart,
);

function body(op: Operation): fc.Arbitrary<Body | null> {
  const options: fc.WeightedArbitrary<Body | null>[] = [
    { arbitrary: rawBody, weight: 3 },
    { arbitrary: fc.constant(null), weight: 1 },
  ];
  if (op.body) {
    options.push({ arbitrary: valid(op.body).map(json), weight: 3 }, { arbitrary: malformed(op.body).map(json), weight: 8 });
  } else if (op.method !== 'GET' && op.method !== 'DELETE') {
    // No JSON body documented: the multipart upload, or nothing; send both kinds and anything else.
    options.push({ arbitrary: multipart, weight: 4 }, { arbitrary: valid({}).map(json), weight: 1 });
  }
  return fc.oneof(...options);
}

/** A path segment: something that exists, any well-formed id, or something hostile (also as raw bytes). */
function segment(p: Parameter, fx: FuzzFixture): fc.Arbitrary<string> {
  const known = fx.known[p.name] ?? [];
  const options: fc.WeightedArbitrary<string>[] = [
    { arbitrary: fc.uuid({ version: 7 }), weight: 2 },
    { arbitrary: hostileString.filter((s) => s.length < 5000).map(encode), weight: 2 },
    { arbitrary: fc.constantFrom('%FF', '%C3%28', '%ED%A0%80', '%', '%2e%2e', '..', '%00', '-1', '0', '1e400', '99999999999999999999', 'x'.repeat(3000)), weight: 2 },
  ];
  if (known.length) options.push({ arbitrary: fc.constantFrom(...known), weight: 5 });
  return fc.oneof(...options);
}

const queryText = (v: unknown): string => encode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''));

function query(op: Operation): fc.Arbitrary<string> {
  const declared = op.parameters.filter((p) => p.in === 'query');
  const values = declared.map((p) =>
    fc.option(fc.oneof(valid(p.schema), malformed(p.schema), hostileString.filter((s) => s.length < 3000)).map((v) => `${encode(p.name)}=${queryText(v)}`), { freq: 3 }),
  );
  const extra = fc.array(fc.tuple(fc.string({ maxLength: 10 }), hostileString.filter((s) => s.length < 2000)).map(([k, v]) => `${encode(k)}=${encode(v)}`), { maxLength: 2 });
  const raw = fc.constantFrom('', '%FF=%FE', 'x=%ED%A0%80', 'limit=1&limit=2', 'cursor=%00', '&&&', '=x', 'a[b][c]=d', 'limit=-1', 'cursor=' + 'A'.repeat(300));
  return fc.tuple(fc.tuple(...values), extra, raw).map(([vs, ex, r]) => [...vs.filter((v): v is string => v !== null), ...ex, r].filter(Boolean).join('&'));
}

/** Mostly the operation's own method; sometimes OPTIONS, and HEAD of a GET (Fastify answers it from the GET route). */
function methodFor(op: Operation): fc.Arbitrary<string> {
  const others = op.method === 'GET' ? ['HEAD', 'OPTIONS'] : ['OPTIONS'];
  return fc.oneof({ arbitrary: fc.constant(op.method), weight: 8 }, { arbitrary: fc.constantFrom(...others), weight: 1 });
}

function requestFor(op: Operation, fx: FuzzFixture): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  return fc
    .record({
      principal: fc.constantFrom(...fuzzPrincipals),
      method: methodFor(op),
      segments: fc.tuple(...pathParams.map((p) => segment(p, fx))),
      query: query(op),
      headers,
      body: body(op),
    })
    .map(({ principal, method, segments, query: q, headers: h, body: b }) => {
      let path = op.path;
      pathParams.forEach((p, i) => (path = path.replace(`{${p.name}}`, segments[i] as string)));
      return { principal, method, url: q ? `${path}?${q}` : path, headers: h, body: b };
    });
}

// ------------------------------------------------------------------ the test

/**
 * Send as the principal (its cookie and CSRF token, unless the generated headers replace them). A stream that opened
 * (200) is closed at once; its refusals are read to the end like any answer.
 */
async function send(inject: (o: InjectOptions) => Promise<LightMyRequestResponse>, opts: InjectOptions, streaming: boolean): Promise<{ status: number; body: string }> {
  if (!streaming) {
    const res = await inject(opts);
    return { status: res.statusCode, body: res.body };
  }
  const res = await inject({ ...opts, payloadAsStream: true });
  const stream = res.stream();
  if (res.statusCode === 200) {
    stream.destroy();
    return { status: 200, body: '' };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Buffer));
  return { status: res.statusCode, body: Buffer.concat(chunks).toString('utf8') };
}

describe.each(dialects)('bad input to every endpoint on %s', (dialect) => {
  let fx: FuzzFixture;
  let fp: Fingerprinter;
  let tried = 0;

  beforeAll(async () => {
    fx = await createFuzzFixture(dialect);
    fp = fingerprinter(fx.t.db);
  }, 120_000);
  afterAll(async () => {
    console.log(`fuzz on ${dialect}: ${tried} requests to ${ops.length} operations`);
    await fp?.close();
    await fx?.close();
  });

  it.each(ops.map((op) => [`${op.method} ${op.path}`, op] as const))('%s', { timeout: 300_000 }, async (_name, op) => {
    const clients = new Map<FuzzPrincipal, Client | undefined>();
    for (const p of fuzzPrincipals) clients.set(p, await fx.client(p));
    let before = await fp.take();

    await fc.assert(
      fc.asyncProperty(requestFor(op, fx), async (req) => {
        tried++;
        const opts: InjectOptions = {
          method: req.method as InjectOptions['method'],
          url: req.url,
          headers: { ...req.headers, ...(req.body?.contentType ? { 'content-type': req.body.contentType } : {}) },
          ...(req.body ? { payload: req.body.payload } : {}),
        };
        const client = clients.get(req.principal);
        const { status, body: text } = await send((o) => (client ? client.request(o) : fx.t.app.inject(o)), opts, op.streaming);
        const after = await fp.take();
        const changed = changedTables(before, after);
        before = after;
        const what = `${req.method} ${short(req.url)} → ${status} ${short(text)}`;

        expect(status, what).toBeLessThan(500);
        if (status < 400) return;
        // A refused HEAD has no body to hold the error; it must still change nothing.
        if (req.method !== 'HEAD') {
          const error = (JSON.parse(text) as { error?: { code?: unknown; message?: unknown } }).error;
          expect(typeof error?.code, what).toBe('string');
          expect(typeof error?.message === 'string' && error.message !== '' && error.message !== error.code, `untranslated: ${what}`).toBe(true);
        }
        // A failed sign-in is recorded on purpose (throttling, audit); every other refusal changes nothing.
        const failedSignIn = op.path === '/api/v1/session' && req.method === 'POST' && status === 401;
        const unexpected = changed.filter((t) => !(failedSignIn && (t === 'login_failures' || t === 'audit_head')));
        expect(unexpected, `refused but changed ${unexpected.join(', ')}: ${what}`).toEqual([]);
      }),
      { numRuns: RUNS, ...SEED },
    );
  });
});
