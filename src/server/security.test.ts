/**
 * The security tests issue 9 names that the feature tests do not already hold (docs/security.md maps every
 * requirement to its test): session fixation with a planted valid session, CSRF on every state-changing route,
 * path traversal through attachments, brute force on the second factor and across accounts, and the read-only
 * token scope on every state-changing route. Stored XSS is a browser test (e2e/xss.test.ts).
 *
 * The route sweeps read the OpenAPI document, so every new route is held to the same rules when it lands.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../core/totp.js';
import { bootstrap } from '../core/usecases/bootstrap.js';
import { depsFor } from '../deps.js';
import { directoryFileStore } from '../store/files.js';
import { createFuzzFixture, type FuzzFixture } from '../test/fuzz/fixture.js';
import { changedTables, fingerprinter, type Fingerprinter } from '../test/fuzz/fingerprint.js';
import { valid, type JsonSchema } from '../test/fuzz/schema.js';
import { ADMIN_PASSWORD, createTestApp } from '../test/http.js';
import { createSignedInCouncil, MEMBER_PASSWORD, type SignedInCouncil } from '../test/sharing-council.js';
import { createTestStore, dialects, TestClock, testServerConfig } from '../test/stores.js';
import { buildApp } from './app.js';

interface Operation {
  method: string;
  path: string;
  body?: JsonSchema;
  /** `security: []` in the document: open to anyone (application, consultation, private links, sign-in). */
  public: boolean;
}

/** The state-changing operations of the OpenAPI document. */
async function writeOperations(app: FuzzFixture['t']['app']): Promise<Operation[]> {
  const doc = (await app.inject({ method: 'GET', url: '/api/openapi.json' })).json<{
    paths: Record<string, Record<string, { security?: unknown[]; requestBody?: { content?: Record<string, { schema?: JsonSchema }> } }>>;
  }>();
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods)
      .filter(([method]) => !['get', 'head', 'options'].includes(method))
      .map(([method, op]) => ({
        method: method.toUpperCase(),
        path,
        public: Array.isArray(op.security) && op.security.length === 0,
        ...(op.requestBody?.content?.['application/json']?.schema ? { body: op.requestBody.content['application/json'].schema } : {}),
      })),
  );
}

/** A body the route's schema accepts, the same every run. */
const sampleBody = (schema: JsonSchema | undefined, seed: number): unknown => (schema ? fc.sample(valid(schema), { seed, numRuns: 1 })[0] : undefined);

const errorOf = (res: LightMyRequestResponse) => res.json<{ error: { code: string; message: string } }>().error;

