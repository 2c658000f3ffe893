/**
 * What every browser test shares: the built UI, Debian's Chromium with the flags this machine needs,
 * where screenshots go, and council members created through the core use cases.
 */
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { system } from '../src/core/actor.js';
import type { Deps } from '../src/core/context.js';
import type { OrganizationCreate } from '../src/core/model.js';
import { currentTotp, newTotpSecret } from '../src/core/totp.js';
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
  /** The last TOTP step this person signed in with: the server accepts each step once. */
  lastTotpStep?: number;
}

const TOTP_STEP_MS = 30_000;

/**
 * A code this person has not used yet. Two sign-ins within one 30-second step would otherwise send the
 * same code twice and the second would be refused; the server allows one step of drift ahead, so this
 * takes the next step, and waits only when that one is spent too.
 */
export async function freshTotp(person: Person): Promise<string> {
  if (!person.totp) throw new Error(`${person.login} has no second factor`);
  const stepNow = () => Math.floor(Date.now() / TOTP_STEP_MS);
  const step = Math.max(stepNow(), (person.lastTotpStep ?? 0) + 1);
  while (step > stepNow() + 1) await new Promise((r) => setTimeout(r, 500));
  person.lastTotpStep = step;
  return currentTotp(person.totp, new Date(step * TOTP_STEP_MS));
}

/** Sign in through the login page, with the second factor when the person has one; wait for `landing`. */
export async function signInPage(page: Page, url: string, person: Person, landing: string | null = 'home'): Promise<Page> {
  await page.goto(url);
  await page.getByTestId('login-id').fill(person.login);
  await page.getByTestId('login-password').fill(person.password);
  await page.getByTestId('login-submit').click();
  if (person.totp) {
    await page.getByTestId('login-totp').fill(await freshTotp(person));
    await page.getByTestId('login-submit').click();
  }
  if (landing) await page.getByTestId(landing).waitFor();
  return page;
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
