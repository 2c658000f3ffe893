/**
 * Notifications in the browser: a Type 2 analyst has the inbox open when the Type 1 group releases countermeasure
 * information to Type 2 through the API — the bell's count goes up and a toast appears without a reload (the live
 * stream); opening the notice marks it read; the e-mail preference is kept; an organisation administrator registers
 * a webhook to a real local receiver, sees its secret once, sends a test, finds it in the delivery log, and the
 * receiver can verify the signature with that secret. Screenshots go to test-results/notifications-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../src/core/actor.js';
import { verifySignature } from '../src/core/notifications/signature.js';
import { actorForUser } from '../src/core/usecases/auth.js';
import { createToken } from '../src/core/usecases/tokens.js';
import { createUser } from '../src/core/usecases/users.js';
import { startServer } from '../src/server/main.js';
import { startHttpReceiver, type HttpReceiver } from '../src/test/notifications.js';
import { ensureWebBuild, launchChromium, member, PASSWORD, type Person, shots, signInPage } from './harness.js';

const meta = { ip: '127.0.0.1', userAgent: 'e2e set-up' };
const ADVISORY_TITLE = 'VPN 装置の認証回避の脆弱性を悪用した侵入';

describe('notifications: live inbox, e-mail preference and webhooks', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let receiver: HttpReceiver;
  let type1Token: string;
  let type2: Person;
  const orgAdmin: Person = { login: 'minato.admin', password: PASSWORD };
  let analystPage: Page;
  let advisoryPath = '';

  /** The whole page (the window stretched to its height: a fixed header would repeat mid-page otherwise), without toasts unless they are the point. */
  async function shot(page: Page, name: string, opts: { toasts?: boolean } = {}): Promise<void> {
    const viewport = page.viewportSize() ?? { width: 1360, height: 900 };
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.min(height, 4000)) });
    await page.screenshot({
      path: join(shots, `notifications-${name}.png`),
      ...(opts.toasts ? {} : { style: '.mantine-Notifications-root { display: none !important; }' }),
    });
    await page.setViewportSize(viewport);
  }

  /** A browser of its own, in Japanese, in London (times must still be shown in Japan time). */
  async function signIn(person: Person): Promise<Page> {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Europe/London', viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInPage(page, server.url, person);
    return page;
  }

  /** The Type 1 analyst's script: JSON with an API token, as a SOC's tooling would call the API. */
  async function asType1<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await fetch(`${server.url}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${type1Token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}: ${res.status}`).toBe(method === 'POST' && path === '/advisories' ? 201 : 200);
    return (await res.json()) as T;
  }

  /** Countermeasure information drafted and released to the Type 1 group, then to Type 2 (asking for feedback). */
  async function releaseToType2(title: string): Promise<string> {
    const advisory = await asType1<{ id: string }>('POST', '/advisories', {
      title,
      summary: '複数の組織で VPN 装置を経由した侵入を確認した。',
      threat: '認証を回避される脆弱性により、管理画面に不正にログインされる。',
      actions: '修正版を適用し、管理画面へのアクセス記録を確認すること。',
      tlp: 'amber',
    });
    const path = `/advisories/${advisory.id}`;
    // The release to the Type 1 group tells Type 2 nothing; the one to Type 2 asks them for feedback.
    await asType1('POST', `${path}/releases`, { to: 'type1' });
    await asType1('POST', `${path}/releases`, { to: 'type2', feedbackHours: 48 });
    return path;
  }

  const bellCount = async (page: Page) => Number((await page.getByTestId('inbox-bell').getAttribute('data-count')) ?? NaN);

  beforeAll(async () => {
    ensureWebBuild();
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-e2e-notifications-'));
    receiver = await startHttpReceiver();
    // The receiver listens on 127.0.0.1, which webhooks refuse unless the operator allows internal addresses.
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: join(dir, 'kyogikai.db'),
      adminPassword: 'correct horse battery',
      logLevel: 'silent',
      webhookAllowPrivate: true,
    });
    const deps = server.deps;
    await member(
      deps,
      { nameJa: '株式会社さくらセキュリティ', nameEn: 'Sakura Security Inc.', category: 'cyber_business', foreignCapital: false, memberClass: 'type1', designated: false, rosterConsent: true },
      { login: 'sakura.ichiro', displayName: '桜井 一郎', totp: true },
    );
    type2 = await member(
      deps,
      { nameJa: 'みなと電力株式会社', nameEn: 'Minato Electric Power Co.', category: 'critical_infrastructure', sector: 'electricity', foreignCapital: false, memberClass: 'type2', designated: false, rosterConsent: true },
      { login: 'minato.jiro', displayName: '港 次郎', totp: true },
    );
    const type1User = await deps.store.read.users.byLogin('sakura.ichiro');
    const type1Actor = type1User && (await actorForUser(deps.store.read, type1User, { via: 'session', readOnly: false }, deps.now()));
    if (!type1Actor) throw new Error('no Type 1 actor');
    type1Token = (await createToken(deps, type1Actor, { name: 'SOC 連携', expiresInDays: 1, readOnly: false }, meta)).token;
    // The administrator of the Type 2 analyst's organisation: it may register webhooks for it.
    const type2User = await deps.store.read.users.byLogin(type2.login);
    await createUser(
      deps,
      system('e2e'),
      type2User?.orgId ?? '',
      { login: orgAdmin.login, displayName: '港 管理者', email: 'admin@minato-power.example.jp', role: 'admin', locale: 'ja', password: PASSWORD },
      meta,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await receiver?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a release to Type 2 reaches the open inbox at once: the count goes up and a toast appears without a reload', async () => {
    analystPage = await signIn(type2);
    const page = analystPage;
    await page.getByTestId('inbox-bell').click();
    await page.getByTestId('inbox-empty').waitFor();
    expect(await bellCount(page)).toBe(0);
    // Anything that reloads the page would forget this.
    await page.evaluate(() => Object.assign(window, { stillTheSamePage: true }));

    advisoryPath = await releaseToType2(ADVISORY_TITLE);

    const toast = page.getByTestId('notice-toast');
    await toast.waitFor();
    expect(await toast.getByTestId('notice-toast-link').textContent()).toBe(`対策情報「${ADVISORY_TITLE}」へのフィードバックをお願いします`);
    expect(await toast.getByTestId('notice-toast-link').getAttribute('href')).toBe(advisoryPath);
    await expect.poll(() => bellCount(page)).toBe(1);
    const item = page.getByTestId('inbox-item');
    await item.waitFor();
    expect(await item.getAttribute('data-read')).toBe('false');
    expect(await item.textContent()).toContain('までに回答してください');
    expect(await item.getByTestId('inbox-item-at').textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} JST$/);
    await shot(page, '1-live-notice', { toasts: true });
    expect(await page.evaluate(() => (window as { stillTheSamePage?: boolean }).stillTheSamePage)).toBe(true);
  });

  it('opening a notice shows the item and marks the notice read', async () => {
    const page = analystPage;
    const first = page.getByTestId('inbox-item').filter({ hasText: ADVISORY_TITLE });
    await first.getByTestId('inbox-item-link').click();
    await page.getByTestId('advisory-detail').waitFor();
    expect(new URL(page.url()).pathname).toBe(advisoryPath);
    expect(await page.getByTestId('advisory-heading').textContent()).toContain(ADVISORY_TITLE);
    await expect.poll(() => bellCount(page)).toBe(0);

    await page.getByTestId('inbox-bell').click();
    await page.getByTestId('inbox').waitFor();
    await expect.poll(() => first.getAttribute('data-read')).toBe('true');

    // A second release arrives on the open inbox; "unread only" shows just that one, "mark all read" clears it.
    const second = 'Web メールサーバーを狙ったパスワードスプレー攻撃';
    await releaseToType2(second);
    await expect.poll(() => page.getByTestId('inbox-item').count()).toBe(2);
    await expect.poll(() => bellCount(page)).toBe(1);
    await page.getByTestId('inbox-unread-only').check();
    await expect.poll(() => page.getByTestId('inbox-item').count()).toBe(1);
    expect(await page.getByTestId('inbox-item').textContent()).toContain(second);
    await shot(page, '2-inbox-unread');
    // Toasts sit over the page's top right corner: dismiss them.
    for (const close of await page.getByTestId('notice-toast-close').all()) await close.click();
    await page.getByTestId('inbox-read-all').click();
    await page.getByTestId('inbox-empty').waitFor();
    await expect.poll(() => bellCount(page)).toBe(0);
  });

  it('the e-mail preference is kept, and the notices that cannot be switched off are named', async () => {
    const page = analystPage;
    await page.getByTestId('nav-settings').click();
    const prefs = page.getByTestId('notification-preferences');
    await prefs.waitFor();
    expect(await page.getByTestId('email-preference-immediate').isChecked()).toBe(true);
    const mandatory = await prefs.getByTestId('mandatory-notice').allTextContents();
    expect(mandatory.some((x) => x.includes('フィードバックの依頼') && x.includes('停止不可'))).toBe(true);
    expect(mandatory.some((x) => x.includes('情報提供依頼'))).toBe(true);

    await page.getByTestId('email-preference-digest').check();
    await page.getByText('メール通知の設定を保存しました。').waitFor();
    await page.reload();
    await page.getByTestId('notification-preferences').waitFor();
    await expect.poll(() => page.getByTestId('email-preference-digest').isChecked()).toBe(true);
    expect(await page.getByTestId('email-preference-immediate').isChecked()).toBe(false);
    await shot(page, '3-preferences');
    // An analyst is no organisation administrator: no webhooks for them.
    expect(await page.getByTestId('nav-webhooks').count()).toBe(0);
  });

  it('an organisation administrator registers a webhook, sees its secret once, sends a test and finds it in the log', async () => {
    const page = await signIn(orgAdmin);
    await page.getByTestId('nav-webhooks').click();
    await page.getByTestId('webhooks').waitFor();
    await page.getByTestId('webhook-empty').waitFor();
    expect(await page.getByTestId('webhook-signature-help').textContent()).toContain('Kyogikai-Signature');

    // A refused URL: the server's reason, in Japanese.
    await page.getByTestId('webhook-url').fill('ftp://soc.example.jp/hook');
    await page.getByTestId('webhook-event-advisory.released').check();
    await page.getByTestId('webhook-submit').click();
    await expect.poll(() => page.getByTestId('webhook-register-error').textContent()).toContain('http:// または https:// で始まる');

    await page.getByTestId('webhook-url').fill(receiver.url);
    await page.getByTestId('webhook-description').fill('SOC のチケット起票');
    await page.getByTestId('webhook-event-feedback.requested').check();
    await page.getByTestId('webhook-submit').click();
    const secret = (await page.getByTestId('webhook-secret').textContent()) ?? '';
    expect(secret).toMatch(/^whsec_\S+$/);
    await page.getByTestId('webhook-card').waitFor();
    expect(await page.getByTestId('webhook-card-url').textContent()).toBe(receiver.url);
    await shot(page, '4-webhook-registered');

    // Once: after a reload the secret is nowhere on the page.
    await page.reload();
    await page.getByTestId('webhook-card').waitFor();
    expect(await page.getByTestId('webhook-secret').count()).toBe(0);
    expect(await page.content()).not.toContain(secret);

    await page.getByTestId('webhook-test').click();
    const delivery = page.getByTestId('webhook-delivery').first();
    await expect.poll(() => delivery.getAttribute('data-status'), { timeout: 20_000 }).toBe('delivered');
    expect(await delivery.getAttribute('data-event')).toBe('ping');
    expect(await delivery.getByTestId('webhook-delivery-status').textContent()).toBe('配信済み');
    expect(await delivery.getByTestId('webhook-delivery-http').textContent()).toBe('200');
    await shot(page, '5-webhook-delivery-log');

    // The receiver got the ping, signed with the secret the administrator was shown.
    const ping = receiver.requests.find((r) => r.headers['kyogikai-event'] === 'ping');
    expect(ping).toBeDefined();
    const signature = String(ping?.headers['kyogikai-signature']);
    expect(verifySignature(secret, ping?.body ?? '', signature, Math.floor(Date.now() / 1000))).toBe(true);

    // Removing it asks first.
    await page.getByTestId('webhook-delete').click();
    await page.getByTestId('confirm-ok').click();
    await page.getByTestId('webhook-empty').waitFor();
  });
});
