/** Sign-in, sessions, CSRF, language, password change and the TOTP second factor, over HTTP. */
import { createHash } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256 } from '../core/crypto.js';
import { translate } from '../core/messages.js';
import { currentTotp } from '../core/totp.js';
import { ADMIN_PASSWORD, createTestApp, type Client, type TestApp } from '../test/http.js';
import { dialects } from '../test/stores.js';

const MEMBER_PASSWORD = 'member password 1234';

describe.each(dialects)('session API on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  /** POST /api/v1/session without any stored cookie. */
  const signInRaw = (body: Record<string, unknown>, headers: InjectOptions['headers'] = {}) =>
    t.app.inject({ method: 'POST', url: '/api/v1/session', payload: body, headers });

  const sessionCookie = (res: LightMyRequestResponse) => res.cookies.find((c) => c.name === 'kyg_session');

  const errorOf = (res: LightMyRequestResponse) => (res.json() as { error: { code: string; message: string } }).error;

  const auditActions = async (action: string) => t.deps.store.read.audit.list({ action, limit: 100 });

  /** A non-secretariat organisation with one user in it, created through the API by the secretariat admin. */
  async function addMember(login = 'member1', role: 'admin' | 'analyst' | 'viewer' = 'analyst') {
    const admin = await t.signIn('admin', ADMIN_PASSWORD);
    const org = await admin.request({
      method: 'POST',
      url: '/api/v1/organizations',
      payload: { nameJa: '会員組織', nameEn: 'Member Org', category: 'cyber_business', memberClass: 'general' },
    });
    expect(org.statusCode).toBe(201);
    const orgId = (org.json() as { id: string }).id;
    const user = await admin.request({
      method: 'POST',
      url: `/api/v1/organizations/${orgId}/users`,
      payload: { login, displayName: 'Member', email: `${login}@example.org`, role, password: MEMBER_PASSWORD },
    });
    expect(user.statusCode).toBe(201);
    return { admin, orgId, userId: (user.json() as { user: { id: string } }).user.id, login };
  }

  describe('sign-in', () => {
    it('sets an httpOnly SameSite=Lax cookie and returns user, organisation and CSRF token', async () => {
      const res = await signInRaw({ login: 'admin', password: ADMIN_PASSWORD });
      expect(res.statusCode).toBe(200);
      const cookie = sessionCookie(res);
      expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
      expect(cookie?.secure).toBeFalsy();
      expect(cookie?.value).toMatch(/^[\w-]{40,}$/);

      const body = res.json() as { user: Record<string, unknown>; organization: Record<string, unknown>; csrfToken: string };
      expect(body.user).toMatchObject({ login: 'admin', role: 'admin', active: true, totpEnabled: false });
      expect(body.user).not.toHaveProperty('passwordHash');
      expect(body.organization).toMatchObject({ nameJa: '事務局', isSecretariat: true, id: body.user.orgId });
      expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);

      // Only a hash of the cookie is stored, with the CSRF token that was handed out.
      const stored = await t.deps.store.read.sessions.byHash(sha256(cookie?.value ?? ''));
      expect(stored).toMatchObject({ userId: body.user.id, csrfToken: body.csrfToken });
      const logins = await auditActions('auth.login');
      expect(logins).toHaveLength(1);
      expect(logins[0]).toMatchObject({ targetId: body.user.id, actorUserId: body.user.id });
    });

    it('accepts the login in any letter case', async () => {
      const res = await signInRaw({ login: '  ADMIN ', password: ADMIN_PASSWORD });
      expect(res.statusCode).toBe(200);
    });

    it('gives the same 401 answer for a wrong password and an unknown login', async () => {
      const wrong = await signInRaw({ login: 'admin', password: 'not the password' });
      const unknown = await signInRaw({ login: 'nobody', password: 'not the password' });
      expect(wrong.statusCode).toBe(401);
      expect(unknown.statusCode).toBe(401);
      expect(wrong.body).toBe(unknown.body);
      expect(errorOf(wrong)).toEqual({ code: 'invalid_credentials', message: translate('ja', 'invalid_credentials') });
      expect(sessionCookie(wrong)).toBeUndefined();
      const failures = await auditActions('auth.login_failed');
      expect(failures.map((f) => f.detail.login).sort()).toEqual(['admin', 'nobody']);
    });

    it('throttles after five failures, even the right password, until the wait is over', async () => {
      for (let i = 0; i < 5; i++) {
        const res = await signInRaw({ login: 'admin', password: `wrong ${i}` });
        expect(res.statusCode).toBe(401);
      }
      const blocked = await signInRaw({ login: 'admin', password: ADMIN_PASSWORD });
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBe('30');
      expect(errorOf(blocked)).toEqual({ code: 'too_many_attempts', message: translate('ja', 'too_many_attempts', { seconds: 30 }) });
      expect(sessionCookie(blocked)).toBeUndefined();

      t.deps.clock.advance(29_000);
      const stillBlocked = await signInRaw({ login: 'admin', password: ADMIN_PASSWORD });
      expect(stillBlocked.statusCode).toBe(429);
      expect(stillBlocked.headers['retry-after']).toBe('1');

      t.deps.clock.advance(1_000);
      const ok = await signInRaw({ login: 'admin', password: ADMIN_PASSWORD });
      expect(ok.statusCode).toBe(200);
      // Success clears the failure count: one more mistake is a plain 401 again.
      expect((await signInRaw({ login: 'admin', password: 'wrong again' })).statusCode).toBe(401);
    });

    it('throttles per login: other accounts are not locked out by failures on one', async () => {
      await addMember('member1');
      for (let i = 0; i < 5; i++) await signInRaw({ login: 'admin', password: `wrong ${i}` });
      expect((await signInRaw({ login: 'admin', password: ADMIN_PASSWORD })).statusCode).toBe(429);
      expect((await signInRaw({ login: 'member1', password: MEMBER_PASSWORD })).statusCode).toBe(200);
    });

    it('refuses a deactivated user with the same answer as a wrong password', async () => {
      const { admin, userId, login } = await addMember();
      expect((await signInRaw({ login, password: MEMBER_PASSWORD })).statusCode).toBe(200);
      const off = await admin.request({ method: 'PATCH', url: `/api/v1/users/${userId}`, payload: { active: false } });
      expect(off.statusCode).toBe(200);

      const res = await signInRaw({ login, password: MEMBER_PASSWORD });
      expect(res.statusCode).toBe(401);
      expect(errorOf(res).code).toBe('invalid_credentials');
      expect(sessionCookie(res)).toBeUndefined();
    });

    it('rejects bodies that are not a login and password', async () => {
      for (const payload of [{}, { login: 'admin' }, { login: '', password: 'x' }, { login: 'admin', password: 42 }]) {
        const res = await signInRaw(payload);
        expect(res.statusCode).toBe(400);
        expect(errorOf(res).code).toBe('invalid_input');
      }
    });
  });

  describe('language of answers', () => {
    const wrongPassword = { login: 'admin', password: 'not the password' };

    it('answers in Japanese by default', async () => {
      const res = await signInRaw(wrongPassword);
      expect(errorOf(res).message).toBe('ログインIDまたはパスワードが正しくありません。');
    });

    it('answers in English for Accept-Language: en', async () => {
      const res = await signInRaw(wrongPassword, { 'accept-language': 'en-GB,en;q=0.9' });
      expect(errorOf(res).message).toBe('The login ID or password is incorrect.');
    });

    it('answers in English for the kyg_lang=en cookie, which wins over Accept-Language', async () => {
      const en = await signInRaw(wrongPassword, { cookie: 'kyg_lang=en', 'accept-language': 'ja' });
      expect(errorOf(en).message).toBe(translate('en', 'invalid_credentials'));
      const ja = await signInRaw(wrongPassword, { cookie: 'kyg_lang=ja', 'accept-language': 'en' });
      expect(errorOf(ja).message).toBe(translate('ja', 'invalid_credentials'));
    });

    it('remembers the language chosen by a signed-in user', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const patch = await admin.request({ method: 'PATCH', url: '/api/v1/me', payload: { locale: 'en' } });
      expect(patch.statusCode).toBe(200);
      expect(patch.json()).toMatchObject({ locale: 'en' });

      const me = await admin.request({ method: 'GET', url: '/api/v1/me' });
      expect(me.json()).toMatchObject({ login: 'admin', locale: 'en' });
      // The user's setting wins over the browser's header.
      const err = await admin.request({
        method: 'POST',
        url: '/api/v1/me/password',
        headers: { 'accept-language': 'ja' },
        payload: { current: 'not the password', next: 'a brand new password' },
      });
      expect(err.statusCode).toBe(400);
      expect(errorOf(err)).toEqual({ code: 'wrong_password', message: translate('en', 'wrong_password') });
      expect((await auditActions('user.locale'))[0]?.detail).toEqual({ locale: 'en' });
    });
  });

  describe('session lifecycle', () => {
    it('GET /api/v1/session is 401 without a cookie and returns the session with one', async () => {
      const anon = await t.app.inject({ method: 'GET', url: '/api/v1/session' });
      expect(anon.statusCode).toBe(401);
      expect(errorOf(anon).code).toBe('unauthenticated');

      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const res = await admin.request({ method: 'GET', url: '/api/v1/session' });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ user: { login: 'admin' }, organization: { isSecretariat: true }, csrfToken: admin.csrfToken });
    });

    it('ends an unused session after the idle time, and sweeps it at the next sign-in', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      t.deps.clock.advance(481 * 60_000);
      expect((await admin.request({ method: 'GET', url: '/api/v1/session' })).statusCode).toBe(401);
      const oldHash = createHash('sha256').update(admin.cookie.split('=')[1] as string).digest('hex');
      expect(await t.deps.store.read.sessions.byHash(oldHash)).toBeDefined();
      await t.signIn('admin', ADMIN_PASSWORD);
      expect(await t.deps.store.read.sessions.byHash(oldHash)).toBeUndefined();
    });

    it('an unknown cookie is treated as no session and cleared', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/session', headers: { cookie: 'kyg_session=forged' } });
      expect(res.statusCode).toBe(401);
      expect(sessionCookie(res)?.value).toBe('');
    });

    it('DELETE signs out: the cookie no longer works', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const out = await admin.request({ method: 'DELETE', url: '/api/v1/session' });
      expect(out.statusCode).toBe(204);
      expect(sessionCookie(out)?.value).toBe('');
      expect(await t.deps.store.read.sessions.byHash(sha256(admin.cookie.replace('kyg_session=', '')))).toBeUndefined();

      const after = await admin.request({ method: 'GET', url: '/api/v1/me' });
      expect(after.statusCode).toBe(401);
      expect(await auditActions('auth.logout')).toHaveLength(1);
    });

    it('issues a fresh session id at sign-in, never the one the browser already sent (fixation)', async () => {
      const planted = 'attacker-chosen-session-value-0123456789abcdef';
      const res = await signInRaw({ login: 'admin', password: ADMIN_PASSWORD }, { cookie: `kyg_session=${planted}` });
      expect(res.statusCode).toBe(200);
      const issued = sessionCookie(res)?.value;
      expect(issued).toBeTruthy();
      expect(issued).not.toBe(planted);
      const withPlanted = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `kyg_session=${planted}` } });
      expect(withPlanted.statusCode).toBe(401);
      const withIssued = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: `kyg_session=${issued}` } });
      expect(withIssued.statusCode).toBe(200);
    });

    it('a second sign-in opens a second, independent session', async () => {
      const a = await t.signIn('admin', ADMIN_PASSWORD);
      const b = await t.signIn('admin', ADMIN_PASSWORD);
      expect(a.cookie).not.toBe(b.cookie);
      expect(a.csrfToken).not.toBe(b.csrfToken);
      await a.request({ method: 'DELETE', url: '/api/v1/session' });
      expect((await b.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
    });
  });

  describe('CSRF protection of cookie-authenticated changes', () => {
    const patchMe = (client: Client, csrf: string | undefined) =>
      t.app.inject({
        method: 'PATCH',
        url: '/api/v1/me',
        headers: { cookie: client.cookie, ...(csrf === undefined ? {} : { 'x-csrf-token': csrf }) },
        payload: { locale: 'en' },
      });
    const storedLocale = async () => (await t.deps.store.read.users.byLogin('admin'))?.locale;

    it('refuses a change without the token, and changes nothing', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const res = await patchMe(admin, undefined);
      expect(res.statusCode).toBe(403);
      expect(errorOf(res)).toEqual({ code: 'csrf_invalid', message: translate('ja', 'csrf_invalid') });
      expect(await storedLocale()).toBe('ja');
      expect(await auditActions('user.locale')).toHaveLength(0);
    });

    it('lets a browser that still holds a session cookie sign in again, with a new session', async () => {
      const old = await t.signIn('admin', ADMIN_PASSWORD);
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/session',
        headers: { cookie: old.cookie },
        payload: { login: 'admin', password: ADMIN_PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      expect(res.cookies.find((c) => c.name === 'kyg_session')?.value).not.toBe(old.cookie.split('=')[1]);
    });

    it('refuses a change with a wrong token (including another session’s)', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const other = await t.signIn('admin', ADMIN_PASSWORD);
      for (const csrf of ['wrong', '', other.csrfToken]) {
        const res = await patchMe(admin, csrf);
        expect(res.statusCode).toBe(403);
        expect(errorOf(res).code).toBe('csrf_invalid');
      }
      expect(await storedLocale()).toBe('ja');
    });

    it('accepts the change with the right token', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const res = await patchMe(admin, admin.csrfToken);
      expect(res.statusCode).toBe(200);
      expect(await storedLocale()).toBe('en');
    });

    it('does not ask for the token on reads', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie: admin.cookie } });
      expect(res.statusCode).toBe(200);
    });
  });

  describe('password change', () => {
    const change = (client: Client, current: string, next: string) =>
      client.request({ method: 'POST', url: '/api/v1/me/password', payload: { current, next } });

    it('refuses a wrong current password', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const before = (await t.deps.store.read.users.byLogin('admin'))?.passwordHash;
      const res = await change(admin, 'not the password', 'a brand new password');
      expect(res.statusCode).toBe(400);
      expect(errorOf(res).code).toBe('wrong_password');
      expect((await t.deps.store.read.users.byLogin('admin'))?.passwordHash).toBe(before);
    });

    it('refuses a too short new password', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const res = await change(admin, ADMIN_PASSWORD, 'short');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: { code: 'invalid_input', details: [{ path: 'next', code: 'too_small' }] } });
    });

    it('ends the other sessions but keeps the current one', async () => {
      const current = await t.signIn('admin', ADMIN_PASSWORD);
      const other = await t.signIn('admin', ADMIN_PASSWORD);
      const res = await change(current, ADMIN_PASSWORD, 'a brand new password');
      expect(res.statusCode).toBe(204);

      expect((await current.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(200);
      expect((await other.request({ method: 'GET', url: '/api/v1/me' })).statusCode).toBe(401);
      expect((await signInRaw({ login: 'admin', password: ADMIN_PASSWORD })).statusCode).toBe(401);
      expect((await signInRaw({ login: 'admin', password: 'a brand new password' })).statusCode).toBe(200);
      expect(await auditActions('user.password_changed')).toHaveLength(1);
    });
  });

  describe('TOTP second factor', () => {
    interface Setup {
      secret: string;
      uri: string;
      qrDataUrl: string;
    }
    /** The secret of this test's TOTP setup. */
    let secret = '';
    const now = () => t.deps.clock.now();
    const code = () => currentTotp(secret, now());
    /** A six-digit code that is not valid in the current, previous or next time step. */
    const wrongCode = () => {
      const valid = [-30_000, 0, 30_000].map((d) => currentTotp(secret, new Date(now().getTime() + d)));
      return ['000000', '111111', '222222', '333333'].find((c) => !valid.includes(c)) as string;
    };

    async function enableTotp(client: Client) {
      const start = await client.request({ method: 'POST', url: '/api/v1/me/totp' });
      expect(start.statusCode).toBe(200);
      const setup = start.json() as Setup;
      secret = setup.secret;
      const ok = await client.request({ method: 'POST', url: '/api/v1/me/totp/confirm', payload: { code: code() } });
      expect(ok.statusCode).toBe(204);
      return setup;
    }

    it('setup returns the secret, an otpauth URI and a PNG QR code; nothing is active before confirmation', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const res = await admin.request({ method: 'POST', url: '/api/v1/me/totp' });
      expect(res.statusCode).toBe(200);
      const setup = res.json() as Setup;
      expect(setup.secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(setup.uri).toMatch(/^otpauth:\/\/totp\/kyogikai:admin\?/);
      expect(setup.uri).toContain(`secret=${setup.secret}`);
      expect(setup.qrDataUrl).toMatch(/^data:image\/png;base64,[A-Za-z0-9+/]+=*$/);

      const stored = await t.deps.store.read.users.byLogin('admin');
      expect(stored).toMatchObject({ totpPendingSecret: setup.secret, totpSecret: null, totpEnabled: false });
      // Sign-in does not ask for a code yet.
      expect((await signInRaw({ login: 'admin', password: ADMIN_PASSWORD })).statusCode).toBe(200);
    });

    it('confirming needs a started setup and a right code', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      const notStarted = await admin.request({ method: 'POST', url: '/api/v1/me/totp/confirm', payload: { code: '123456' } });
      expect(notStarted.statusCode).toBe(409);
      expect(errorOf(notStarted).code).toBe('totp_not_pending');

      secret = ((await admin.request({ method: 'POST', url: '/api/v1/me/totp' })).json() as Setup).secret;
      const wrong = await admin.request({ method: 'POST', url: '/api/v1/me/totp/confirm', payload: { code: wrongCode() } });
      expect(wrong.statusCode).toBe(400);
      expect(errorOf(wrong).code).toBe('invalid_totp');
      expect((await t.deps.store.read.users.byLogin('admin'))?.totpSecret).toBeNull();

      const ok = await admin.request({ method: 'POST', url: '/api/v1/me/totp/confirm', payload: { code: code() } });
      expect(ok.statusCode).toBe(204);
      expect((await admin.request({ method: 'GET', url: '/api/v1/me' })).json()).toMatchObject({ totpEnabled: true });
      expect(await t.deps.store.read.users.byLogin('admin')).toMatchObject({ totpSecret: secret, totpPendingSecret: null });
      expect(await auditActions('user.totp_enabled')).toHaveLength(1);

      const again = await admin.request({ method: 'POST', url: '/api/v1/me/totp' });
      expect(again.statusCode).toBe(409);
      expect(errorOf(again).code).toBe('totp_already_enabled');
    });

    it('once enabled, sign-in needs a right, unused code', async () => {
      await enableTotp(await t.signIn('admin', ADMIN_PASSWORD));

      const missing = await signInRaw({ login: 'admin', password: ADMIN_PASSWORD });
      expect(missing.statusCode).toBe(401);
      expect(errorOf(missing).code).toBe('totp_required');
      expect(sessionCookie(missing)).toBeUndefined();

      const wrong = await signInRaw({ login: 'admin', password: ADMIN_PASSWORD, totp: wrongCode() });
      expect(wrong.statusCode).toBe(401);
      expect(errorOf(wrong).code).toBe('invalid_totp');

      // The code used to confirm the setup is spent; the next time step brings a new one.
      const spent = await signInRaw({ login: 'admin', password: ADMIN_PASSWORD, totp: code() });
      expect(errorOf(spent).code).toBe('invalid_totp');
      t.deps.clock.advance(30_000);
      const fresh = code();
      const ok = await signInRaw({ login: 'admin', password: ADMIN_PASSWORD, totp: fresh });
      expect(ok.statusCode).toBe(200);
      expect(sessionCookie(ok)?.value).toBeTruthy();
      const logins = await auditActions('auth.login');
      expect(logins[0]?.detail).toEqual({ secondFactor: true });

      const replay = await signInRaw({ login: 'admin', password: ADMIN_PASSWORD, totp: fresh });
      expect(replay.statusCode).toBe(401);
      expect(errorOf(replay).code).toBe('invalid_totp');
    });

    it('a wrong password with TOTP enabled still says invalid_credentials, not totp_required', async () => {
      await enableTotp(await t.signIn('admin', ADMIN_PASSWORD));
      const res = await signInRaw({ login: 'admin', password: 'not the password' });
      expect(errorOf(res).code).toBe('invalid_credentials');
    });

    it('disabling needs the password and a code', async () => {
      const admin = await t.signIn('admin', ADMIN_PASSWORD);
      await enableTotp(admin);
      t.deps.clock.advance(30_000);
      const disable = (payload: Record<string, unknown>) =>
        admin.request({ method: 'POST', url: '/api/v1/me/totp/disable', payload });

      const noCode = await disable({ password: ADMIN_PASSWORD });
      expect(noCode.statusCode).toBe(400);
      expect(errorOf(noCode).code).toBe('invalid_input');
      const badPassword = await disable({ password: 'not the password', code: code() });
      expect(badPassword.statusCode).toBe(400);
      expect(errorOf(badPassword).code).toBe('wrong_password');
      const badCode = await disable({ password: ADMIN_PASSWORD, code: wrongCode() });
      expect(badCode.statusCode).toBe(400);
      expect(errorOf(badCode).code).toBe('invalid_totp');
      expect((await t.deps.store.read.users.byLogin('admin'))?.totpEnabled).toBe(true);

      const ok = await disable({ password: ADMIN_PASSWORD, code: code() });
      expect(ok.statusCode).toBe(204);
      expect(await t.deps.store.read.users.byLogin('admin')).toMatchObject({ totpEnabled: false, totpSecret: null });
      expect(await auditActions('user.totp_disabled')).toHaveLength(1);
      expect((await signInRaw({ login: 'admin', password: ADMIN_PASSWORD })).statusCode).toBe(200);
    });
  });

  describe('login route rate limit', () => {
    it('answers the request over the limit with 429 in the caller’s language', async () => {
      const limited = await createTestApp(dialect, { loginRateLimitPerMinute: 3 });
      try {
        const attempt = () =>
          limited.app.inject({
            method: 'POST',
            url: '/api/v1/session',
            headers: { 'accept-language': 'en' },
            payload: { login: 'nobody', password: 'whatever' },
          });
        for (let i = 0; i < 3; i++) expect((await attempt()).statusCode).toBe(401);
        const res = await attempt();
        expect(res.statusCode).toBe(429);
        expect(res.headers['content-type']).toMatch(/^application\/json/);
        expect(errorOf(res)).toEqual({ code: 'rate_limited', message: translate('en', 'rate_limited') });
        // Other routes are not limited by the login limit.
        expect((await limited.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      } finally {
        await limited.close();
      }
    });
  });
});
