/**
 * Search and observable look-up in the browser: a general member searches in Japanese from the header box, sees
 * only what they may read with the hits marked (markup in a title stays text), narrows by kind, opens a result, and
 * looks up a defanged address. A Type 1 analyst finds the report in the group's queue that the member does not.
 * Screenshots go to test-results/search-*.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../src/core/actor.js';
import { createAdvisory, releaseAdvisory } from '../src/core/sharing/advisories.js';
import { AdvisoryCreate, ReleaseInput, ReportCreate } from '../src/core/sharing/model.js';
import { createReport } from '../src/core/sharing/reports.js';
import { actorForUser } from '../src/core/usecases/auth.js';
import { startServer } from '../src/server/main.js';
import { ensureWebBuild, launchChromium, member, type Person, shots, signInPage } from './harness.js';

const meta = { ip: '127.0.0.1', userAgent: 'e2e set-up' };
const ADVISORY_TITLE = '<img src=x onerror="window.__xss=1"> 標的型攻撃メールに関する注意喚起';
const QUEUE_TITLE = '経理部宛ての標的型攻撃メール（分析中）';

describe('search and observable look-up in the browser', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let general: Person;
  let analyst: Person;
  let advisoryId = '';

  async function shot(page: Page, name: string): Promise<void> {
    await page.screenshot({ path: join(shots, `search-${name}.png`), fullPage: true });
  }

  async function signIn(person: Person): Promise<Page> {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Europe/London', viewport: { width: 1360, height: 900 } });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInPage(page, server.url, person);
    return page;
  }

  async function actorOf(login: string): Promise<UserActor> {
    const user = await server.deps.store.read.users.byLogin(login);
    const actor = user && (await actorForUser(server.deps.store.read, user, { via: 'session', readOnly: false }, new Date()));
    if (!actor) throw new Error(`no actor for ${login}`);
    return actor;
  }

  beforeAll(async () => {
    ensureWebBuild();
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-e2e-search-'));
    server = await startServer({ port: 0, host: '127.0.0.1', databaseUrl: join(dir, 'kyogikai.db'), adminPassword: 'correct horse battery', logLevel: 'silent' });
    const deps = server.deps;
    general = await member(
      deps,
      { nameJa: '桜市', nameEn: 'Sakura City', category: 'local_government', foreignCapital: false, memberClass: 'general', designated: false, rosterConsent: true },
      { login: 'sakura.city', displayName: '桜 市子', totp: false },
    );
    analyst = await member(
      deps,
      { nameJa: '株式会社さくらセキュリティ', nameEn: 'Sakura Security Inc.', category: 'cyber_business', foreignCapital: false, memberClass: 'type1', designated: false, rosterConsent: true },
      { login: 'sakura.ichiro', displayName: '桜井 一郎', totp: true },
    );
    const type1 = await actorOf('sakura.ichiro');
    // In the Type 1 group's queue: the general member must not find it.
    await createReport(
      deps,
      type1,
      ReportCreate.parse({ title: QUEUE_TITLE, description: '請求書を装った標的型攻撃メール。エモテットの感染を確認。', kind: 'phishing', certainty: 'likely', tlp: 'amber' }),
      meta,
    );
    // Released to all members.
    advisoryId = (
      await createAdvisory(
        deps,
        type1,
        AdvisoryCreate.parse({
          title: ADVISORY_TITLE,
          summary: '請求書を装った標的型攻撃メールにより、エモテットの感染が広がっています。',
          threat: '添付ファイルのマクロから感染します。',
          actions: 'マクロを無効にしてください。',
          indicators: [{ type: 'ipv4', value: '198.51.100.7' }],
          tlp: 'green',
        }),
        meta,
      )
    ).id;
    for (const to of ['type1', 'type2', 'members'] as const) await releaseAdvisory(deps, type1, advisoryId, ReleaseInput.parse({ to }), meta);
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a general member searches 標的型 from the header, sees marked snippets of what they may read, and opens a result', async () => {
    const page = await signIn(general);
    await page.getByTestId('header-search').fill('標的型');
    await page.getByTestId('header-search').press('Enter');
    await page.getByTestId('search-result').first().waitFor();
    expect(new URL(page.url()).pathname).toBe('/search');
    expect(await page.getByTestId('search-input').inputValue()).toBe('標的型');

    // Only the released advisory: the report in the Type 1 queue is neither listed nor counted.
    expect(await page.getByTestId('search-result').count()).toBe(1);
    expect(await page.getByTestId('search-count').textContent()).toBe('1 件見つかりました。');
    expect(await page.getByText(QUEUE_TITLE).count()).toBe(0);
    const result = page.getByTestId('search-result').first();
    expect(await result.getAttribute('data-kind')).toBe('advisory');
    expect(await result.getByTestId('search-result-kind').textContent()).toBe('対策情報');
    // The title's markup is text; the hit inside the snippet is a <mark>.
    expect(await result.getByTestId('search-result-link').textContent()).toBe(ADVISORY_TITLE);
    expect(await result.locator('img').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await result.getByTestId('search-snippet').locator('mark').allTextContents()).toEqual(['標的型']);
    expect(await result.getByTestId('search-snippet').textContent()).toContain('請求書を装った標的型攻撃メールにより');
    await shot(page, '1-results-general');

    // Narrowing by kind shows the counts per kind; nothing of another kind.
    await page.getByTestId('search-kind').getByText('情報提供・相談 (0)').click();
    await expect.poll(() => page.getByTestId('search-count').textContent()).toBe('該当するものはありません。');
    await page.getByTestId('search-kind').getByText('すべて (1)').click();
    await page.getByTestId('search-result-link').first().click();
    await page.getByTestId('advisory-detail').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/advisories/${advisoryId}`);
    expect(await page.getByTestId('advisory-heading').textContent()).toContain('標的型攻撃メールに関する注意喚起');
    await shot(page, '2-opened');
  });

  it('looks up a defanged address and opens the countermeasure information holding it', async () => {
    const page = await signIn(general);
    await page.getByTestId('nav-lookup').click();
    await page.getByTestId('lookup-values').fill('198.51.100[.]7\nhxxp://unknown[.]example/\nこれは観測値ではない');
    await page.getByTestId('lookup-submit').click();
    await page.getByTestId('lookup-table').waitFor();
    const rows = page.getByTestId('lookup-row');
    expect(await rows.count()).toBe(3);
    expect(await rows.nth(0).getByTestId('lookup-value').textContent()).toBe('198.51.100.7');
    expect(await rows.nth(0).getAttribute('data-total')).toBe('1');
    expect(await rows.nth(1).getAttribute('data-total')).toBe('0');
    expect(await rows.nth(2).textContent()).toContain('種類を判別できません');
    expect(await page.getByTestId('lookup-summary').textContent()).toBe('3 行のうち 1 行の値が見つかりました。');
    await shot(page, '3-lookup');
    await rows.nth(0).getByTestId('lookup-holder-link').click();
    await page.getByTestId('advisory-detail').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/advisories/${advisoryId}`);
  });

  it('a Type 1 analyst finds the report in the queue too, and opens it', async () => {
    const page = await signIn(analyst);
    await page.getByTestId('nav-search').click();
    await page.getByTestId('search-input').fill('エモテット');
    await page.getByTestId('search-submit').click();
    await expect.poll(() => page.getByTestId('search-result').count()).toBe(2);
    expect(await page.getByTestId('search-count').textContent()).toBe('2 件見つかりました。');
    await shot(page, '4-results-type1');
    await page.getByTestId('search-result-link').filter({ hasText: QUEUE_TITLE }).click();
    await page.getByTestId('report-detail').waitFor();
    expect(await page.getByTestId('report-heading').textContent()).toBe(QUEUE_TITLE);
  });
});
