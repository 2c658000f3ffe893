/**
 * Membership end to end, each person in their own browser: a person without an account opens 構成員募集 (/join)
 * in Japanese and sends the 加入申込書, keeping the private status link → the secretariat marks it checked → a
 * steering-committee member approves it into another class than requested → the applicant opens the status link,
 * gets the one-time password link and sets a password → signs in as the new organisation administrator, is shown
 * the rules gate (規約・守秘義務の確認), accepts, and reaches the home page. Screenshots go to test-results/membership-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../src/server/main.js';
import { ensureWebBuild, launchChromium, shots } from './harness.js';

const ADMIN_PASSWORD = 'correct horse battery';
const COMMITTEE_PASSWORD = 'steering committee pass';
const NEW_PASSWORD = 'hikari-kikaku 2026 pass';
const APPLICANT_EMAIL = 'tanaka@hikari-kikaku.example.jp';



/** A signed-in API client (cookie + CSRF header), as the secretariat's scripts would use it. */
async function apiClient(base: string, login: string, password: string) {
  const res = await fetch(`${base}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login, password }),
  });
  expect(res.status).toBe(200);
  const session = (await res.json()) as { csrfToken: string; user: { id: string }; organization: { id: string } };
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0])
    .join('; ');
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: { cookie, 'x-csrf-token': session.csrfToken, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await r.text();
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return { session, call };
}

/** The rules in force of every user must be accepted before the API answers anything else. */
async function acceptRules(call: Awaited<ReturnType<typeof apiClient>>['call']): Promise<void> {
  const mine = await call<{ items: { id: string; accepted: boolean }[] }>('GET', '/me/rulebooks');
  const ids = mine.items.filter((i) => !i.accepted).map((i) => i.id);
  if (ids.length) await call('POST', '/me/rulebooks/accept', { ids });
}

const jst = (ms: number) => new Date(ms + 9 * 3_600_000).toISOString().replace('Z', '+09:00');

describe('membership: from a public application to a new member who accepted the rules', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let statusUrl = '';
  let applicationUrl = '';

  async function shot(page: Page, name: string): Promise<void> {
    const viewport = page.viewportSize() ?? { width: 1360, height: 900 };
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.min(height, 4000)) });
    await page.screenshot({ path: join(shots, `membership-${name}.png`), style: '.mantine-Notifications-root { display: none !important; }' });
    await page.setViewportSize(viewport);
  }

  /** A browser of its own for each person (Japanese, in London, to show that times stay JST). */
  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Europe/London', viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    return page;
  }

  async function signIn(login: string, password: string): Promise<Page> {
    const page = await newPage();
    await page.goto(server.url);
    await page.getByTestId('login-id').fill(login);
    await page.getByTestId('login-password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('home').waitFor();
    return page;
  }

  beforeAll(async () => {
    ensureWebBuild();
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-e2e-membership-'));
    server = await startServer({ port: 0, host: '127.0.0.1', databaseUrl: join(dir, 'kyogikai.db'), adminPassword: ADMIN_PASSWORD, logLevel: 'silent' });

    // The secretariat sets up the council through the API: a recruitment period open now, the rulebooks in force.
    const admin = await apiClient(server.url, 'admin', ADMIN_PASSWORD);
    const now = Date.now();
    await admin.call('POST', '/periods', { opensAt: jst(now - 3_600_000), closesAt: jst(now + 30 * 86_400_000), decisionDate: null });
    const effectiveAt = jst(now - 60_000);
    await admin.call('POST', '/rulebooks', {
      kind: 'council_rules',
      bodyMd: '# 協議会規約\n\n## 第1条（目的）\nこの規約は、**サイバーセキュリティ協議会**の運営に関し必要な事項を定める。\n\n- 構成員は情報を適切に取り扱う。\n- 構成員は事務局の求めに応じて情報を提供する。',
      effectiveAt,
    });
    // Once a rulebook is in force, the uploader too must accept it before doing anything else.
    await acceptRules(admin.call);
    await admin.call('POST', '/rulebooks', {
      kind: 'taskforce_rules',
      bodyMd: '# 24条タスクフォース規則\n\n1. 第二類構成員は対策情報に迅速にフィードバックする。\n2. 第一類構成員は独自情報を提供する。',
      effectiveAt,
    });
    // Once a rulebook is in force, the uploader too must accept it before doing anything else.
    await acceptRules(admin.call);
    await admin.call('POST', '/rulebooks', {
      kind: 'confidentiality_pledge',
      bodyMd: '# 守秘義務の誓約\n\n協議会の事務に従事する者は、正当な理由なく、その事務に関して知り得た秘密を漏らし、又は盗用してはならない。\n\n> 違反した場合は罰則の対象となる。',
      effectiveAt,
    });
    // Once a rulebook is in force, the uploader too must accept it before doing anything else.
    await acceptRules(admin.call);

    // A steering-committee member (a user of the secretariat's organisation with the committee flag).
    const { user } = await admin.call<{ user: { id: string } }>('POST', `/organizations/${admin.session.organization.id}/users`, {
      login: 'iinkai.sato',
      displayName: '佐藤 運営委員',
      email: 'sato@council.example.jp',
      role: 'analyst',
      locale: 'ja',
      password: COMMITTEE_PASSWORD,
    });
    await admin.call('PUT', `/users/${user.id}/committee`, { isCommittee: true });
    await acceptRules((await apiClient(server.url, 'iinkai.sato', COMMITTEE_PASSWORD)).call);

    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a person without an account applies through 構成員募集 and keeps the status link', async () => {
    const page = await newPage();
    await page.goto(server.url);
    await page.getByTestId('login-join-link').click();
    await page.getByTestId('join-form').waitFor();
    expect(await page.getByRole('heading', { name: '構成員募集' }).isVisible()).toBe(true);
    expect(await page.getByTestId('join-open-period').textContent()).toContain('第1期 構成員募集中');
    expect(await page.getByTestId('join-deadline').textContent()).toMatch(/^締切: \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} JST$/);

    // Sending an empty form names the missing fields.
    await page.getByTestId('join-submit').click();
    await page.getByTestId('join-incomplete').waitFor();

    await page.getByTestId('join-name-ja').fill('ひかり企画株式会社');
    await page.getByTestId('join-name-en').fill('Hikari Kikaku Co., Ltd.');
    await page.getByTestId('join-category').click();
    await page.getByRole('option', { name: 'サイバー関連事業者', exact: true }).click();
    await page.getByTestId('join-address').fill('東京都千代田区霞が関1-1-1');
    await page.getByTestId('join-class-type1').check();
    await page.getByTestId('join-capabilities').fill('自社SOCで観測したフィッシングサイトと C2 サーバーの情報を日次で提供できます。');
    await page.getByTestId('join-reason').fill('業界横断での脅威情報の共有に参加し、早期の対策につなげたいため。');
    const contact = page.getByTestId('join-contact-0');
    await contact.getByTestId('join-contact-name').fill('田中 花子');
    await contact.getByTestId('join-contact-department').fill('情報セキュリティ部');
    await contact.getByTestId('join-contact-email').fill('not-an-email');
    await contact.getByTestId('join-contact-phone').fill('03-1234-5678');
    await page.getByTestId('join-roster-consent').check();
    await page.getByTestId('join-submit').click();
    await expect.poll(() => contact.getByText('メールアドレスの形式が正しくありません。').isVisible()).toBe(true);
    await contact.getByTestId('join-contact-email').fill(APPLICANT_EMAIL);
    await shot(page, '1-join-form');

    await page.getByTestId('join-submit').click();
    await page.getByTestId('join-sent').waitFor();
    statusUrl = (await page.getByTestId('join-status-link').textContent()) ?? '';
    expect(statusUrl).toMatch(/\/applications\/status\/[\w-]{20,}$/);
    await shot(page, '2-join-sent');

    await page.getByTestId('join-open-status').click();
    await page.getByTestId('application-status').waitFor();
    expect(await page.getByTestId('status-badge').textContent()).toBe('受付済み');
    await page.context().close();
  });

  it('the secretariat marks the application checked', async () => {
    const page = await signIn('admin', ADMIN_PASSWORD);
    expect(await page.getByTestId('nav-applications').textContent()).toBe('加入申込');
    await page.getByTestId('nav-applications').click();
    await page.getByTestId('application-row').first().waitFor();
    await page.getByTestId('application-row').filter({ hasText: 'ひかり企画株式会社' }).click();
    await page.getByTestId('application-detail').waitFor();
    applicationUrl = page.url();
    expect(await page.getByTestId('application-status').textContent()).toBe('受付済み');
    await page.getByTestId('review-note').fill('記載事項に不備なし。');
    await page.getByTestId('review-check').click();
    await expect.poll(() => page.getByTestId('application-status').textContent()).toBe('確認済み');
    // The secretariat administrator is no committee member: no decision buttons.
    expect(await page.getByTestId('decide').count()).toBe(0);
    await shot(page, '3-secretariat-checked');
    await page.context().close();
  });

  it('a steering-committee member approves it as Type 2 (Type 1 was requested)', async () => {
    const page = await signIn('iinkai.sato', COMMITTEE_PASSWORD);
    await page.goto(applicationUrl);
    await page.getByTestId('decide').waitFor();
    await page.getByTestId('decide-class-type2').check();
    await page.getByTestId('decide-reason').fill('独自情報の提供実績を確認するまでは第二類構成員とします。');
    await page.getByTestId('decide-approve').click();
    await page.getByTestId('approval-result').waitFor();
    expect(await page.getByTestId('application-status').textContent()).toBe('承認');
    expect(await page.getByTestId('approval-password-link').textContent()).toMatch(/\/password-setup\/[\w-]+$/);
    expect(await page.getByTestId('history-item').count()).toBe(3);
    await shot(page, '4-committee-approved');
    await page.context().close();
  });

  it('the applicant sets the administrator password through the status link', async () => {
    const page = await newPage();
    await page.goto(statusUrl);
    await page.getByTestId('application-status').waitFor();
    expect(await page.getByTestId('status-badge').textContent()).toBe('承認');
    expect(await page.getByTestId('status-decided-class').textContent()).toBe('第二類構成員');
    await page.getByTestId('status-password-link').click();
    await page.getByTestId('status-password-url').waitFor();
    await shot(page, '5-status-approved');

    await page.getByTestId('status-password-open').click();
    await page.getByTestId('password-setup').waitFor();
    expect(await page.getByTestId('password-login').textContent()).toBe(APPLICANT_EMAIL);
    await page.getByTestId('password-new').fill(NEW_PASSWORD);
    await page.getByTestId('password-repeat').fill(NEW_PASSWORD);
    await page.getByTestId('password-submit').click();
    await page.getByTestId('password-done').waitFor();
    await shot(page, '6-password-set');

    // Signs in as the new organisation administrator: the rules gate comes first.
    await page.getByTestId('password-to-login').click();
    await page.getByTestId('login-id').fill(APPLICANT_EMAIL);
    await page.getByTestId('login-password').fill(NEW_PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('rules-gate').waitFor();
    expect(await page.getByRole('heading', { name: '規約・守秘義務の確認' }).isVisible()).toBe(true);
    // Type 2: the council rules, the task-force rules and the confidentiality pledge.
    await expect.poll(() => page.getByTestId('rules-body').count()).toBe(3);
    expect(await page.getByTestId('rules-book').count()).toBe(3);
    expect(await page.getByTestId('nav-home').count()).toBe(0);
    expect(await page.getByTestId('rules-accept').isDisabled()).toBe(true);
    await shot(page, '7-rules-gate');

    for (const box of await page.getByTestId('rules-check').all()) await box.check();
    await page.getByTestId('rules-accept').click();
    await page.getByTestId('home').waitFor();
    expect(await page.getByTestId('home-org-name').textContent()).toBe('ひかり企画株式会社');
    expect(await page.getByTestId('home-member-class').textContent()).toBe('第二類構成員');
    await shot(page, '8-home');
    await page.context().close();
  });

  it('the new administrator sees the standing; the secretariat publishes the roster and sees the statistics', async () => {
    const member = await signIn(APPLICANT_EMAIL, NEW_PASSWORD);
    await member.getByTestId('nav-my-membership').click();
    await member.getByTestId('my-membership').waitFor();
    expect(await member.getByTestId('standing-status').textContent()).toBe('構成員');
    await member.getByTestId('standing-events').waitFor();
    await shot(member, '9-my-membership');
    await member.context().close();

    const admin = await signIn('admin', ADMIN_PASSWORD);
    await admin.getByTestId('nav-roster-admin').click();
    await admin.getByTestId('roster-publish').click();
    await expect.poll(() => admin.getByRole('cell', { name: '1', exact: true }).count()).toBeGreaterThan(0);
    await admin.getByTestId('nav-membership-stats').click();
    await admin.getByTestId('stats-table').waitFor();
    await admin.getByTestId('stats-class-chart').waitFor();
    await shot(admin, '10-stats');
    await admin.getByTestId('nav-periods').click();
    await admin.getByTestId('period-row').first().waitFor();
    await admin.getByTestId('nav-rulebooks').click();
    await admin.getByTestId('rulebooks-admin').waitFor();
    await admin.context().close();

    // The public roster lists the new member under its category.
    const visitor = await newPage();
    await visitor.goto(`${server.url}/roster`);
    await visitor.getByTestId('roster-entry').first().waitFor();
    expect(await visitor.getByTestId('roster-category').getAttribute('data-category')).toBe('cyber_business');
    expect(await visitor.getByTestId('roster-entry').first().textContent()).toContain('ひかり企画株式会社');
    await shot(visitor, '11-roster');
    await visitor.context().close();
  });
});
