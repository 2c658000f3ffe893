/** Personal API tokens: issued once, stored hashed, used as Bearer credentials, read-only or full, revocable. */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../core/crypto.js';
import type { ApiToken } from '../core/model.js';
import { ADMIN_PASSWORD, createTestApp, type Client, type TestApp } from '../test/http.js';
import { dialects } from '../test/stores.js';

const DAY = 86_400_000;

interface Created {
  token: string;
  apiToken: ApiToken;
}

describe.each(dialects)('API tokens on %s', (dialect) => {
  let t: TestApp;
  let admin: Client;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    admin = await t.signIn('admin', ADMIN_PASSWORD);
  });
  afterEach(() => t.close());

  const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; details?: { path: string }[] } }).error;

  function expectError(res: LightMyRequestResponse, status: number, code: string) {
    expect(res.statusCode, res.body).toBe(status);
    expect(errorOf(res).code).toBe(code);
  }

  async function createToken(client: Client, body: Record<string, unknown> = {}): Promise<Created> {
    const res = await client.request({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'script', ...body } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Created;
  }

  /** A request authenticated by the token alone: no cookie, no CSRF header. */
  const withToken = (token: string, opts: InjectOptions) =>
    t.app.inject({ ...opts, headers: { ...(opts.headers ?? {}), authorization: `Bearer ${token}` } });

  const listTokens = async (client: Client) =>
    ((await client.request({ method: 'GET', url: '/api/v1/me/tokens' })).json() as { items: ApiToken[] }).items;

  describe('issuing', () => {
    it('shows the token once and stores only its hash', async () => {
      const { token, apiToken } = await createToken(admin, { name: 'TAXII client', expiresInDays: 30 });
      expect(token).toMatch(/^kyg_[\w-]{40,}$/);
      expect(apiToken).toMatchObject({
        name: 'TAXII client',
        prefix: token.slice(0, 10),
        readOnly: false,
        createdAt: t.deps.clock.now().toISOString(),
        expiresAt: new Date(t.deps.clock.now().getTime() + 30 * DAY).toISOString(),
        lastUsedAt: null,
        revokedAt: null,
      });
      expect(apiToken).not.toHaveProperty('tokenHash');

      const stored = await t.deps.store.read.tokens.byId(apiToken.id);
      expect(stored?.tokenHash).toBe(sha256(token));
      expect(stored?.tokenHash).not.toBe(token);

      const list = await admin.request({ method: 'GET', url: '/api/v1/me/tokens' });
      expect(list.statusCode).toBe(200);
      expect(list.body).not.toContain(token);
      expect(list.body).not.toContain(sha256(token));
      expect((list.json() as { items: ApiToken[] }).items).toEqual([apiToken]);

      const audit = await t.deps.store.read.audit.list({ action: 'token.create', targetId: apiToken.id, limit: 10 });
      expect(audit).toHaveLength(1);
      expect(audit[0]?.detail).toMatchObject({ name: 'TAXII client', readOnly: false });
      expect(JSON.stringify(audit[0])).not.toContain(token);
    });

    it('defaults to 90 days and full access', async () => {
      const { apiToken } = await createToken(admin);
      expect(apiToken.readOnly).toBe(false);
      expect(new Date(apiToken.expiresAt).getTime() - t.deps.clock.now().getTime()).toBe(90 * DAY);
    });

    it.each([
      ['expiresInDays 0', { name: 'x', expiresInDays: 0 }, 'expiresInDays'],
      ['expiresInDays 1000', { name: 'x', expiresInDays: 1000 }, 'expiresInDays'],
      ['fractional days', { name: 'x', expiresInDays: 1.5 }, 'expiresInDays'],
      ['days as a string', { name: 'x', expiresInDays: '30' }, 'expiresInDays'],
      ['an empty name', { name: '' }, 'name'],
      ['a blank name', { name: '    ' }, 'name'],
      ['no name', {}, 'name'],
      ['an overlong name', { name: 'n'.repeat(101) }, 'name'],
      ['readOnly as a string', { name: 'x', readOnly: 'true' }, 'readOnly'],
    ])('refuses %s, storing nothing', async (_name, payload, path) => {
      const res = await admin.request({ method: 'POST', url: '/api/v1/me/tokens', payload });
      expectError(res, 400, 'invalid_input');
      expect(errorOf(res).details).toContainEqual(expect.objectContaining({ path }));
      expect(await listTokens(admin)).toEqual([]);
    });

    it('anonymous callers cannot list or create tokens', async () => {
      expectError(await t.app.inject({ method: 'GET', url: '/api/v1/me/tokens' }), 401, 'unauthenticated');
      expectError(await t.app.inject({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'x' } }), 401, 'unauthenticated');
    });
  });

  describe('using a token', () => {
    it('authenticates GET /api/v1/me as its owner and records its use', async () => {
      const { token, apiToken } = await createToken(admin);
      const res = await withToken(token, { method: 'GET', url: '/api/v1/me' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ login: 'admin' });
      expect((await t.deps.store.read.tokens.byId(apiToken.id))?.lastUsedAt).toBe(t.deps.clock.now().toISOString());
    });

    it('refuses unknown and malformed bearer credentials with 401', async () => {
      const { token } = await createToken(admin);
      for (const bad of [`${token}x`, 'kyg_nonsense', token.slice(0, -1)]) {
        expectError(await withToken(bad, { method: 'GET', url: '/api/v1/me' }), 401, 'unauthenticated');
      }
      // A wrong bearer token is refused even when a valid session cookie comes with it.
      const both = await t.app.inject({
        method: 'GET',
        url: '/api/v1/me',
        headers: { cookie: admin.cookie, authorization: 'Bearer kyg_nonsense' },
      });
      expectError(both, 401, 'unauthenticated');
    });

    it('a read-only token can read but not change anything', async () => {
      const { token } = await createToken(admin, { readOnly: true });
      expect((await withToken(token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
      expect((await withToken(token, { method: 'GET', url: '/api/v1/organizations' })).statusCode).toBe(200);

      const attempts: InjectOptions[] = [
        { method: 'PATCH', url: '/api/v1/me', payload: { locale: 'en' } },
        { method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'escalate' } },
        { method: 'POST', url: '/api/v1/organizations', payload: { nameJa: '組織', nameEn: 'Org', category: 'university' } },
        { method: 'POST', url: '/api/v1/me/totp' },
      ];
      for (const attempt of attempts) {
        const res = await withToken(token, attempt);
        expectError(res, 403, 'read_only_token');
      }
      expect((await t.deps.store.read.users.byLogin('admin'))?.locale).toBe('ja');
      expect(await listTokens(admin)).toHaveLength(1);
      expect(await t.deps.store.read.organizations.list({ limit: 10 })).toHaveLength(1);
    });

    it('a full token can change things without a CSRF header (bearer auth is not cookie auth)', async () => {
      const { token } = await createToken(admin);
      const res = await withToken(token, { method: 'PATCH', url: '/api/v1/me', payload: { locale: 'en' } });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ locale: 'en' });
      expect((await t.deps.store.read.users.byLogin('admin'))?.locale).toBe('en');
      const audit = await t.deps.store.read.audit.list({ action: 'user.locale', limit: 10 });
      expect(audit[0]?.actorLabel).toMatch(/^admin \(token /);
    });

    it('answers in the owner’s language', async () => {
      const { token } = await createToken(admin);
      await withToken(token, { method: 'PATCH', url: '/api/v1/me', payload: { locale: 'en' } });
      const res = await withToken(token, { method: 'GET', url: '/api/v1/organizations?limit=0', headers: { 'accept-language': 'ja' } });
      expect(res.statusCode).toBe(400);
      expect((res.json() as { error: { message: string } }).error.message).toBe('The input is not valid.');
    });
  });

  describe('revocation and expiry', () => {
    it('a revoked token is refused', async () => {
      const { token, apiToken } = await createToken(admin);
      const res = await admin.request({ method: 'DELETE', url: `/api/v1/me/tokens/${apiToken.id}` });
      expect(res.statusCode).toBe(204);
      expectError(await withToken(token, { method: 'GET', url: '/api/v1/me' }), 401, 'unauthenticated');

      const listed = await listTokens(admin);
      expect(listed).toEqual([{ ...apiToken, revokedAt: t.deps.clock.now().toISOString() }]);
      expect(await t.deps.store.read.audit.list({ action: 'token.revoke', targetId: apiToken.id, limit: 10 })).toHaveLength(1);

      // Revoking again changes nothing and writes no second audit row.
      expect((await admin.request({ method: 'DELETE', url: `/api/v1/me/tokens/${apiToken.id}` })).statusCode).toBe(204);
      expect(await t.deps.store.read.audit.list({ action: 'token.revoke', limit: 10 })).toHaveLength(1);
    });

    it('a token can revoke itself', async () => {
      const { token, apiToken } = await createToken(admin);
      expect((await withToken(token, { method: 'DELETE', url: `/api/v1/me/tokens/${apiToken.id}` })).statusCode).toBe(204);
      expectError(await withToken(token, { method: 'GET', url: '/api/v1/me' }), 401, 'unauthenticated');
    });

    it('an expired token is refused', async () => {
      const { token } = await createToken(admin, { expiresInDays: 1 });
      t.deps.clock.advance(DAY - 1000);
      expect((await withToken(token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
      t.deps.clock.advance(1000);
      expectError(await withToken(token, { method: 'GET', url: '/api/v1/me' }), 401, 'unauthenticated');
    });

    it('one user cannot see or revoke another user’s token (404)', async () => {
      const { token, apiToken } = await createToken(admin);
      const orgRes = await admin.request({
        method: 'POST',
        url: '/api/v1/organizations',
        payload: { nameJa: '組織', nameEn: 'Org', category: 'university' },
      });
      const orgId = (orgRes.json() as { id: string }).id;
      await admin.request({
        method: 'POST',
        url: `/api/v1/organizations/${orgId}/users`,
        payload: { login: 'other', displayName: 'Other', email: 'o@example.org', role: 'admin', password: 'other password 123' },
      });
      const other = await t.signIn('other', 'other password 123');

      expectError(await other.request({ method: 'DELETE', url: `/api/v1/me/tokens/${apiToken.id}` }), 404, 'not_found');
      // …the same answer as for a token that does not exist.
      expectError(
        await other.request({ method: 'DELETE', url: '/api/v1/me/tokens/01900000-0000-7000-8000-000000000000' }),
        404,
        'not_found',
      );
      expect(await listTokens(other)).toEqual([]);
      expect((await t.deps.store.read.tokens.byId(apiToken.id))?.revokedAt).toBeNull();
      expect((await withToken(token, { method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    });

    it('refuses a malformed token id', async () => {
      expectError(await admin.request({ method: 'DELETE', url: '/api/v1/me/tokens/123' }), 400, 'invalid_input');
    });
  });
});
