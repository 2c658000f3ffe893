/**
 * Consultations from non-members and large-scale attack mode end to end, each person in their own browser:
 * a non-member sends a consultation from the public form (the proof of work runs in the browser) and opens the
 * private link → a Type 1 analyst answers → the consulter reads the answer and consents → the analyst asks all
 * members, confirming the personal-data flags → the secretariat declares large-scale attack mode and issues an
 * information request → a general member sees the banner, declines the request with its justified reason and
 * answers the consultation question → the secretariat sees the reason and who is missing → the analyst passes the
 * member's answer on and the consulter reads it → the member's give-and-take ledger counts both.
 * Screenshots go to test-results/requests-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../src/core/actor.js';
import { createOrganization } from '../src/core/usecases/organizations.js';
import { startServer } from '../src/server/main.js';
import { ensureWebBuild, launchChromium, member, type Person, shots, signInPage } from './harness.js';

const meta = { ip: '127.0.0.1', userAgent: 'e2e set-up' };
const setup = system('e2e');

const ADMIN_PASSWORD = 'correct horse battery';






const CONSULTATION = [
  '昨日の夕方から、当店の通販サイトの問い合わせフォームに、海外の IP アドレスから短時間に大量の送信があります。',
  '送信元は 203.0.113.45 が多く、サイト全体が遅くなっています。攻撃なのかどうか判断できず、ご相談します。',
].join('\n');
const SUMMARY = '中小の通販サイトの問い合わせフォームに、203.0.113.45 から短時間に大量の送信があるとの相談です。同様の事象を観測していないか、対処の知見があれば教えてください。連絡先として 03-1234-5678 が書かれたスパムも届いています。';
const CAMPAIGN = '通販サイトを狙う大量送信攻撃（2026年11月）';
const REQUEST = '問い合わせフォームへの大量送信の観測状況';
const REASON = '捜査機関から、捜査中のため観測情報を開示しないよう要請を受けています。';

describe('consultations from non-members and information requests in large-scale attack mode', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let analyst: Person;
  let general: Person;
  const admin: Person = { login: 'admin', password: ADMIN_PASSWORD };
  const pages: Record<string, Page> = {};
  let privateLink = '';
  let consultationUrl = '';
  let statusUrl = '';

  /** The whole page (stretched to its height), without toasts. */
  async function shot(page: Page, name: string): Promise<void> {
    const viewport = page.viewportSize() ?? { width: 1360, height: 900 };
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.min(height, 4000)) });
    await page.screenshot({ path: join(shots, `requests-${name}.png`), style: '.mantine-Notifications-root { display: none !important; }' });
    await page.setViewportSize(viewport);
  }

  /** A browser of its own (Japanese, in London, to show that times stay JST). */
  async function open(name: string): Promise<Page> {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Europe/London', viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    pages[name] = page;
    return page;
  }

  async function signIn(name: string, person: Person): Promise<Page> {
    const page = await open(name);
    await signInPage(page, server.url, person);
    return page;
  }

  beforeAll(async () => {
    ensureWebBuild();
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-e2e-requests-'));
    // A light proof of work keeps the test quick; the browser still solves it in its Web Worker.
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      databaseUrl: join(dir, 'kyogikai.db'),
      adminPassword: ADMIN_PASSWORD,
      logLevel: 'silent',
      consultationPowBits: 12,
    });
    const deps = server.deps;
    analyst = await member(
      deps,
      { nameJa: '株式会社さくらセキュリティ', nameEn: 'Sakura Security Inc.', category: 'cyber_business', foreignCapital: false, memberClass: 'type1', designated: false, rosterConsent: true },
      { login: 'sakura.ichiro', displayName: '桜井 一郎', totp: true },
    );
    general = await member(
      deps,
      { nameJa: 'みなと電力株式会社', nameEn: 'Minato Electric Power Co.', category: 'critical_infrastructure', sector: 'electricity', foreignCapital: false, memberClass: 'general', designated: false, rosterConsent: true },
      { login: 'minato.hanako', displayName: '港 花子', totp: false },
    );
    // A second general member that never answers: it shows as missing.
    await createOrganization(
      deps,
      setup,
      { nameJa: 'みらい信用金庫', nameEn: 'Mirai Shinkin Bank', category: 'critical_infrastructure', sector: 'finance', foreignCapital: false, memberClass: 'general', designated: false, rosterConsent: true },
      meta,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a non-member sends a consultation from the public form and keeps the private link', async () => {
    const page = await open('consulter');
    await page.goto(server.url);
    await page.getByTestId('login-form').waitFor();
    const link = page.getByTestId('login-consult-link');
    expect(await link.textContent()).toBe('構成員でない方の相談・情報提供はこちら');
    await link.click();
    await page.getByTestId('consult-form').waitFor();
    expect(page.url()).toBe(`${server.url}/consult`);
    expect(await page.getByRole('heading', { name: '構成員でない方からの相談・情報提供' }).isVisible()).toBe(true);
    // No account: no navigation.
    expect(await page.getByTestId('nav-home').count()).toBe(0);

    // Required fields are named before anything is computed or sent.
    await page.getByTestId('consult-submit').click();
    await expect.poll(() => page.getByText('必須項目です。').count()).toBe(3);

    await page.getByTestId('consult-name').fill('山田 太郎');
    await page.getByTestId('consult-organization').fill('山田商店');
    await page.getByTestId('consult-email').fill('taro.yamada@example.com');
    await page.getByTestId('consult-body').fill(CONSULTATION);
    await page.getByTestId('consult-observables').fill('203.0.113.45');
    await shot(page, '01-consult-form');

    // Hold the challenge back a moment so that the computing step can be seen.
    await page.route('**/api/v1/consultations/challenge', async (route) => {
      await new Promise((r) => setTimeout(r, 700));
      await route.continue();
    });
    const posted = page.waitForRequest((r) => r.url().endsWith('/api/v1/consultations') && r.method() === 'POST');
    await page.getByTestId('consult-submit').click();
    await page.getByTestId('consult-pow').waitFor();
    expect(await page.getByTestId('consult-pow').textContent()).toContain('送信前の確認を計算しています…');
    await shot(page, '02-consult-computing');
    const body = (await posted).postDataJSON() as { challenge: string; nonce: string; name: string; locale: string };
    expect(body.nonce).toMatch(/^[0-9a-z]+$/);
    expect(body.locale).toBe('ja');

    await page.getByTestId('consult-sent').waitFor();
    privateLink = ((await page.getByTestId('consult-private-link').textContent()) ?? '').trim();
    expect(privateLink).toMatch(new RegExp(`^${server.url}/consultations/private/[A-Za-z0-9_-]{20,}$`));
    expect(await page.getByTestId('consult-sent').textContent()).toContain('このリンクは、回答を確認するための唯一の手段です');
    await shot(page, '03-consult-sent');

    // The private link is a page of its own: opened directly, without any session.
    await page.goto(privateLink);
    await page.getByTestId('consultation-private').waitFor();
    expect(await page.getByTestId('private-body').textContent()).toContain('問い合わせフォームに、海外の IP アドレスから');
    expect(await page.getByTestId('private-consent-state').textContent()).toBe('未同意');
    expect(await page.getByTestId('private-no-messages').isVisible()).toBe(true);
    await shot(page, '04-private-link');
  });

  it('a Type 1 analyst answers the consultation', async () => {
    const page = await signIn('analyst', analyst);
    expect(await page.getByTestId('nav-consultations').textContent()).toBe('相談');
    await page.getByTestId('nav-consultations').click();
    await page.getByTestId('consultation-table').waitFor();
    const row = page.getByTestId('consultation-row').filter({ hasText: '山田 太郎' });
    expect(await row.textContent()).toContain('未回答');
    await row.getByTestId('consultation-link').click();
    await page.getByTestId('consultation-detail').waitFor();
    consultationUrl = page.url();
    expect(await page.getByTestId('consultation-heading').textContent()).toBe('山田 太郎 さんからの相談');
    expect(await page.getByTestId('consultation-consent').getAttribute('data-consent')).toBe('false');
    // Without consent the wider council cannot be asked.
    expect(await page.getByTestId('consultation-widen-open').count()).toBe(0);
    await page
      .getByTestId('consultation-answer-input')
      .fill('ご相談ありがとうございます。問い合わせフォームへの自動送信（ボット）による攻撃の可能性があります。フォームに CAPTCHA や送信回数の制限を設けることをご検討ください。');
    await page.getByTestId('consultation-answer-submit').click();
    await expect.poll(() => page.getByTestId('consultation-message').count()).toBe(1);
    expect(await page.getByTestId('consultation-message').first().textContent()).toContain('協議会として回答（株式会社さくらセキュリティ 桜井 一郎）');
    await shot(page, '05-type1-answer');
  });

  it('the consulter reads the answer and consents to asking members', async () => {
    const page = pages.consulter as Page;
    await page.reload();
    await page.getByTestId('private-thread').waitFor();
    const message = page.getByTestId('private-message').first();
    expect(await message.getAttribute('data-from')).toBe('council');
    expect(await message.textContent()).toContain('協議会（第一類構成員G）');
    // The consulter never sees who in the council answered.
    expect(await page.getByTestId('private-thread').textContent()).not.toContain('さくらセキュリティ');
    expect(await page.getByTestId('private-consent').textContent()).toContain('氏名・所属・メールアドレスは含まれません');
    await page.getByTestId('private-consent-give').click();
    await expect.poll(() => page.getByTestId('private-consent-state').textContent()).toBe('同意済み');
    await shot(page, '06-private-consented');
  });

  it('the analyst asks all members, confirming the personal data flagged in the summary', async () => {
    const page = pages.analyst as Page;
    await page.goto(consultationUrl);
    await expect.poll(() => page.getByTestId('consultation-consent').getAttribute('data-consent')).toBe('true');
    await page.getByTestId('consultation-widen-open').click();
    await page.getByTestId('widen-modal').waitFor();
    await page.getByTestId('widen-summary').fill(SUMMARY);
    await page.getByTestId('widen-stage-members').check();
    await page.getByTestId('widen-confirm').click();
    // The phone number is flagged: confirm it, then ask.
    await page.getByTestId('widen-flag').first().waitFor();
    expect(await page.getByTestId('widen-flag-text').allTextContents()).toContain('03-1234-5678');
    expect(await page.getByTestId('widen-confirm').isDisabled()).toBe(true);
    await shot(page, '07-widen-flags');
    for (const box of await page.getByTestId('widen-flag-confirm').all()) await box.check();
    await page.getByTestId('widen-confirm').click();
    await page.getByTestId('widen-modal').waitFor({ state: 'detached' });
    await expect.poll(() => page.getByTestId('consultation-widened').textContent()).toContain('全構成員に照会しました');
  });

  it('the secretariat declares large-scale attack mode and issues an information request', async () => {
    const page = await signIn('secretariat', admin);
    expect(await page.getByTestId('nav-campaigns').textContent()).toBe('大規模サイバー攻撃時');
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaigns').waitFor();
    await page.getByTestId('campaign-declare').click();
    await page.getByTestId('campaign-title').fill(CAMPAIGN);
    await page.getByTestId('campaign-description').fill('複数の構成員と構成員でない方から、問い合わせフォームへの大量送信の報告が寄せられています。');
    await page.getByTestId('campaign-declare-submit').click();
    await page.getByTestId('campaign-detail').waitFor();
    expect(await page.getByTestId('campaign-heading').textContent()).toBe(CAMPAIGN);
    expect(await page.getByTestId('campaign-status').textContent()).toBe('宣言中');
    // The banner shows across the app for the secretariat too.
    await expect.poll(() => page.getByTestId('campaign-banner-title').textContent()).toBe(`大規模サイバー攻撃時モード宣言中：${CAMPAIGN}`);

    await page.getByTestId('request-title').fill(REQUEST);
    await page.getByTestId('request-body').fill('問い合わせフォーム等への大量送信を観測しているか、送信元の IP アドレスと観測日時（日本時間）をお知らせください。');
    // The default deadline is three days ahead, shown in Japan time.
    expect(await page.getByTestId('request-deadline-preview').textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:00:00 JST$/);
    await shot(page, '08-campaign-issue');
    await page.getByTestId('request-issue-submit').click();
    const row = page.getByTestId('campaign-request-row').filter({ hasText: REQUEST });
    await row.waitFor();
    statusUrl = `${server.url}${(await row.getByTestId('request-status-link').getAttribute('href')) ?? ''}`;
    expect(await row.textContent()).toContain('一般の構成員');
  });

  it('a general member sees the banner and declines the request with its justified reason', async () => {
    const page = await signIn('general', general);
    await page.getByTestId('campaign-banner').waitFor();
    expect(await page.getByTestId('campaign-banner-title').textContent()).toBe(`大規模サイバー攻撃時モード宣言中：${CAMPAIGN}`);
    await expect.poll(() => page.getByTestId('campaign-banner-outstanding').textContent()).toBe('自組織宛ての未回答の情報提供依頼が 1 件あります。');
    // A general member neither manages campaigns nor reads consultations from non-members.
    expect(await page.getByTestId('nav-campaigns').count()).toBe(0);
    await shot(page, '09-general-banner');

    await page.getByTestId('nav-info-requests').click();
    const card = page.getByTestId('info-request-card').filter({ hasText: REQUEST });
    await card.waitFor();
    expect(await card.getByTestId('request-outstanding').textContent()).toBe('未回答');
    expect(await card.getByTestId('request-time-left').textContent()).toMatch(/^残り [23]日\d{1,2}時間$/);
    expect(await card.getByTestId('request-deadline-info').textContent()).toMatch(/回答期限: \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} JST/);
    await shot(page, '10-general-requests');
    await card.getByTestId('info-request-link').click();
    await page.getByTestId('answer-form').waitFor();
    await page.getByTestId('answer-kind-choice').getByText('正当な理由により提供しない', { exact: true }).click();
    expect(await page.getByTestId('refusal-note').textContent()).toContain('第17条');
    // A refusal without its reason is refused here already.
    await page.getByTestId('answer-submit').click();
    await expect.poll(() => page.getByText('情報提供に応じない場合は、その正当な理由を記入してください。').isVisible()).toBe(true);
    await page.getByTestId('answer-reason').fill(REASON);
    await shot(page, '11-general-refusal');
    await page.getByTestId('answer-submit').click();
    await expect.poll(() => page.getByTestId('my-answer-reason').textContent()).toBe(REASON);
    expect(await page.getByTestId('my-answer').getByTestId('answer-kind').textContent()).toBe('辞退');
    await shot(page, '12-general-refused');
  });

  it('the general member answers the question the analyst asked', async () => {
    const page = pages.general as Page;
    await page.getByTestId('nav-consultations').click();
    const card = page.getByTestId('question-card').first();
    await card.waitFor();
    expect(await card.textContent()).toContain('全構成員に照会');
    // Members see the summary only, never the consulter.
    expect(await card.textContent()).not.toContain('山田');
    await card.getByTestId('question-link').click();
    await page.getByTestId('question-summary').waitFor();
    await page.getByTestId('question-answer-input').fill('当社の問い合わせフォームでも、同じ IP アドレスからの大量送信を先週観測しました。送信元 IP のブロックと reCAPTCHA の導入で収まりました。');
    await page.getByTestId('question-answer-submit').click();
    await expect.poll(() => page.getByTestId('question-my-answer').count()).toBe(1);
    await shot(page, '13-general-question');
  });

  it('the secretariat sees the refusal with its reason and who is missing', async () => {
    const page = pages.secretariat as Page;
    await page.goto(statusUrl);
    await page.getByTestId('request-status-page').waitFor();
    expect(await page.getByTestId('request-heading').textContent()).toBe(REQUEST);
    await expect.poll(() => page.getByTestId('status-refused').textContent()).toBe('1');
    expect(await page.getByTestId('status-addressed').textContent()).toBe('2');
    expect(await page.getByTestId('status-missing').textContent()).toBe('1');
    const row = page.getByTestId('status-response-row').filter({ hasText: 'みなと電力株式会社' });
    expect(await row.getAttribute('data-kind')).toBe('refusal');
    expect(await row.getByTestId('status-reason').textContent()).toBe(REASON);
    expect(await page.getByTestId('status-missing-list').textContent()).toContain('みらい信用金庫');
    await shot(page, '14-request-status');
  });

  it('the analyst passes the member’s answer on and the consulter reads it', async () => {
    const page = pages.analyst as Page;
    await page.goto(consultationUrl);
    const answer = page.getByTestId('consultation-message').filter({ has: page.getByTestId('message-relay') });
    await answer.waitFor();
    expect(await answer.textContent()).toContain('構成員の回答（みなと電力株式会社 港 花子）');
    await answer.getByTestId('message-relay').click();
    await page.getByTestId('message-relayed').waitFor();
    await shot(page, '15-type1-relayed');

    const consulter = pages.consulter as Page;
    await consulter.reload();
    const relayed = consulter.locator('[data-testid="private-message"][data-from="council_member"]');
    await relayed.waitFor();
    expect(await relayed.textContent()).toContain('協議会の構成員からの回答');
    expect(await relayed.textContent()).toContain('reCAPTCHA');
    expect(await consulter.getByTestId('private-thread').textContent()).not.toContain('みなと電力');
    expect(await consulter.getByTestId('private-widened').textContent()).toBe('照会済み');
    await shot(consulter, '16-private-relayed');
    // The consulter's page exists in English too.
    await consulter.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => consulter.getByRole('heading', { name: 'Your consultation' }).isVisible()).toBe(true);
    expect(await relayed.textContent()).toContain('Answer from a council member');
    await shot(consulter, '16b-private-en');
  });

  it('the analyst turns the consultation into a report for the Type 1 group', async () => {
    const page = pages.analyst as Page;
    await page.goto(consultationUrl);
    await page.getByTestId('consultation-convert-open').click();
    await page.getByTestId('convert-form').waitFor();
    // The consultation's text and indicators are the starting point.
    expect(await page.getByTestId('convert-description').inputValue()).toContain('問い合わせフォーム');
    expect(await page.getByTestId('convert-observables').inputValue()).toBe('203.0.113.45');
    // A title naming the consulter is refused.
    await page.getByTestId('convert-title').fill('山田商店の問い合わせフォームへの大量送信');
    await page.getByTestId('convert-submit').click();
    await expect.poll(() => page.getByTestId('convert-identifying').textContent()).toContain('山田商店');
    await page.getByTestId('convert-title').fill('中小通販サイトの問い合わせフォームへの大量送信（相談から）');
    await page.getByTestId('convert-submit').click();
    await page.getByTestId('report-detail').waitFor();
    expect(await page.getByTestId('report-heading').textContent()).toBe('中小通販サイトの問い合わせフォームへの大量送信（相談から）');
    await page.goto(consultationUrl);
    await page.getByTestId('consultation-report-link').waitFor();
  });

  it('the general member’s give-and-take ledger counts the refusal and the answer', async () => {
    const page = pages.general as Page;
    await page.getByTestId('nav-ledger').click();
    await page.getByTestId('ledger-table').waitFor();
    const count = (kind: string) => page.locator(`[data-testid="ledger-table-row"][data-kind="${kind}"] [data-testid="ledger-count"]`).textContent();
    await expect.poll(() => count('request_refused')).toBe('1');
    expect(await count('consultation_answered')).toBe('1');
    expect(await page.getByTestId('ledger-entry').count()).toBe(2);
    // Bars with a count of zero draw nothing: wait for a drawn one.
    await page.getByTestId('ledger-chart').locator('.recharts-bar-rectangle path').first().waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('ledger-csv').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^ledger_mine_all\.csv$/);
    await shot(page, '17-ledger');
  });

  it('the secretariat ranks the organisations for a period', async () => {
    const page = pages.secretariat as Page;
    await page.getByTestId('nav-ledger').click();
    await page.getByTestId('tab-ledger-ranking').click();
    const row = page.getByTestId('ranking-row').filter({ hasText: 'みなと電力株式会社' });
    await row.waitFor();
    // The refusal earns nothing and answering the question 2: level with the Type 1 member's answer to the consulter.
    expect(await row.textContent()).toMatch(/^1みなと電力株式会社一般の構成員2/);
    expect(await page.getByTestId('ranking-row').filter({ hasText: '株式会社さくらセキュリティ' }).textContent()).toMatch(/^1株式会社さくらセキュリティ第一類構成員2/);
    expect(await page.getByTestId('ranking-row').filter({ hasText: 'みらい信用金庫' }).textContent()).toContain('一般の構成員');
    expect(await page.getByTestId('ranking-period-text').textContent()).toMatch(/^集計期間: \d{4}\/\d{2}\/\d{2} 00:00:00 JST 〜 \d{4}\/\d{2}\/\d{2} 23:59:59 JST$/);
    await shot(page, '18-ranking');
  });
});
