/**
 * What every browser test shares: the built UI, Debian's Chromium with the flags this machine needs,
 * where screenshots go, and council members created through the core use cases.
 */
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { system } from '../src/core/actor.js';
import type { Deps } from '../src/core/context.js';
import type { OrganizationCreate } from '../src/core/model.js';
import { newTotpSecret } from '../src/core/totp.js';
import { createOrganization } from '../src/core/usecases/organizations.js';
import { createUser } from '../src/core/usecases/users.js';

export const root = fileURLToPath(new URL('..', import.meta.url));
export const shots = join(root, 'test-results');
export const PASSWORD = 'kyogikai e2e password';

const webIndex = join(root, 'dist/web/index.html');

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/**
 * The server serves dist/web: build it when missing or older than the UI's sources. NODE_ENV is forced
 * because vitest sets it to `test`, which would bundle React's development build.
 */
export function ensureWebBuild(): void {
  const sources = Math.max(newest(join(root, 'src/web')), newest(join(root, 'vite.config.ts')));
  if (existsSync(webIndex) && statSync(webIndex).mtimeMs >= sources) return;
  execSync('npx vite build', { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

/** Debian's Chromium; without the background-networking flags it tries hosts this closed network refuses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface Person {
  login: string;
  password: string;
  /** TOTP secret for task-force users (they must have a second factor to see task-force information). */
  totp?: string;
}

const meta = { ip: '127.0.0.1', userAgent: 'e2e set-up' };
const setup = system('e2e');

/** An organisation with one analyst, created through the core use cases as the secretariat would. */
export async function member(deps: Deps, org: OrganizationCreate, user: { login: string; displayName: string; totp: boolean }): Promise<Person> {
  const created = await createOrganization(deps, setup, org, meta);
  const { user: u } = await createUser(
    deps,
    setup,
    created.id,
    { login: user.login, displayName: user.displayName, email: `${user.login}@example.jp`, role: 'analyst', locale: 'ja', password: PASSWORD },
    meta,
  );
  if (!user.totp) return { login: user.login, password: PASSWORD };
  const secret = newTotpSecret();
  await deps.store.tx((r) => r.users.update(u.id, { totpSecret: secret }));
  return { login: user.login, password: PASSWORD, totp: secret };
}
