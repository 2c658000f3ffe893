/** Organisations and their users, as the secretariat and the organisations' own administrators manage them. */
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../core/crypto.js';
import { categories, type Organization, type User } from '../core/model.js';
import { ADMIN_PASSWORD, createTestApp, type Client, type TestApp } from '../test/http.js';
import { dialects } from '../test/stores.js';

const PASSWORD = 'member password 1234';

interface ErrorBody {
  error: { code: string; message: string; details?: { path: string; code: string; message: string }[] };
}

describe.each(dialects)('organisations and users on %s', (dialect) => {
  let t: TestApp;
  let admin: Client;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    admin = await t.signIn('admin', ADMIN_PASSWORD);
  });
  afterEach(() => t.close());

  const errorOf = (res: LightMyRequestResponse) => (res.json() as ErrorBody).error;

  function expectError(res: LightMyRequestResponse, status: number, code: string) {
    expect(res.statusCode, res.body).toBe(status);
    expect(errorOf(res).code).toBe(code);
  }

  const allOrganizations = () => t.deps.store.read.organizations.list({ limit: 1000 });
  const auditCount = async (action: string) => (await t.deps.store.read.audit.list({ action, limit: 1000 })).length;

  const postOrg = (client: Client, payload: unknown) => client.request({ method: 'POST', url: '/api/v1/organizations', payload: payload as object });

  async function createOrg(overrides: Record<string, unknown> = {}): Promise<Organization> {
    const res = await postOrg(admin, { nameJa: '株式会社テスト', nameEn: 'Test Ltd.', category: 'cyber_business', ...overrides });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Organization;
  }

  const postUser = (client: Client, orgId: string, payload: Record<string, unknown>) =>
    client.request({ method: 'POST', url: `/api/v1/organizations/${orgId}/users`, payload });

  async function createUser(orgId: string, login: string, role: 'admin' | 'analyst' | 'viewer', by: Client = admin): Promise<User> {
    const res = await postUser(by, orgId, { login, displayName: login, email: `${login}@example.org`, role, password: PASSWORD });
    expect(res.statusCode, res.body).toBe(201);
    return (res.json() as { user: User }).user;
  }

  const patchUser = (client: Client, id: string, payload: Record<string, unknown>) =>
    client.request({ method: 'PATCH', url: `/api/v1/users/${id}`, payload });

  /** An organisation with an administrator, signed in. */
  async function orgWithAdmin(login = 'orgadmin') {
    const org = await createOrg();
    const user = await createUser(org.id, login, 'admin');
    return { org, user, client: await t.signIn(login, PASSWORD) };
  }

  const signInStatus = async (login: string, password = PASSWORD) =>
    (await t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { login, password } })).statusCode;

  describe('creating organisations', () => {
    it('creates one of every category and stores it', async () => {
      for (const category of categories) {
        const sector = category === 'critical_infrastructure' ? 'electricity' : undefined;
        const res = await postOrg(admin, { nameJa: `組織 ${category}`, nameEn: `Org ${category}`, category, sector });
        expect(res.statusCode, res.body).toBe(201);
        const org = res.json() as Organization;
        expect(org).toMatchObject({
          category,
          sector: sector ?? null,
          memberClass: 'none',
          designated: false,
          foreignCapital: false,
          isSecretariat: false,
          active: true,
        });
        expect(await t.deps.store.read.organizations.byId(org.id)).toEqual(org);
      }
      expect(await auditCount('organization.create')).toBe(categories.length);
    });

    it('stores member class, designation and foreign capital, with names trimmed', async () => {
      const foreign = await createOrg({ nameEn: 'Foreign KK', memberClass: 'general', foreignCapital: true });
      expect(foreign).toMatchObject({ memberClass: 'general', foreignCapital: true, designated: false });
      const org = await createOrg({ nameJa: '  指定法人  ', memberClass: 'type1', designated: true });
      expect(org).toMatchObject({ nameJa: '指定法人', memberClass: 'type1', designated: true, foreignCapital: false });
      const audit = await t.deps.store.read.audit.list({ action: 'organization.create', targetId: org.id, limit: 10 });
      expect(audit).toHaveLength(1);
      expect(audit[0]?.detail).toMatchObject({ nameJa: '指定法人', designated: true });
    });

    it.each([
      ['critical infrastructure without a sector', { category: 'critical_infrastructure' }, 'sector_required'],
      ['critical infrastructure with a null sector', { category: 'critical_infrastructure', sector: null }, 'sector_required'],
      ['a sector on another category', { category: 'university', sector: 'finance' }, 'sector_not_applicable'],
      ['designated without Type 1', { category: 'cyber_business', memberClass: 'type2', designated: true }, 'designated_requires_type1'],
    ])('refuses %s, storing nothing', async (_name, fields, code) => {
      const before = await allOrganizations();
      const res = await postOrg(admin, { nameJa: '組織', nameEn: 'Org', ...fields });
      expectError(res, 400, code);
      expect(await allOrganizations()).toEqual(before);
      expect(await auditCount('organization.create')).toBe(0);
    });

    it.each([
      ['a missing name', { nameEn: 'Org', category: 'university' }, 'nameJa', 'required'],
      ['a blank name', { nameJa: '   ', nameEn: 'Org', category: 'university' }, 'nameJa', 'too_small'],
      ['an overlong name', { nameJa: '組織', nameEn: 'x'.repeat(201), category: 'university' }, 'nameEn', 'too_big'],
      ['an unknown category', { nameJa: '組織', nameEn: 'Org', category: 'bank' }, 'category', 'invalid_value'],
      ['an unknown sector', { nameJa: '組織', nameEn: 'Org', category: 'critical_infrastructure', sector: 'space' }, 'sector', 'invalid_value'],
      ['a string for a boolean', { nameJa: '組織', nameEn: 'Org', category: 'university', designated: 'yes' }, 'designated', 'invalid_type'],
    ])('refuses %s with details naming the field', async (_name, payload, path, issue) => {
      const before = await allOrganizations();
      const res = await postOrg(admin, payload);
      expectError(res, 400, 'invalid_input');
      expect(errorOf(res).details).toContainEqual(expect.objectContaining({ path, code: issue }));
      expect(await allOrganizations()).toEqual(before);
    });

    it('gives the limit in the detail message, in the caller’s language', async () => {
      const res = await admin.request({
        method: 'POST',
        url: '/api/v1/organizations',
        headers: { cookie: `${admin.cookie}; kyg_lang=en` },
        payload: { nameJa: 'x'.repeat(201), nameEn: 'Org', category: 'university' },
      });
      // A signed-in user's stored language (ja) wins over the language cookie.
      expect(errorOf(res).details).toEqual([{ path: 'nameJa', code: 'too_big', message: '長すぎるか、大きすぎます。（制限: 200）' }]);
    });
  });

  describe('listing organisations', () => {
    it('pages by cursor: every organisation exactly once', async () => {
      for (let i = 0; i < 7; i++) await createOrg({ nameEn: `Org ${i}` });
      const seen: string[] = [];
      const sizes: number[] = [];
      let url = '/api/v1/organizations?limit=3';
      for (let pages = 0; pages < 10; pages++) {
        const res = await admin.request({ method: 'GET', url });
        expect(res.statusCode).toBe(200);
        const page = res.json() as { items: Organization[]; next: string | null };
        seen.push(...page.items.map((o) => o.id));
        sizes.push(page.items.length);
        if (page.next === null) break;
        url = `/api/v1/organizations?limit=3&cursor=${encodeURIComponent(page.next)}`;
      }
      expect(sizes).toEqual([3, 3, 2]); // 7 plus the secretariat
      expect(new Set(seen).size).toBe(8);
      expect([...seen].sort()).toEqual((await allOrganizations()).map((o) => o.id).sort());
    });

    it.each(['limit=0', 'limit=201', 'limit=abc', `cursor=${'x'.repeat(201)}`])('refuses the query %s', async (query) => {
      expectError(await admin.request({ method: 'GET', url: `/api/v1/organizations?${query}` }), 400, 'invalid_input');
    });
  });

  describe('updating and deactivating organisations', () => {
    it('updates fields, re-checking the rules on the result', async () => {
      const org = await createOrg({ category: 'critical_infrastructure', sector: 'gas' });
      const res = await admin.request({
        method: 'PATCH',
        url: `/api/v1/organizations/${org.id}`,
        payload: { nameEn: 'Renamed', memberClass: 'type1', designated: true },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ nameEn: 'Renamed', memberClass: 'type1', designated: true, sector: 'gas' });

      // Leaving critical infrastructure drops the sector; fields the PATCH does not name stay as they were.
      const moved = await admin.request({ method: 'PATCH', url: `/api/v1/organizations/${org.id}`, payload: { category: 'university' } });
      expect(moved.json()).toMatchObject({ category: 'university', sector: null, memberClass: 'type1', designated: true });

      const broken = await admin.request({ method: 'PATCH', url: `/api/v1/organizations/${org.id}`, payload: { memberClass: 'general' } });
      expectError(broken, 400, 'designated_requires_type1');
      expect(await t.deps.store.read.organizations.byId(org.id)).toMatchObject({
        nameEn: 'Renamed',
        category: 'university',
        sector: null,
        memberClass: 'type1',
        designated: true,
      });
      expect(await auditCount('organization.update')).toBe(2);
    });

    it('deactivating locks out the organisation’s users: sign-in, sessions and tokens', async () => {
      const { org, client } = await orgWithAdmin();
      const tokenRes = await client.request({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'script' } });
      const token = (tokenRes.json() as { token: string }).token;
      const bearer = () => t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } });
      expect((await bearer()).statusCode).toBe(200);

      const res = await admin.request({ method: 'PATCH', url: `/api/v1/organizations/${org.id}`, payload: { active: false } });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ active: false });

      expect(await signInStatus('orgadmin')).toBe(401);
      expect((await client.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
      expect((await bearer()).statusCode).toBe(401);
      // No new users in a deactivated organisation either.
      expectError(
        await postUser(admin, org.id, { login: 'late', displayName: 'Late', email: 'late@example.org', role: 'viewer' }),
        400,
        'organization_deactivated',
      );

      await admin.request({ method: 'PATCH', url: `/api/v1/organizations/${org.id}`, payload: { active: true } });
      expect(await signInStatus('orgadmin')).toBe(200);
    });

    it('the secretariat organisation cannot be changed', async () => {
      const secretariat = (await t.deps.store.read.organizations.secretariat()) as Organization;
      for (const payload of [{ nameEn: 'Hijacked' }, { active: false }, { memberClass: 'type1' }]) {
        const res = await admin.request({ method: 'PATCH', url: `/api/v1/organizations/${secretariat.id}`, payload });
        expectError(res, 400, 'secretariat_immutable');
      }
      expect(await t.deps.store.read.organizations.byId(secretariat.id)).toEqual(secretariat);
      expect(await auditCount('organization.update')).toBe(0);
    });

    it('PATCH of an unknown organisation is 404', async () => {
      const res = await admin.request({
        method: 'PATCH',
        url: '/api/v1/organizations/01900000-0000-7000-8000-000000000000',
        payload: { nameEn: 'x' },
      });
      expectError(res, 404, 'not_found');
    });
  });

  describe('who may see and manage organisations', () => {
    it('a non-secretariat user may not list, create or update organisations', async () => {
      const { org, client } = await orgWithAdmin();
      expectError(await client.request({ method: 'GET', url: '/api/v1/organizations' }), 403, 'forbidden');
      expectError(await postOrg(client, { nameJa: '組織', nameEn: 'Org', category: 'university' }), 403, 'forbidden');
      expectError(
        await client.request({ method: 'PATCH', url: `/api/v1/organizations/${org.id}`, payload: { memberClass: 'type1' } }),
        403,
        'forbidden',
      );
      expect((await allOrganizations()).length).toBe(2);
      expect(await t.deps.store.read.organizations.byId(org.id)).toMatchObject({ memberClass: 'none' });
    });

    it('a member sees its own organisation but not another (404: existence is hidden)', async () => {
      const { org, client } = await orgWithAdmin();
      const other = await createOrg({ nameEn: 'Other' });
      const secretariat = (await t.deps.store.read.organizations.secretariat()) as Organization;

      const own = await client.request({ method: 'GET', url: `/api/v1/organizations/${org.id}` });
      expect(own.statusCode).toBe(200);
      expect(own.json()).toMatchObject({ id: org.id });
      expectError(await client.request({ method: 'GET', url: `/api/v1/organizations/${other.id}` }), 404, 'not_found');
      expectError(await client.request({ method: 'GET', url: `/api/v1/organizations/${secretariat.id}` }), 404, 'not_found');
      // The same answer as for an organisation that does not exist at all.
      const missing = await client.request({ method: 'GET', url: '/api/v1/organizations/01900000-0000-7000-8000-000000000000' });
      expect(missing.body).toBe((await client.request({ method: 'GET', url: `/api/v1/organizations/${other.id}` })).body);
    });

    it('anonymous callers get 401', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/organizations' });
      expectError(res, 401, 'unauthenticated');
    });
  });

  describe('users', () => {
    it('the secretariat creates an organisation administrator with a one-time initial password', async () => {
      const org = await createOrg();
      const res = await postUser(admin, org.id, { login: 'Sato.Admin', displayName: '佐藤', email: 'sato@example.org', role: 'admin' });
      expect(res.statusCode, res.body).toBe(201);
      const { user, initialPassword } = res.json() as { user: User; initialPassword: string };
      expect(user).toMatchObject({ login: 'sato.admin', orgId: org.id, role: 'admin', locale: 'ja', active: true, totpEnabled: false });
      expect(initialPassword).toMatch(/^[A-Za-z0-9]{5}(-[A-Za-z0-9]{5}){3}$/);

      const stored = await t.deps.store.read.users.byId(user.id);
      expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
      expect(stored?.passwordHash).not.toContain(initialPassword);
      expect(await signInStatus('sato.admin', initialPassword)).toBe(200);

      // Shown once: listing the users does not show it again.
      const list = await admin.request({ method: 'GET', url: `/api/v1/organizations/${org.id}/users` });
      expect(list.body).not.toContain(initialPassword);
      expect(list.json()).toMatchObject({ items: [{ id: user.id }], next: null });

      const audit = await t.deps.store.read.audit.list({ action: 'user.create', targetId: user.id, limit: 10 });
      expect(audit).toHaveLength(1);
      expect(JSON.stringify(audit[0])).not.toContain(initialPassword);
    });

    it('no initial password is returned when one was given', async () => {
      const org = await createOrg();
      const res = await postUser(admin, org.id, { login: 'given', displayName: 'G', email: 'g@example.org', role: 'viewer', password: PASSWORD });
      expect(res.statusCode).toBe(201);
      expect(res.json()).not.toHaveProperty('initialPassword');
      expect(await signInStatus('given')).toBe(200);
    });

    it('an organisation administrator manages the users of their own organisation', async () => {
      const { org, client } = await orgWithAdmin();
      const analyst = await createUser(org.id, 'analyst1', 'analyst', client);
      expect(analyst.orgId).toBe(org.id);

      const res = await patchUser(client, analyst.id, { displayName: '分析担当', role: 'viewer' });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ displayName: '分析担当', role: 'viewer' });
      expect(await t.deps.store.read.users.byId(analyst.id)).toMatchObject({ displayName: '分析担当', role: 'viewer' });

      const list = await client.request({ method: 'GET', url: `/api/v1/organizations/${org.id}/users` });
      expect((list.json() as { items: User[] }).items.map((u) => u.login).sort()).toEqual(['analyst1', 'orgadmin']);

      const reset = await client.request({ method: 'POST', url: `/api/v1/users/${analyst.id}/reset-password` });
      expect(reset.statusCode).toBe(200);
      expect(await signInStatus('analyst1', (reset.json() as { password: string }).password)).toBe(200);
    });

    it('an organisation administrator cannot reach other organisations’ users (404) or secretariat routes', async () => {
      const { client } = await orgWithAdmin();
      const other = await createOrg({ nameEn: 'Other' });
      const stranger = await createUser(other.id, 'stranger', 'analyst');
      const secretariat = (await t.deps.store.read.organizations.secretariat()) as Organization;
      const adminUser = (await t.deps.store.read.users.byLogin('admin')) as User;

      expectError(await postUser(client, other.id, { login: 'intruder', displayName: 'I', email: 'i@example.org', role: 'admin' }), 404, 'not_found');
      expectError(await patchUser(client, stranger.id, { role: 'admin' }), 404, 'not_found');
      expectError(await patchUser(client, adminUser.id, { active: false }), 404, 'not_found');
      expectError(await client.request({ method: 'POST', url: `/api/v1/users/${stranger.id}/reset-password` }), 404, 'not_found');
      expectError(await client.request({ method: 'GET', url: `/api/v1/organizations/${other.id}/users` }), 404, 'not_found');
      expectError(await postUser(client, secretariat.id, { login: 'mole', displayName: 'M', email: 'm@example.org', role: 'admin' }), 404, 'not_found');
      expectError(await client.request({ method: 'GET', url: '/api/v1/audit' }), 403, 'forbidden');

      expect(await t.deps.store.read.users.byLogin('intruder')).toBeUndefined();
      expect(await t.deps.store.read.users.byLogin('mole')).toBeUndefined();
      expect(await t.deps.store.read.users.byId(stranger.id)).toMatchObject({ role: 'analyst' });
      expect(await t.deps.store.read.users.byId(adminUser.id)).toMatchObject({ active: true });
    });

    it.each(['analyst', 'viewer'] as const)('an %s cannot create or change users (403)', async (role) => {
      const org = await createOrg();
      const colleague = await createUser(org.id, 'colleague', 'viewer');
      await createUser(org.id, 'member', role);
      const member = await t.signIn('member', PASSWORD);

      expectError(await postUser(member, org.id, { login: 'newbie', displayName: 'N', email: 'n@example.org', role: 'admin' }), 403, 'forbidden');
      expectError(await patchUser(member, colleague.id, { role: 'admin' }), 403, 'forbidden');
      expect(await t.deps.store.read.users.byLogin('newbie')).toBeUndefined();
      expect(await t.deps.store.read.users.byId(colleague.id)).toMatchObject({ role: 'viewer' });
    });

    it('a login is taken once, whatever its letter case (409)', async () => {
      const org = await createOrg();
      await createUser(org.id, 'tanaka', 'analyst');
      for (const login of ['tanaka', 'TANAKA', 'admin']) {
        const res = await postUser(admin, org.id, { login, displayName: 'T', email: 't@example.org', role: 'viewer' });
        expectError(res, 409, 'login_taken');
      }
      expect((await t.deps.store.read.users.listByOrg(org.id, { limit: 10 })).length).toBe(1);
    });

    it.each([
      ['a short login', { login: 'ab' }, 'login'],
      ['a login with spaces', { login: 'a b c' }, 'login'],
      ['a bad email', { email: 'not-an-email' }, 'email'],
      ['an unknown role', { role: 'root' }, 'role'],
      ['a short password', { password: 'short' }, 'password'],
      ['an unknown locale', { locale: 'fr' }, 'locale'],
    ])('refuses %s', async (_name, fields, path) => {
      const org = await createOrg();
      const res = await postUser(admin, org.id, { login: 'valid.login', displayName: 'V', email: 'v@example.org', role: 'viewer', ...fields });
      expectError(res, 400, 'invalid_input');
      expect(errorOf(res).details).toContainEqual(expect.objectContaining({ path }));
      expect(await t.deps.store.read.users.listByOrg(org.id, { limit: 10 })).toEqual([]);
    });

    it('deactivating a user ends their sessions at once', async () => {
      const org = await createOrg();
      const user = await createUser(org.id, 'leaver', 'analyst');
      const leaver = await t.signIn('leaver', PASSWORD);
      expect((await leaver.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);

      const res = await patchUser(admin, user.id, { active: false });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ active: false });
      expect(await t.deps.store.read.sessions.byHash(sessionHashOf(leaver))).toBeUndefined();
      expect((await leaver.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
      expect(await signInStatus('leaver')).toBe(401);

      const audit = await t.deps.store.read.audit.list({ action: 'user.update', targetId: user.id, limit: 10 });
      expect(audit[0]?.detail).toEqual({ changes: { active: false } });
    });

    it('nobody can deactivate themselves', async () => {
      const self = (await t.deps.store.read.users.byLogin('admin')) as User;
      expectError(await patchUser(admin, self.id, { active: false }), 400, 'cannot_deactivate_self');
      const { user, client } = await orgWithAdmin();
      expectError(await patchUser(client, user.id, { active: false }), 400, 'cannot_deactivate_self');
      expect(await t.deps.store.read.users.byId(self.id)).toMatchObject({ active: true });
      expect(await t.deps.store.read.users.byId(user.id)).toMatchObject({ active: true });
      expect((await admin.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    });

    it('there is no route to delete a user', async () => {
      const org = await createOrg();
      const user = await createUser(org.id, 'keeper', 'viewer');
      expectError(await admin.request({ method: 'DELETE', url: `/api/v1/users/${user.id}` }), 404, 'route_not_found');
      expect(await t.deps.store.read.users.byId(user.id)).toBeDefined();
    });
  });

  describe('malformed ids in the path', () => {
    it.each([
      ['GET', '/api/v1/organizations/not-a-uuid'],
      ['PATCH', '/api/v1/organizations/123'],
      ['GET', '/api/v1/organizations/%27%20or%201%3D1--/users'],
      ['POST', '/api/v1/organizations/..%2F..%2Fetc/users'],
      ['PATCH', '/api/v1/users/00000000-0000-0000-0000-00000000000g'],
      ['POST', '/api/v1/users/xyz/reset-password'],
    ] as const)('%s %s is 400', async (method, url) => {
      const res = await admin.request({ method, url, payload: method === 'GET' ? undefined : { displayName: 'x' } });
      expectError(res, 400, 'invalid_input');
      expect(errorOf(res).details).toContainEqual(expect.objectContaining({ path: 'id' }));
    });
  });
});

/** The stored key of a client's session: the SHA-256 of its cookie value. */
function sessionHashOf(client: Client): string {
  return sha256(client.cookie.slice('kyg_session='.length));
}
