/**
 * Information sharing end to end, each step by a different user in their own browser:
 * a general member reports (anonymously, TLP:AMBER) → a Type 1 analyst comments, drafts countermeasure
 * information from the report and releases it to the Type 1 group → another Type 1 member (the designated
 * corporation) releases it to Type 2, confirming the personal-data flags → a Type 2 member answers 来ている →
 * the Type 1 analyst sees the tally and releases to all members → the general member finds it in the list.
 * Screenshots go to test-results/sharing-*.png.
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







const REPORT_TITLE = '顧客向けポータルを装うフィッシングメールの着信';
const REPORT_TEXT = [
  '本日午前から、当社の顧客向けポータルを装ったフィッシングメールが複数の社員宛てに届いています。',
  '本文のリンク先で ID とパスワードの入力を求め、入力後は偽のサポート窓口 03-1234-5678 へ電話するよう誘導します。',
  '',
  '確証はありませんが、同業他社にも届いている可能性があります。',
].join('\n');

describe('information sharing: from a report to countermeasure information for all members', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let general: Person;
  let analystA: Person;
  let analystB: Person;
  let type2: Person;
  const pages: Record<string, Page> = {};
  let reportUrl = '';
  let advisoryUrl = '';

  /** The whole page: the window is stretched to the page's height (a fixed header would repeat mid-page otherwise). */
  async function shot(page: Page, name: string): Promise<void> {
    const viewport = page.viewportSize() ?? { width: 1360, height: 900 };
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.min(height, 4000)) });
    // Toasts would cover the page's own buttons: leave them out of the picture.
    await page.screenshot({ path: join(shots, `sharing-${name}.png`), style: '.mantine-Notifications-root { display: none !important; }' });
    await page.setViewportSize(viewport);
  }

  /** A browser of its own for each person (Japanese, in London, to show that times stay JST). */
  async function signIn(name: string, person: Person): Promise<Page> {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Europe/London', viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInPage(page, server.url, person);
    pages[name] = page;
    return page;
  }

  /** Pick an option of a Mantine Select / MultiSelect by its visible label. */
  async function choose(page: Page, testId: string, label: string): Promise<void> {
    await page.getByTestId(testId).click();
    await page.getByRole('option', { name: label, exact: true }).click();
  }

  /** Release to the next stage through the dialog, confirming every personal-data flag shown. */
  async function releaseNext(page: Page, expectedButton: string, name: string): Promise<string[]> {
    const button = page.getByTestId('release-next');
    expect(await button.textContent()).toBe(expectedButton);
    await button.click();
    const modal = page.getByTestId('release-modal');
    await modal.waitFor();
    const flagged: string[] = [];
    if ((await button.getAttribute('data-next')) !== 'type1') {
      // The check runs first: wait for its answer (flags, or the all-clear).
      await page.locator('[data-testid="release-flags"], [data-testid="release-no-flags"]').first().waitFor();
      for (const flag of await page.getByTestId('release-flag').all()) {
        flagged.push((await flag.getByTestId('release-flag-text').textContent()) ?? '');
      }
      if (flagged.length) {
        expect(await page.getByTestId('release-confirm').isDisabled()).toBe(true);
        await shot(page, `${name}-flags`);
        for (const box of await page.getByTestId('release-flag-confirm').all()) await box.check();
      }
    }
    await page.getByTestId('release-confirm').click();
    await modal.waitFor({ state: 'detached' });
    return flagged;
  }

  beforeAll(async () => {
    ensureWebBuild();
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-e2e-sharing-'));
    server = await startServer({ port: 0, host: '127.0.0.1', databaseUrl: join(dir, 'kyogikai.db'), adminPassword: 'correct horse battery', logLevel: 'silent' });
    const deps = server.deps;
    general = await member(
      deps,
      { nameJa: 'みなと電力株式会社', nameEn: 'Minato Electric Power Co.', category: 'critical_infrastructure', sector: 'electricity', foreignCapital: false, memberClass: 'general', designated: false, rosterConsent: true },
      { login: 'minato.hanako', displayName: '港 花子', totp: false },
    );
    analystA = await member(
      deps,
      { nameJa: '株式会社さくらセキュリティ', nameEn: 'Sakura Security Inc.', category: 'cyber_business', foreignCapital: false, memberClass: 'type1', designated: false, rosterConsent: true },
      { login: 'sakura.ichiro', displayName: '桜井 一郎', totp: true },
    );
    analystB = await member(
      deps,
      { nameJa: '一般社団法人コーディネーションセンター', nameEn: 'Coordination Center', category: 'cyber_business', foreignCapital: false, memberClass: 'type1', designated: true, rosterConsent: true },
      { login: 'cc.jiro', displayName: '中央 次郎', totp: true },
    );
    type2 = await member(
      deps,
      { nameJa: 'ひかりガス株式会社', nameEn: 'Hikari Gas Co.', category: 'critical_infrastructure', sector: 'gas', foreignCapital: false, memberClass: 'type2', designated: false, rosterConsent: true },
      { login: 'hikari.saburo', displayName: '光 三郎', totp: true },
    );
    // A second Type 2 organisation that does not answer: it shows in the 未回答 list.
    await createOrganization(
      deps,
      setup,
      { nameJa: 'みらい銀行', nameEn: 'Mirai Bank', category: 'critical_infrastructure', sector: 'finance', foreignCapital: false, memberClass: 'type2', designated: false, rosterConsent: true },
      meta,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a general member files an anonymous report at TLP:AMBER', async () => {
    const page = await signIn('general', general);
    expect(await page.getByTestId('nav-reports').textContent()).toBe('情報提供・相談');
    expect(await page.getByTestId('nav-advisories').textContent()).toBe('対策情報');
    await page.getByTestId('nav-report-new').click();
    await page.getByTestId('report-form').waitFor();

    await page.getByTestId('report-title').fill(REPORT_TITLE);
    await page.getByTestId('report-description').fill(REPORT_TEXT);
    await choose(page, 'report-kind', 'フィッシング');
    await page.getByTestId('report-certainty').getByText('疑い', { exact: true }).click();
    await page.getByTestId('tlp-option-amber').check();
    expect(await page.getByTestId('report-provider-named').isChecked()).toBe(false);
    // A line that is no observable is named before anything is sent…
    await page.getByTestId('report-observables').fill('hxxps://minato-portal-login[.]example[.]net/login\nこれは観測値ではない');
    await page.getByTestId('report-submit').click();
    await expect.poll(() => page.getByText('2 行目の「これは観測値ではない」は種類を判別できません。').isVisible()).toBe(true);
    // …and the defanged URL and an IP address are recognised.
    await page.getByTestId('report-observables').fill('hxxps://minato-portal-login[.]example[.]net/login\n198.51.100.23');
    await expect.poll(() => page.getByTestId('report-observables-detected').textContent()).toContain('2 件を認識しました。');
    await page.getByTestId('report-attack-source').fill('不明（海外のホスティング事業者）');
    await page.getByTestId('report-technique').fill('正規サイトを装ったログイン画面への誘導');
    await shot(page, '1-report-form');

    await page.getByTestId('report-submit').click();
    await page.getByTestId('report-detail').waitFor();
    reportUrl = page.url();
    expect(await page.getByTestId('report-heading').textContent()).toBe(REPORT_TITLE);
    expect(await page.getByTestId('tlp-badge').first().textContent()).toBe('TLP:AMBER');
    // The provider sees its own name, with the note that others do not.
    expect(await page.getByTestId('report-provider').textContent()).toContain('みなと電力株式会社');
    expect(await page.getByTestId('report-provider').textContent()).toContain('提供者名は開示されていません。');
    expect(await page.getByTestId('report-created').textContent()).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} JST$/);
    const values = await page.getByTestId('observable-row').allTextContents();
    expect(values.join('\n')).toContain('https://minato-portal-login.example.net/login');
    expect(values.join('\n')).toContain('198.51.100.23');
    // Attachments are added once the report exists; they are downloads, never shown inline.
    await page.locator('input[type="file"]').setInputFiles({ name: 'メールヘッダー.txt', mimeType: 'text/plain', buffer: Buffer.from('Received: from mail.example.net (198.51.100.23)\n') });
    await page.getByTestId('attachment-upload').click();
    await expect.poll(() => page.getByTestId('attachment-link').first().textContent()).toBe('メールヘッダー.txt');
    expect(await page.getByTestId('attachment-link').first().getAttribute('href')).toMatch(/^\/api\/v1\/attachments\/[0-9a-f-]{36}$/);
    // The provider may reply and attach, but has no analysis tools.
    expect(await page.getByTestId('analysis-panel').count()).toBe(0);
    expect(await page.getByTestId('comment-kind').count()).toBe(0);
    await shot(page, '2-report-detail-provider');
  });

  it('a Type 1 analyst comments, drafts countermeasure information from it and releases it to the Type 1 group', async () => {
    const page = await signIn('analystA', analystA);
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('report-table').waitFor();
    await page.getByTestId('report-link').filter({ hasText: REPORT_TITLE }).click();
    await page.getByTestId('report-detail').waitFor();
    // Anonymous to another member of the Type 1 group.
    expect(await page.getByTestId('report-provider').textContent()).toContain('匿名');
    expect(await page.getByTestId('report-provider').textContent()).not.toContain('みなと電力');

    await page.getByTestId('corroborate').click();
    await expect.poll(() => page.getByTestId('corroboration-count').textContent()).toBe('1 組織が観測');
    await page.getByTestId('comment-kind').getByText('分析コメント', { exact: true }).click();
    await page.getByTestId('comment-input').fill('当社の観測でも同じドメインへの誘導を確認しました。電力・ガス分野を狙ったキャンペーンの可能性があります。');
    await page.getByTestId('comment-submit').click();
    await expect.poll(() => page.getByTestId('comment-body').first().textContent()).toContain('当社の観測でも同じドメイン');
    expect(await page.getByTestId('comment').first().getAttribute('data-kind')).toBe('comment');
    await expect.poll(() => page.getByTestId('report-status').first().textContent()).toBe('分析中');
    await shot(page, '3-report-analysis');

    await page.getByTestId('create-advisory').click();
    await page.getByTestId('advisory-form').waitFor();
    // Pre-filled from the report.
    expect(await page.getByTestId('advisory-title').inputValue()).toBe(REPORT_TITLE);
    expect(await page.getByTestId('advisory-indicators').inputValue()).toContain('198.51.100.23');
    expect(await page.getByTestId('advisory-source').textContent()).toContain(REPORT_TITLE);
    await page.getByTestId('advisory-title').fill('電力・ガス事業者の顧客ポータルを装うフィッシングに関する注意喚起');
    await page
      .getByTestId('advisory-actions')
      .fill('1. 指標のドメイン・IPアドレスへの通信をプロキシ等で遮断してください。\n2. 社員に対し、メール内のリンクからログインしないよう周知してください。');
    await choose(page, 'advisory-sectors', '電力');
    await choose(page, 'advisory-sectors', 'ガス');
    await page.keyboard.press('Escape');
    await page.getByTestId('advisory-products').fill('顧客向けポータル（各社）');
    await shot(page, '4-advisory-form');
    await page.getByTestId('advisory-submit').click();

    await page.getByTestId('advisory-detail').waitFor();
    advisoryUrl = page.url();
    expect(await page.getByTestId('stage-badge').first().textContent()).toBe('下書き');
    await releaseNext(page, '次の段階へ公開: 第一類構成員G', 'release-type1');
    await expect.poll(() => page.getByTestId('stage-badge').first().textContent()).toBe('第一類構成員G');
    expect(await page.getByTestId('release-next').textContent()).toBe('次の段階へ公開: 第二類構成員（早期共有）');
    await shot(page, '5-advisory-type1');
  });

  it('another Type 1 member releases it to Type 2, confirming the personal-data flags', async () => {
    const page = await signIn('analystB', analystB);
    await page.getByTestId('nav-advisories').click();
    await page.getByTestId('advisory-table').waitFor();
    await page.getByTestId('advisory-link').first().click();
    await page.getByTestId('advisory-detail').waitFor();
    expect(page.url()).toBe(advisoryUrl);
    expect(await page.getByTestId('release-modal').count()).toBe(0);
    const flagged = await releaseNext(page, '次の段階へ公開: 第二類構成員（早期共有）', '6-release-type2');
    // The fake support line in the text is flagged as a phone number: the releasing user confirmed it.
    expect(flagged).toContain('03-1234-5678');
    await expect.poll(() => page.getByTestId('stage-badge').first().textContent()).toBe('第二類構成員（早期共有）');
    expect(await page.getByTestId('history-type2').textContent()).toMatch(/回答期限: \d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2} JST/);
    await shot(page, '7-advisory-type2');
  });

  it('a Type 2 member answers 来ている before the deadline', async () => {
    const page = await signIn('type2', type2);
    await page.getByTestId('nav-advisories').click();
    await page.getByTestId('advisory-table').waitFor();
    await page.getByTestId('advisory-link').first().click();
    await page.getByTestId('feedback-panel').waitFor();
    expect(await page.getByTestId('feedback-time-left').textContent()).toMatch(/^残り 23時間5\d分$/);
    // A Type 2 member neither releases nor sees the tally.
    expect(await page.getByTestId('release-next').count()).toBe(0);
    expect(await page.getByTestId('tally-panel').count()).toBe(0);
    await page.getByTestId('feedback-comment').fill('当社でも同一ドメインからのメールを 12 件確認しています。');
    await page.getByTestId('feedback-seen').click();
    await expect.poll(() => page.getByTestId('feedback-mine').textContent()).toContain('あなたの組織の回答: 来ている');
    await shot(page, '8-feedback-seen');
  });

  it('the Type 1 analyst sees the tally and releases to all members', async () => {
    const page = pages.analystA as Page;
    await page.goto(advisoryUrl);
    await page.getByTestId('tally-panel').waitFor();
    await expect.poll(() => page.getByTestId('tally-seen').textContent()).toBe('1');
    expect(await page.getByTestId('tally-not-seen').textContent()).toBe('0');
    expect(await page.getByTestId('tally-answer-row').first().textContent()).toContain('ひかりガス株式会社');
    expect(await page.getByTestId('tally-not-answered-list').textContent()).toContain('みらい銀行');
    expect(await page.getByTestId('tally-sector-table').textContent()).toContain('ガス');
    await page.getByTestId('tally-bar-chart').locator('.recharts-bar-rectangle').first().waitFor();
    await page.getByTestId('tally-time-chart').locator('.recharts-line').first().waitFor();
    await shot(page, '9-tally');

    await releaseNext(page, '次の段階へ公開: 全構成員', '10a-release-members');
    await expect.poll(() => page.getByTestId('stage-badge').first().textContent()).toBe('全構成員');
    // Public needs TLP:CLEAR: the next button says so rather than failing later.
    expect(await page.getByTestId('release-next').isDisabled()).toBe(true);
    await shot(page, '10-advisory-members');
  });

  it('the general member now finds it in the countermeasure list', async () => {
    const page = pages.general as Page;
    await page.getByTestId('nav-advisories').click();
    await page.getByTestId('advisory-table').waitFor();
    const row = page.getByTestId('advisory-row').filter({ hasText: '電力・ガス事業者の顧客ポータルを装うフィッシング' });
    await row.waitFor();
    expect(await row.getByTestId('stage-badge').textContent()).toBe('全構成員');
    expect(await row.getByTestId('tlp-badge').textContent()).toBe('TLP:AMBER');
    await shot(page, '11-general-list');
    await row.getByTestId('advisory-link').click();
    await page.getByTestId('advisory-detail').waitFor();
    expect(await page.getByTestId('advisory-actions-text').textContent()).toContain('プロキシ等で遮断');
    // All members are not the Type 2 feedback circle but may still answer; they never see the tally.
    expect(await page.getByTestId('tally-panel').count()).toBe(0);
    await shot(page, '12-general-detail');
    // The Type 1 group's analysis comment is not shown to the provider.
    await page.goto(reportUrl);
    await page.getByTestId('report-detail').waitFor();
    expect(await page.getByTestId('comment').count()).toBe(0);
    // Everything exists in English too.
    await page.getByTestId('lang-switch').getByText('English').click();
    await page.getByTestId('nav-advisories').click();
    await expect.poll(() => page.getByTestId('advisory-row').first().getByTestId('stage-badge').textContent()).toBe('All members');
    expect(await page.getByRole('heading', { name: 'Countermeasure information' }).isVisible()).toBe(true);
    await shot(page, '12b-general-list-en');
  });

  it('the Type 1 analyst revises it into version 2 and compares the versions', async () => {
    const page = pages.analystA as Page;
    await page.goto(advisoryUrl);
    await page.getByTestId('advisory-revise-button').click();
    await page.getByTestId('advisory-form').waitFor();
    const actions = await page.getByTestId('advisory-actions').inputValue();
    await page.getByTestId('advisory-actions').fill(`${actions}\n3. 認証情報を入力した社員がいる場合は、直ちにパスワードを変更してください。`);
    await page.getByTestId('advisory-note').fill('対策に 3. を追加');
    await page.getByTestId('advisory-submit').click();
    await page.getByTestId('advisory-detail').waitFor();
    await expect.poll(() => page.getByTestId('advisory-version').textContent()).toBe('第2版');
    await page.getByTestId('diff-view').waitFor();
    expect(await page.getByTestId('diff-added').first().textContent()).toContain('直ちにパスワードを変更');
    expect(await page.getByTestId('diff-field').first().textContent()).toContain('推奨される対策');
    // The stage stays; feedback is asked per version, so the tally of version 2 starts empty.
    expect(await page.getByTestId('stage-badge').first().textContent()).toBe('全構成員');
    await expect.poll(() => page.getByTestId('tally-answered').textContent()).toBe('0');
    await page.getByTestId('advisory-versions').scrollIntoViewIfNeeded();
    await shot(page, '13-diff');
  });
});
