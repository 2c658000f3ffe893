/**
 * Operations and hardening: health, metrics, the OpenAPI document, security headers, transport-level errors,
 * the audit log API, and a sweep of malformed input over every JSON endpoint.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, Organization, User } from '../core/model.js';
import { ADMIN_PASSWORD, createTestApp, type Client, type TestApp } from '../test/http.js';
import { dialects } from '../test/stores.js';

const PASSWORD = 'member password 1234';
const HOUR = 3_600_000;

interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** Every error answer is JSON `{error: {code, message}}` with a 4xx status. */
function expectClientError(res: LightMyRequestResponse, label: string): ErrorBody['error'] {
  expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeGreaterThanOrEqual(400);
  expect(res.statusCode, `${label}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  expect(res.headers['content-type'], label).toMatch(/^application\/json/);
  const { error } = res.json() as ErrorBody;
  expect(typeof error.code, label).toBe('string');
  expect(error.message.length, label).toBeGreaterThan(0);
  return error;
}

describe.each(dialects)('operations on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  const get = (url: string, headers: InjectOptions['headers'] = {}) => t.app.inject({ method: 'GET', url, headers });

  describe('health, metrics and the API description', () => {
    it('GET /healthz reports the database', async () => {
      const res = await get('/healthz');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({ status: 'ok', database: dialect });
    });

    it('/metrics is Prometheus text with request counts by route', async () => {
      await get('/healthz');
      await get('/api/v1/no-such-thing');
      const res = await get('/metrics');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      expect(res.body).toContain('# TYPE kyogikai_http_requests_total counter');
      expect(res.body).toContain('kyogikai_http_requests_total{method="GET",route="/healthz",status="200"} 1');
      expect(res.body).toContain('kyogikai_http_requests_total{method="GET",route="unmatched",status="404"} 1');
      expect(res.body).toContain('# TYPE kyogikai_http_request_duration_seconds histogram');
      expect(res.body).toMatch(/^kyogikai_process_cpu_seconds_total \d/m);
    });

    it('/api/openapi.json is an OpenAPI 3 document with request body schemas', async () => {
      const res = await get('/api/openapi.json');
      expect(res.statusCode).toBe(200);
      interface JsonSchema {
        properties?: Record<string, unknown>;
        required?: string[];
      }
      interface Operation {
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
        parameters?: { name: string; in: string }[];
      }
      const doc = res.json() as {
        openapi: string;
        paths: Record<string, Record<string, Operation>>;
        components: { securitySchemes: Record<string, unknown> };
      };
      expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);

      const bodySchema = (path: string, method: string) => doc.paths[path]?.[method]?.requestBody?.content['application/json']?.schema;
      const signIn = bodySchema('/api/v1/session', 'post');
      expect(Object.keys(signIn?.properties ?? {})).toEqual(expect.arrayContaining(['login', 'password', 'totp']));
      expect(signIn?.required).toEqual(expect.arrayContaining(['login', 'password']));
      const org = bodySchema('/api/v1/organizations', 'post');
      expect(Object.keys(org?.properties ?? {})).toEqual(expect.arrayContaining(['nameJa', 'nameEn', 'category', 'sector', 'memberClass']));
      expect(org?.required).toEqual(expect.arrayContaining(['nameJa', 'nameEn', 'category']));
      expect(bodySchema('/api/v1/organizations/{id}/users', 'post')?.properties).toHaveProperty('login');

      const auditParams = (doc.paths['/api/v1/audit']?.get?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      expect(auditParams).toEqual(expect.arrayContaining(['action', 'actorUserId', 'targetId', 'from', 'to', 'cursor', 'limit']));
      // Internal endpoints are not part of the public API description.
      expect(Object.keys(doc.paths)).not.toContain('/metrics');
      expect(Object.keys(doc.paths)).not.toContain('/api/openapi.json');
    });
  });

  describe('security headers', () => {
    function expectHardened(res: LightMyRequestResponse) {
      const csp = res.headers['content-security-policy'];
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("object-src 'none'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }

    it('are sent on API answers, errors and the web root, without HSTS over plain HTTP', async () => {
      const answers = [
        await get('/healthz'),
        await get('/api/v1/session'),
        await get('/api/v1/nothing-here'),
        await get('/', { accept: 'text/html' }),
        await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: '{', headers: { 'content-type': 'application/json' } }),
      ];
      expect(answers.map((r) => r.statusCode)).toEqual([200, 401, 404, expect.any(Number), 400]);
      // The web root is the single-page app when it is built, a JSON 404 otherwise.
      expect([200, 404]).toContain(answers[3]?.statusCode);
      for (const res of answers) {
        expectHardened(res);
        expect(res.headers['strict-transport-security']).toBeUndefined();
      }
    });

    it('do not trust X-Forwarded-Proto unless the app is told to trust its proxy', async () => {
      const res = await get('/healthz', { 'x-forwarded-proto': 'https' });
      expect(res.headers['strict-transport-security']).toBeUndefined();
    });

    it('add HSTS and Secure cookies behind a trusted TLS proxy', async () => {
      const proxied = await createTestApp(dialect, { trustProxy: true });
      try {
        const https = await proxied.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-forwarded-proto': 'https' } });
        expectHardened(https);
        expect(https.headers['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
        const http = await proxied.app.inject({ method: 'GET', url: '/healthz', headers: { 'x-forwarded-proto': 'http' } });
        expect(http.headers['strict-transport-security']).toBeUndefined();

        const signIn = await proxied.app.inject({
          method: 'POST',
          url: '/api/v1/session',
          headers: { 'x-forwarded-proto': 'https' },
          payload: { login: 'admin', password: ADMIN_PASSWORD },
        });
        expect(signIn.statusCode).toBe(200);
        expect(signIn.cookies.find((c) => c.name === 'kyg_session')).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Lax' });
      } finally {
        await proxied.close();
      }
    });
  });

  describe('transport-level errors', () => {
    const postSession = (payload: string | Buffer, contentType: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/session', payload, headers: { 'content-type': contentType } });

    it('an unknown route is a JSON 404 in the caller’s language', async () => {
      for (const [method, url] of [
        ['GET', '/api/v1/nothing'],
        ['POST', '/api/v2/session'],
        ['DELETE', '/api/v1/organizations'],
      ] as const) {
        const res = await t.app.inject({ method, url, headers: { 'accept-language': 'en' } });
        expect(res.statusCode).toBe(404);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(res.json()).toEqual({ error: { code: 'route_not_found', message: 'There is no such URL.' } });
      }
    });

    it('malformed JSON is a JSON 400', async () => {
      for (const body of ['{', '{"login": "admin",}', "{'login':'admin'}", 'undefined', '']) {
        const res = await postSession(body, 'application/json');
        expect(res.statusCode, body).toBe(400);
        expect(expectClientError(res, body).code).toBe('invalid_input');
      }
    });

    it('a body that is not JSON is 415', async () => {
      const cases: [string, string][] = [
        ['login=admin&password=x', 'text/plain'],
        ['login=admin&password=x', 'application/x-www-form-urlencoded'],
        ['<login>admin</login>', 'application/xml'],
      ];
      for (const [body, type] of cases) {
        const res = await postSession(body, type);
        expect(res.statusCode, type).toBe(415);
        expect(expectClientError(res, type).code).toBe('unsupported_media_type');
      }
      // Nobody was signed in and nothing was counted as a failed attempt.
      expect(await t.deps.store.read.audit.list({ action: 'auth.login_failed', limit: 10 })).toEqual([]);
    });

    it('a body over 1 MiB is 413', async () => {
      const body = JSON.stringify({ login: 'admin', password: 'x'.repeat(1024 * 1024) });
      const res = await postSession(body, 'application/json');
      expect(res.statusCode).toBe(413);
      expect(expectClientError(res, '413').code).toBe('payload_too_large');
    });
  });

  describe('audit log API', () => {
    let admin: Client;
    let adminUser: User;
    beforeEach(async () => {
      admin = await t.signIn('admin', ADMIN_PASSWORD);
      adminUser = (await t.deps.store.read.users.byLogin('admin')) as User;
    });

    async function createOrg(nameEn: string): Promise<Organization> {
      const res = await admin.request({ method: 'POST', url: '/api/v1/organizations', payload: { nameJa: nameEn, nameEn, category: 'university' } });
      expect(res.statusCode).toBe(201);
      return res.json() as Organization;
    }

    async function createUser(orgId: string, login: string, role: 'admin' | 'analyst' | 'viewer'): Promise<User> {
      const res = await admin.request({
        method: 'POST',
        url: `/api/v1/organizations/${orgId}/users`,
        payload: { login, displayName: login, email: `${login}@example.org`, role, password: PASSWORD },
      });
      expect(res.statusCode).toBe(201);
      return (res.json() as { user: User }).user;
    }

    async function audit(client: Client, query = '') {
      const res = await client.request({ method: 'GET', url: `/api/v1/audit${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { items: AuditEntry[]; next: string | null };
    }

    it('records every change, with who, what, when and from where', async () => {
      const org = await createOrg('Audited University');
      const user = await createUser(org.id, 'audited', 'analyst');
      const tokenRes = await admin.request({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'cli' } });
      const tokenId = (tokenRes.json() as { apiToken: { id: string } }).apiToken.id;

      const { items } = await audit(admin, '?limit=200');
      const byAction = (action: string) => items.filter((e) => e.action === action);
      expect(byAction('system.bootstrap')).toHaveLength(1);
      expect(byAction('auth.login')).toEqual([expect.objectContaining({ targetId: adminUser.id, actorUserId: adminUser.id, ip: '127.0.0.1' })]);
      expect(byAction('organization.create')).toEqual([
        expect.objectContaining({ targetType: 'organization', targetId: org.id, actorLabel: 'admin', actorOrgId: adminUser.orgId }),
      ]);
      expect(byAction('user.create')).toEqual([
        expect.objectContaining({ targetType: 'user', targetId: user.id, detail: { orgId: org.id, login: 'audited', role: 'analyst' } }),
      ]);
      expect(byAction('token.create')).toEqual([expect.objectContaining({ targetType: 'api_token', targetId: tokenId })]);
      // Newest first, each row chained by its hash.
      const seqs = items.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
      for (const e of items) expect(e.hash).toMatch(/^[0-9a-f]{64}$/);
    });

    it('filters by action, actor, target and time', async () => {
      const early = await createOrg('Early');
      const start = t.deps.clock.now().toISOString();
      t.deps.clock.advance(HOUR);
      const cut = t.deps.clock.now().toISOString();
      const late = await createOrg('Late');

      const created = await audit(admin, '?action=organization.create');
      expect(created.items.map((e) => e.targetId)).toEqual([late.id, early.id]);

      const target = await audit(admin, `?targetId=${early.id}`);
      expect(target.items.map((e) => [e.action, e.targetId])).toEqual([['organization.create', early.id]]);

      const byActor = await audit(admin, `?actorUserId=${adminUser.id}&action=organization.create`);
      expect(byActor.items).toHaveLength(2);

      const after = await audit(admin, `?from=${encodeURIComponent(cut)}`);
      expect(after.items.map((e) => e.targetId)).toEqual([late.id]);

      const before = await audit(admin, `?to=${encodeURIComponent(cut)}&action=organization.create`);
      expect(before.items.map((e) => e.targetId)).toEqual([early.id]);
      for (const e of (await audit(admin, `?to=${encodeURIComponent(cut)}`)).items) expect(e.at <= start).toBe(true);

      // A time with an offset means the same instant.
      const tokyo = new Date(Date.parse(cut)).toISOString().replace('Z', '+00:00');
      expect((await audit(admin, `?from=${encodeURIComponent(tokyo)}`)).items).toHaveLength(1);
      expect((await audit(admin, '?action=no.such.action')).items).toEqual([]);
    });

    it('pages by cursor, newest first, every row once', async () => {
      for (let i = 0; i < 4; i++) await createOrg(`Org ${i}`);
      const all = (await audit(admin, '?limit=200')).items;
      expect(all.length).toBeGreaterThanOrEqual(6);

      const seen: AuditEntry[] = [];
      let query = '?limit=2';
      for (let guard = 0; guard < 50; guard++) {
        const page = await audit(admin, query);
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items);
        if (page.next === null) break;
        query = `?limit=2&cursor=${encodeURIComponent(page.next)}`;
      }
      expect(seen.map((e) => e.seq)).toEqual(all.map((e) => e.seq));

      // Filters and cursors combine.
      const first = await audit(admin, '?action=organization.create&limit=3');
      expect(first.next).not.toBeNull();
      const second = await audit(admin, `?action=organization.create&limit=3&cursor=${encodeURIComponent(first.next ?? '')}`);
      expect([...first.items, ...second.items].map((e) => e.action)).toEqual(Array(4).fill('organization.create'));
      expect(second.next).toBeNull();
    });

    it('is for the secretariat’s administrators and analysts only', async () => {
      const secretariatId = adminUser.orgId;
      await createUser(secretariatId, 'sec.analyst', 'analyst');
      await createUser(secretariatId, 'sec.viewer', 'viewer');
      const member = await createOrg('Member');
      await createUser(member.id, 'member.admin', 'admin');

      expect((await (await t.signIn('sec.analyst', PASSWORD)).request({ method: 'GET', url: '/api/v1/audit' })).statusCode).toBe(200);
      for (const login of ['sec.viewer', 'member.admin']) {
        const res = await (await t.signIn(login, PASSWORD)).request({ method: 'GET', url: '/api/v1/audit' });
        expect(res.statusCode, login).toBe(403);
        expect(expectClientError(res, login).code).toBe('forbidden');
      }
      const anonymous = await get('/api/v1/audit');
      expect(anonymous.statusCode).toBe(401);
      expect(expectClientError(anonymous, 'anonymous').code).toBe('unauthenticated');
    });

    it.each([
      'limit=0',
      'limit=201',
      'limit=ten',
      'from=yesterday',
      'to=2026-13-01T00:00:00Z',
      'actorUserId=admin',
      `action=${'a'.repeat(101)}`,
      'cursor=%%%',
      'cursor=not-one-of-ours!',
      'cursor=AAAA',
    ])('refuses the query %s with 400', async (query) => {
      const res = await admin.request({ method: 'GET', url: `/api/v1/audit?${query}` });
      expect(res.statusCode, res.body).toBe(400);
      expect(expectClientError(res, query).code).toBe('invalid_input');
    });
  });

  describe('malformed input sweep', () => {
    let admin: Client;
    let orgId: string;
    let userId: string;
    let tokenId: string;
    beforeEach(async () => {
      admin = await t.signIn('admin', ADMIN_PASSWORD);
      const org = await admin.request({ method: 'POST', url: '/api/v1/organizations', payload: { nameJa: '組織', nameEn: 'Org', category: 'university' } });
      orgId = (org.json() as Organization).id;
      const user = await admin.request({
        method: 'POST',
        url: `/api/v1/organizations/${orgId}/users`,
        payload: { login: 'target', displayName: 'Target', email: 'target@example.org', role: 'viewer', password: PASSWORD },
      });
      userId = (user.json() as { user: User }).user.id;
      const token = await admin.request({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'cli' } });
      tokenId = (token.json() as { apiToken: { id: string } }).apiToken.id;
    });

    interface Endpoint {
      method: 'POST' | 'PATCH';
      url: () => string;
      /** Fields with a fixed form (enums, numbers, flags, logins, codes): no junk is valid there. */
      strict: string[];
      /** Free-text fields: odd but well-formed Unicode is valid there, so they only get type junk. */
      text: string[];
    }
    const endpoints: Endpoint[] = [
      { method: 'POST', url: () => '/api/v1/session', strict: ['login', 'totp'], text: ['password'] },
      { method: 'PATCH', url: () => '/api/v1/me', strict: ['locale'], text: [] },
      { method: 'POST', url: () => '/api/v1/me/password', strict: [], text: ['current', 'next'] },
      { method: 'POST', url: () => '/api/v1/me/totp/confirm', strict: ['code'], text: [] },
      { method: 'POST', url: () => '/api/v1/me/totp/disable', strict: ['code'], text: ['password'] },
      { method: 'POST', url: () => '/api/v1/me/tokens', strict: ['expiresInDays', 'readOnly'], text: ['name'] },
      {
        method: 'POST',
        url: () => '/api/v1/organizations',
        strict: ['category', 'sector', 'memberClass', 'designated', 'foreignCapital'],
        text: ['nameJa', 'nameEn'],
      },
      {
        method: 'PATCH',
        url: () => `/api/v1/organizations/${orgId}`,
        strict: ['category', 'memberClass', 'designated', 'foreignCapital', 'active'],
        text: ['nameJa', 'nameEn'],
      },
      {
        method: 'POST',
        url: () => `/api/v1/organizations/${orgId}/users`,
        strict: ['login', 'email', 'role', 'locale'],
        text: ['displayName', 'password'],
      },
      { method: 'PATCH', url: () => `/api/v1/users/${userId}`, strict: ['email', 'role', 'active'], text: ['displayName'] },
    ];

    /** Wrong types, wrong sizes and characters no field may hold. */
    const typeJunk: unknown[] = [null, [], {}, [['nested']], 12345, -1e308, { $gt: '' }, 'Ｘ'.repeat(100_000), 'x\u0000y'];
    /** Well-formed but odd text: direction overrides, a lone surrogate, non-characters, markup. */
    const unicodeJunk: unknown[] = ['\uD800\u202E\uFFFF', '<script>alert(1)</script>', 'ｔｒｕｅ', '１２', 'en\u200B', '../../etc/passwd'];
    /** Whole bodies that are not the object any endpoint expects. */
    const junkBodies: string[] = [
      'null',
      '[]',
      '"text"',
      '42',
      'true',
      '[{}]',
      '{"__proto__":{"admin":true}}',
      `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
    ];
    /** Bytes that are not UTF-8: alone, and inside an otherwise well-formed JSON value of a strict field. */
    const invalidUtf8 = (field: string) => [
      Buffer.from([0xff, 0xfe, 0xfd]),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf, 0xfe]), Buffer.from('{}')]),
      Buffer.concat([Buffer.from(`{"${field}":"`), Buffer.from([0xc3, 0x28, 0xa0, 0xa1, 0xed, 0xa0, 0x80]), Buffer.from('"}')]),
    ];

    function payloadsFor(endpoint: Endpoint): (string | Buffer)[] {
      const out: (string | Buffer)[] = [...junkBodies];
      for (const field of endpoint.strict) {
        out.push(...invalidUtf8(field));
        for (const value of [...typeJunk, ...unicodeJunk]) out.push(JSON.stringify({ [field]: value }));
      }
      for (const field of endpoint.text) for (const value of typeJunk) out.push(JSON.stringify({ [field]: value }));
      return out;
    }

    function send(endpoint: Endpoint, payload: string | Buffer) {
      const opts: InjectOptions = { method: endpoint.method, url: endpoint.url(), payload, headers: { 'content-type': 'application/json' } };
      // Sign-in is tried anonymously; the rest as the signed-in secretariat administrator.
      return endpoint.url() === '/api/v1/session' ? t.app.inject(opts) : admin.request(opts);
    }

    it('answers every malformed body with a 4xx JSON error, never a 5xx', async () => {
      const statuses = new Map<number, number>();
      for (const endpoint of endpoints) {
        for (const payload of payloadsFor(endpoint)) {
          const res = await send(endpoint, payload);
          expectClientError(res, `${endpoint.method} ${endpoint.url()} ${String(payload).slice(0, 60)}`);
          statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        }
      }
      // Validation stops nearly all of it. The one exception: invalid bytes decode to replacement characters, which
      // make a code of valid length for TOTP confirmation, refused there because no setup was started (409).
      expect([...statuses.keys()].sort()).toEqual([400, 409]);
      expect(statuses.get(409)).toBe(1);
      expect(statuses.get(400)).toBeGreaterThan(400);

      // Nothing was created or changed, nobody was counted as failing to sign in, and the app still works.
      expect(await t.deps.store.read.organizations.list({ limit: 10 })).toHaveLength(2);
      expect(await t.deps.store.read.organizations.byId(orgId)).toMatchObject({ nameJa: '組織', category: 'university', active: true });
      expect(await t.deps.store.read.users.byId(userId)).toMatchObject({ role: 'viewer', active: true, displayName: 'Target' });
      expect(await t.deps.store.read.users.byLogin('admin')).toMatchObject({ locale: 'ja', totpEnabled: false });
      expect(await t.deps.store.read.audit.list({ action: 'auth.login_failed', limit: 10 })).toEqual([]);
      expect((await admin.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    });

    it('refuses malformed path and query parameters with 400', async () => {
      const requests: InjectOptions[] = [
        { method: 'GET', url: '/api/v1/organizations/%00' },
        { method: 'GET', url: `/api/v1/organizations/${orgId}%00` },
        { method: 'PATCH', url: '/api/v1/users/%E2%80%AE%F0%9F%92%A9', payload: { role: 'admin' } },
        { method: 'POST', url: '/api/v1/users/%FF%FE/reset-password' },
        { method: 'GET', url: '/api/v1/organizations/%' },
        { method: 'GET', url: '/api/v1/organizations?limit=%FF' },
        { method: 'DELETE', url: `/api/v1/me/tokens/${tokenId.toUpperCase()}x` },
        { method: 'GET', url: '/api/v1/organizations?limit=-1' },
        { method: 'GET', url: '/api/v1/organizations?limit=1e309' },
        { method: 'GET', url: '/api/v1/organizations?limit=1&limit=2' },
        { method: 'GET', url: '/api/v1/organizations?cursor=%00' },
        { method: 'GET', url: '/api/v1/organizations?cursor=AAAA' },
        { method: 'GET', url: `/api/v1/organizations/${orgId}/users?cursor=${'_'.repeat(300)}` },
        { method: 'GET', url: '/api/v1/audit?targetId=%00' },
        { method: 'GET', url: '/api/v1/audit?from=2026-04-01T00:00:00Z&from=2026-05-01T00:00:00Z' },
      ];
      for (const request of requests) {
        const res = await admin.request(request);
        expect(res.statusCode, `${request.method} ${String(request.url)}: ${res.body}`).toBe(400);
        expectClientError(res, String(request.url));
      }
    });

    it('text the database cannot hold (U+0000) is refused, not a 500', async () => {
      const org = await admin.request({ method: 'POST', url: '/api/v1/organizations', payload: { nameJa: 'a\u0000b', nameEn: 'Org', category: 'university' } });
      expect(expectClientError(org, 'org name').code).toBe('invalid_input');
      const signIn = await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { login: 'admin\u0000', password: ADMIN_PASSWORD } });
      expect(expectClientError(signIn, 'login').code).toBe('invalid_input');
      const key = await admin.request({ method: 'PATCH', url: `/api/v1/users/${userId}`, payload: { 'display\u0000Name': 'x' } });
      expect(expectClientError(key, 'key').code).toBe('invalid_input');
      expect(await t.deps.store.read.organizations.list({ limit: 10 })).toHaveLength(2);
    });

    it('odd but valid Unicode in free text is stored as sent', async () => {
      const nameJa = '株式会社　🛡️ テスト\u202E\u200B';
      const res = await admin.request({ method: 'POST', url: '/api/v1/organizations', payload: { nameJa, nameEn: 'Zalgo Z̷̢̛a̶l̵g̸o', category: 'university' } });
      expect(res.statusCode, res.body).toBe(201);
      const stored = await t.deps.store.read.organizations.byId((res.json() as Organization).id);
      expect(stored?.nameJa).toBe(nameJa);
      expect(stored?.nameEn).toBe('Zalgo Z̷̢̛a̶l̵g̸o');
    });
  });
});
