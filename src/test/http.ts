/**
 * HTTP tests through `app.inject()` on a real database: a signed-in client keeps its cookie and CSRF token
 * the way the web UI does.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { bootstrap } from '../core/usecases/bootstrap.js';
import { buildApp } from '../server/app.js';
import type { App } from '../server/routes/types.js';
import type { Dialect } from '../store/index.js';
import { createTestStore, testDeps, testServerConfig, type TestClock, type TestStore } from './stores.js';
import type { Deps } from '../core/context.js';
import type { ServerConfig } from '../config.js';

export const ADMIN_PASSWORD = testServerConfig.adminPassword as string;

export interface TestApp {
  app: App;
  deps: Deps & { clock: TestClock };
  db: TestStore;
  /** Sign in and return a client that sends the session cookie and CSRF token. */
  signIn(login: string, password: string, totp?: string): Promise<Client>;
  close(): Promise<void>;
}

export interface Client {
  cookie: string;
  csrfToken: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

export async function createTestApp(dialect: Dialect, config: Partial<ServerConfig> = {}): Promise<TestApp> {
  const db = await createTestStore(dialect);
  const deps = testDeps(db.store);
  const app = await buildApp({ deps, config: { ...testServerConfig, ...config }, logger: false });
  await bootstrap(deps, ADMIN_PASSWORD);
  await app.ready();
  return {
    app,
    deps,
    db,
    async signIn(login, password, totp) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { login, password, totp } });
      if (res.statusCode !== 200) throw new Error(`sign-in failed: ${res.statusCode} ${res.body}`);
      const setCookie = res.cookies.find((c) => c.name === 'kyg_session');
      if (!setCookie) throw new Error('no session cookie');
      const cookie = `kyg_session=${setCookie.value}`;
      const csrfToken = (res.json() as { csrfToken: string }).csrfToken;
      return {
        cookie,
        csrfToken,
        request: (opts) =>
          app.inject({
            ...opts,
            headers: { cookie, 'x-csrf-token': csrfToken, ...(opts.headers ?? {}) },
          }),
      };
    },
    async close() {
      await app.close();
      await db.cleanup();
    },
  };
}