describe.each(dialects)('security on %s', (dialect) => {
  describe('state-changing routes', () => {
    let fx: FuzzFixture;
    let fp: Fingerprinter;
    let ops: Operation[];

    beforeAll(async () => {
      fx = await createFuzzFixture(dialect);
      fp = fingerprinter(fx.t.db);
      ops = await writeOperations(fx.t.app);
    }, 120_000);
    afterAll(async () => {
      await fp?.close();
      await fx?.close();
    });

    /** Every way a route's path can be filled with things that exist (an id of each kind, so one of them fits). */
    function urls(path: string): string[] {
      const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
      if (!names.length) return [path];
      const [first, ...rest] = names;
      return (fx.known[first as string] ?? ['x']).map((v) => rest.reduce((p, n) => p.replace(`{${n}}`, fx.known[n]?.[0] ?? 'x'), path.replace(`{${first as string}}`, v)));
    }

    it('refuse a cookie-authenticated change without the CSRF token, whatever a cross-site form can send, and change nothing', { timeout: 300_000 }, async () => {
      const admin = (await fx.client('admin')) as NonNullable<Awaited<ReturnType<FuzzFixture['client']>>>;
      const forms = [
        { 'content-type': 'application/x-www-form-urlencoded', payload: 'login=admin&active=false' },
        { 'content-type': 'text/plain', payload: '{"active":false}' },
        { 'content-type': 'multipart/form-data; boundary=x', payload: '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\nb\r\n--x--\r\n' },
      ];
      let checked = 0;
      for (const op of ops.filter((o) => !(o.method === 'POST' && o.path === '/api/v1/session'))) {
        const before = await fp.take();
        for (const url of urls(op.path).slice(0, 3)) {
          for (const form of forms) {
            const res = await fx.t.app.inject({
              method: op.method as InjectOptions['method'],
              url,
              headers: { cookie: admin.cookie, 'content-type': form['content-type'], origin: 'https://evil.example' },
              payload: form.payload,
            });
            expect(res.statusCode, `${op.method} ${url}: ${res.body}`).toBe(403);
            expect(errorOf(res).code).toBe('csrf_invalid');
            checked++;
          }
        }
        expect(changedTables(before, await fp.take()), `${op.method} ${op.path}`).toEqual([]);
      }
      expect(checked).toBeGreaterThan(100);
      // The token counts only in its header: not from the query string, not from a cookie.
      const elsewhere = await fx.t.app.inject({
        method: 'PATCH',
        url: `/api/v1/me?x-csrf-token=${admin.csrfToken}`,
        headers: { cookie: `${admin.cookie}; x-csrf-token=${admin.csrfToken}; csrfToken=${admin.csrfToken}` },
        payload: { locale: 'en' },
      });
      expect(elsewhere.statusCode).toBe(403);
      // Signing in takes JSON only, so a cross-site form cannot sign the victim in to the attacker's account either.
      const loginCsrf = await fx.t.app.inject({ method: 'POST', url: '/api/v1/session', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: `login=admin&password=${encodeURIComponent(ADMIN_PASSWORD)}` });
      expect(loginCsrf.statusCode).toBe(415);
      expect(loginCsrf.cookies.find((c) => c.name === 'kyg_session')).toBeUndefined();
    });

    it('a read-only token changes nothing anywhere: every state-changing route refuses it', { timeout: 300_000 }, async () => {
      const type1 = (await fx.client('type1')) as NonNullable<Awaited<ReturnType<FuzzFixture['client']>>>;
      const admin = (await fx.client('admin')) as NonNullable<Awaited<ReturnType<FuzzFixture['client']>>>;
      const tokens: string[] = [];
      for (const c of [admin, type1]) {
        const res = await c.request({ method: 'POST', url: '/api/v1/me/tokens', payload: { name: 'read only', readOnly: true } });
        expect(res.statusCode).toBe(201);
        const token = res.json<{ token: string }>().token;
        // A token's first use records when it was used: done here, so that the sweep below sees only what it caused.
        expect((await fx.t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
        tokens.push(token);
      }
      const refusals = new Map<string, number>();
      // Public routes and signing in are open to anyone; a token adds nothing there.
      for (const op of ops.filter((o) => !o.public && !(o.method === 'POST' && o.path === '/api/v1/session'))) {
        const before = await fp.take();
        // Every id in the path, so that one of them names a thing of the right kind; the two tokens take turns.
        for (const [i, url] of urls(op.path).entries()) {
          const body = sampleBody(op.body, i + 1);
          const res = await fx.t.app.inject({
            method: op.method as InjectOptions['method'],
            url,
            headers: { authorization: `Bearer ${tokens[i % tokens.length] as string}` },
            ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
          });
          expect(res.statusCode, `${op.method} ${url}: ${res.body}`).toBeLessThan(500);
          if (res.statusCode >= 400) refusals.set(errorOf(res).code, (refusals.get(errorOf(res).code) ?? 0) + 1);
        }
        // The property itself: nothing changed. (A POST that only reads, such as a lookup, may answer 200, and signing
        // out 204: a token has no session to end.)
        expect(changedTables(before, await fp.take()), `${op.method} ${op.path}`).toEqual([]);
      }
      // Most of them get as far as the policy, which names the reason.
      expect(refusals.get('read_only_token') ?? 0).toBeGreaterThan(50);
    });
  });

  describe('attachments and the file system', () => {
    let dir: string;
    let council: SignedInCouncil;
    let close: () => Promise<void>;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kyogikai-traversal-'));
      const db = await createTestStore(dialect);
      const clock = new TestClock();
      // The attachments directory sits inside `dir`, so that anything written beside it would show.
      const deps = { ...depsFor(db.store, { ...testServerConfig, attachmentsDir: join(dir, 'attachments') }, clock.now), clock };
      const app = await buildApp({ deps, config: testServerConfig, logger: false });
      await bootstrap(deps, ADMIN_PASSWORD);
      await app.ready();
      council = await createSignedInCouncil({
        app,
        deps,
        db,
        signIn: async (login, password, totp) => {
          const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login, password, totp } });
          const cookie = `kyg_session=${res.cookies.find((c) => c.name === 'kyg_session')?.value ?? ''}`;
          const csrfToken = res.json<{ csrfToken: string }>().csrfToken;
          return { cookie, csrfToken, request: (opts) => app.inject({ ...opts, headers: { cookie, 'x-csrf-token': csrfToken, ...(opts.headers ?? {}) } }) };
        },
        close: async () => undefined,
      });
      close = async () => {
        await app.close();
        await db.cleanup();
        rmSync(dir, { recursive: true, force: true });
      };
    });
    afterAll(() => close?.());

    it('keep every upload inside the attachments directory under its id, whatever its name says', async () => {
      const general = await council.as('general');
      const report = await general.request({ method: 'POST', url: '/api/v1/reports', payload: { title: '添付', description: 'ファイル', kind: 'incident', certainty: 'suspected' } });
      const reportId = report.json<{ id: string }>().id;
      const names = ['../../evil.txt', '..\\..\\evil.txt', '/etc/cron.d/evil', 'C:\\Windows\\evil.txt', '....//....//evil.txt', '%2e%2e%2fevil.txt', 'evil\u0000.txt', 'a"\r\nX-Injected: 1.txt'];
      const saved: { id: string; name: string }[] = [];
      for (const name of names) {
        const b = 'traversal';
        const res = await general.request({
          method: 'POST',
          url: `/api/v1/reports/${reportId}/attachments`,
          headers: { 'content-type': `multipart/form-data; boundary=${b}` },
          payload: `--${b}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\nx\r\n--${b}--\r\n`,
        });
        expect(res.statusCode, `${name}: ${res.body}`).toBe(201);
        saved.push({ id: res.json<{ id: string }>().id, name });
      }
      // Only the attachments directory was created, and it holds exactly one file per upload, named by its id.
      expect(readdirSync(dir)).toEqual(['attachments']);
      expect(readdirSync(join(dir, 'attachments')).sort()).toEqual(saved.map((s) => s.id).sort());
      const type1 = await council.as('type1');
      for (const { id } of saved) {
        const got = await type1.request({ method: 'GET', url: `/api/v1/attachments/${id}` });
        expect(got.statusCode).toBe(200);
        // The stored name is shown only as an encoded download name: no path, no header of its own.
        expect(got.headers['content-disposition']).toMatch(/^attachment; filename\*=UTF-8''[^/\\\s"]+$/);
        expect(got.headers['x-injected']).toBeUndefined();
      }
      for (const probe of ['..%2F..%2Fetc%2Fpasswd', '%2e%2e', '..', 'attachments', `${saved[0]?.id ?? ''}%2F..`]) {
        const res = await type1.request({ method: 'GET', url: `/api/v1/attachments/${probe}` });
        expect(res.statusCode, probe).toBeGreaterThanOrEqual(400);
        expect(res.statusCode, probe).toBeLessThan(500);
        expect(res.body).not.toContain('root:');
      }
    });

    it('the file store itself refuses anything but an id', async () => {
      const files = directoryFileStore(join(dir, 'attachments'));
      for (const id of ['../evil', '/etc/passwd', 'a/../../b', '01a20000-0000-7000-8000-000000000000/../x']) {
        await expect(files.put(id, Buffer.from('x'))).rejects.toThrow('invalid file id');
        await expect(files.get(id)).rejects.toThrow('invalid file id');
      }
    });
  });

  describe('sign-in', () => {
    let council: SignedInCouncil;
    let t: Awaited<ReturnType<typeof createTestApp>>;
    beforeAll(async () => {
      t = await createTestApp(dialect);
      council = await createSignedInCouncil(t);
    });
    afterAll(() => t?.close());

    const signIn = (login: string, password: string, totp?: string, cookie?: string) =>
      t.app.inject({ method: 'POST', url: '/api/v1/session', payload: { login, password, ...(totp ? { totp } : {}) }, ...(cookie ? { headers: { cookie } } : {}) });

    it('a planted session of the attacker is neither kept nor raised to the victim (session fixation)', async () => {
      // The attacker signs in to their own account and plants that session cookie in the victim's browser.
      const attacker = await council.signInAgain('general');
      const res = await signIn('sakura.joho', MEMBER_PASSWORD, undefined, attacker.cookie);
      expect(res.statusCode).toBe(200);
      const issued = `kyg_session=${res.cookies.find((c) => c.name === 'kyg_session')?.value ?? ''}`;
      expect(issued).not.toBe(attacker.cookie);
      // Both stay who they were: the planted id still belongs to the attacker's own account, nothing more.
      const who = async (cookie: string) => (await t.app.inject({ method: 'GET', url: '/api/v1/me', headers: { cookie } })).json<{ login: string }>().login;
      expect(await who(attacker.cookie)).toBe('sakura.joho');
      // A different account signing in over the planted cookie gets its own session; the planted one is untouched.
      const victim = await signIn('niu.cert', MEMBER_PASSWORD, undefined, attacker.cookie);
      const victimCookie = `kyg_session=${victim.cookies.find((c) => c.name === 'kyg_session')?.value ?? ''}`;
      expect(await who(victimCookie)).toBe('niu.cert');
      expect(await who(attacker.cookie)).toBe('sakura.joho');
    });

    it('no answer of the API may be kept by a browser or proxy cache', async () => {
      const member = await council.as('type1');
      for (const url of ['/api/v1/me', '/api/v1/reports', '/api/v1/advisories', '/api/v1/nothing-here']) {
        const res = await member.request({ method: 'GET', url });
        expect(res.headers['cache-control'], url).toBe('no-store');
      }
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/advisories' })).headers['cache-control']).toBe('no-store');
    });

    it('guessing second-factor codes is throttled like passwords: after five wrong codes even the right one waits', async () => {
      const user = council.users.type1b;
      const secret = user.totpSecret as string;
      const now = () => t.deps.clock.now();
      const valid = () => [-30_000, 0, 30_000].map((d) => currentTotp(secret, new Date(now().getTime() + d)));
      const wrong = () => ['000000', '111111', '222222', '333333', '444444'].find((c) => !valid().includes(c)) as string;
      for (let i = 0; i < 5; i++) {
        const res = await signIn(user.login, MEMBER_PASSWORD, wrong());
        expect(res.statusCode).toBe(401);
        expect(errorOf(res).code).toBe('invalid_totp');
      }
      const blocked = await signIn(user.login, MEMBER_PASSWORD, currentTotp(secret, now()));
      expect(blocked.statusCode).toBe(429);
      expect(errorOf(blocked).code).toBe('too_many_attempts');
      t.deps.clock.advance(30_000);
      const ok = await signIn(user.login, MEMBER_PASSWORD, currentTotp(secret, now()));
      expect(ok.statusCode).toBe(200);
    });

    it('guessing across many accounts from one address is throttled by address', { timeout: 120_000 }, async () => {
      for (let i = 0; i < 30; i++) expect((await signIn(`nobody${i}`, 'not a password')).statusCode).toBe(401);
      // Even a right password of an account nobody guessed at waits: the address is what is slowed down.
      const blocked = await signIn('asb.staff', MEMBER_PASSWORD);
      expect(blocked.statusCode).toBe(429);
      t.deps.clock.advance(15 * 60_000);
      expect((await signIn('asb.staff', MEMBER_PASSWORD)).statusCode).toBe(200);
    });
  });
});
