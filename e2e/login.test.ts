/**
 * Sign-in end to end: Japanese login page, language switch remembered per user, TOTP setup from the
 * settings page, and the second sign-in with a verification code. Screenshots go to test-results/.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { currentTotp } from '../src/core/totp.js';
import { startServer } from '../src/server/main.js';
import { ensureWebBuild, launchChromium, shots } from './harness.js';

const ADMIN_PASSWORD = 'correct horse battery';

/** Newest modification time under a directory (or of a file). */


describe('sign-in, language and two-factor authentication in the browser', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;

  const shot = (name: string) => page.screenshot({ path: join(shots, `login-${name}.png`), fullPage: true });

  beforeAll(async () => {
    ensureWebBuild();
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-e2e-'));
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: join(dir, 'kyogikai.db'),
      adminPassword: ADMIN_PASSWORD,
      logLevel: 'silent',
    });
    browser = await launchChromium();
    // A Japanese user's browser; its clock zone is not Japan's, to show that times are still JST.
    context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Europe/London', viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('shows the Japanese login page and signs in as admin', async () => {
    await page.goto(server.url);
    await expect.poll(() => page.getByTestId('login-form').isVisible()).toBe(true);
    expect(await page.getByTestId('app-title').textContent()).toBe('サイバーセキュリティ協議会');
    expect(await page.getByRole('heading', { name: 'ログイン' }).isVisible()).toBe(true);
    expect(await page.getByLabel('ログインID').isVisible()).toBe(true);
    await shot('1-login-ja');

    // A wrong password is refused with the server's Japanese message.
    await page.getByTestId('login-id').fill('admin');
    await page.getByTestId('login-password').fill('wrong password!');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toContain('ログインIDまたはパスワードが正しくありません');

    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home').waitFor();
    expect(await page.getByTestId('home-welcome').textContent()).toBe('ようこそ、事務局管理者 さん');
    expect(await page.getByTestId('nav-organizations').textContent()).toBe('組織管理');
    expect(await page.getByTestId('nav-audit').textContent()).toBe('監査ログ');
    // The browser is in London, but the sign-in time is shown in Japan time.
    expect(await page.getByTestId('home-last-login').textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} JST$/);
  });

  it('switches to English and remembers it for the user', async () => {
    const saved = page.waitForResponse((r) => r.url().endsWith('/api/v1/me') && r.request().method() === 'PATCH');
    await page.getByTestId('lang-switch').getByText('English').click();
    expect((await saved).status()).toBe(200);
    await expect.poll(() => page.getByTestId('home-welcome').textContent()).toBe('Welcome, 事務局管理者');
    expect(await page.getByTestId('nav-settings').textContent()).toBe('Settings');
    expect(await page.getByTestId('app-title').textContent()).toBe('Cybersecurity Council');
    await shot('2-home-en');

    // Drop the language cookie: after a reload the language must come from the account.
    await context.clearCookies({ name: 'kyg_lang' });
    await page.reload();
    await page.getByTestId('home').waitFor();
    expect(await page.getByTestId('home-welcome').textContent()).toBe('Welcome, 事務局管理者');
    expect(await page.getByTestId('nav-audit').textContent()).toBe('Audit log');
  });

  let secret = '';

  it('sets up two-factor authentication from the settings page', async () => {
    await page.getByTestId('nav-settings').click();
    await page.getByTestId('settings').waitFor();
    expect(await page.getByTestId('totp-status').textContent()).toBe('Not set up');
    await page.getByTestId('totp-start').click();
    await page.getByTestId('totp-setup').waitFor();

    const qr = page.getByTestId('totp-qr');
    expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').trim();
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    await shot('3-totp-setup');

    // A wrong code first: the server's English message is shown.
    await page.getByTestId('totp-code').fill(currentTotp(secret, new Date(Date.now() - 10 * 60_000)));
    await page.getByTestId('totp-confirm').click();
    await expect.poll(() => page.getByTestId('totp-error').textContent()).toContain('The verification code is incorrect');

    await page.getByTestId('totp-code').fill(currentTotp(secret));
    await page.getByTestId('totp-confirm').click();
    await expect.poll(() => page.getByTestId('totp-status').textContent()).toBe('Enabled');
    await shot('4-totp-enabled');
  });

  it('asks for the verification code at the next sign-in', async () => {
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    // Signed out, the page keeps the language chosen last.
    expect(await page.getByRole('heading', { name: 'Sign in' }).isVisible()).toBe(true);

    await page.getByTestId('login-id').fill('admin');
    await page.getByTestId('login-password').fill(ADMIN_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-totp').waitFor();
    expect(await page.getByTestId('login-totp-prompt').textContent()).toContain('verification code');
    await shot('5-login-totp');

    // The code of the step used for the setup is spent; the next step's code is inside the ±1 window.
    await page.getByTestId('login-totp').fill(currentTotp(secret, new Date(Date.now() + 30_000)));
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home').waitFor();
    expect(await page.getByTestId('home-welcome').textContent()).toBe('Welcome, 事務局管理者');
    expect(await page.getByTestId('home-totp-missing').count()).toBe(0);
    await shot('6-home-after-totp');
  });

  it('shows the sign-ins in the audit log in Japan time', async () => {
    await page.getByTestId('nav-audit').click();
    await page.getByTestId('audit-table').waitFor();
    const first = page.getByTestId('audit-row').first();
    await first.waitFor();
    expect(await first.getByTestId('audit-at').textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} JST$/);
    expect(await page.getByTestId('audit-table').textContent()).toContain('auth.login');
    await shot('7-audit');
  });
});
