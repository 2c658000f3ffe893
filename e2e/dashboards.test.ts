/**
 * Dashboards and the home page in the browser: a small council with five days of history (a report turned into a
 * countermeasure item, released to Type 2 with answers in time, one missing, a second item still open for feedback,
 * an information request, a consultation waiting). Each dashboard is opened by the role it is for, screenshotted,
 * and every chart must have drawn something: bars, lines or areas of non-zero size in its SVG — an empty chart
 * fails the test. The numbers are also read from the table view, a CSV is downloaded, and the home page lists
 * what needs attention with the time left and a link to it. Screenshots go to test-results/dashboards-*.png.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system, type UserActor } from '../src/core/actor.js';
import type { Deps } from '../src/core/context.js';
import { createPeriod } from '../src/core/membership/periods.js';
import { createAdvisory, releaseAdvisory } from '../src/core/sharing/advisories.js';
import { issueChallenge, solveChallenge, submitConsultation } from '../src/core/sharing/consultations.js';
import { submitFeedback } from '../src/core/sharing/feedback.js';
import { AdvisoryCreate, ReleaseInput, ReportCreate } from '../src/core/sharing/model.js';
import { createReport } from '../src/core/sharing/reports.js';
import { declareCampaign, issueRequest } from '../src/core/sharing/requests.js';
import { newTotpSecret } from '../src/core/totp.js';
import { actorForUser } from '../src/core/usecases/auth.js';
import { createOrganization } from '../src/core/usecases/organizations.js';
import { startServer } from '../src/server/main.js';
import { ensureWebBuild, launchChromium, member, type Person, shots, signInPage } from './harness.js';

const ADMIN_PASSWORD = 'correct horse battery';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const meta = { ip: '127.0.0.1', userAgent: 'e2e set-up' };

/** Non-empty marks a chart has drawn: bars, line curves and areas with a size (recharts draws them as SVG paths). */
function drawnMarks(page: Page, testId: string): Promise<number> {
  return page.getByTestId(testId).evaluate((root) => {
    const shapes = root.querySelectorAll('svg .recharts-bar-rectangle path, svg .recharts-line-curve, svg .recharts-area-area');
    return [...shapes].filter((s) => {
      const box = (s as SVGGraphicsElement).getBBox();
      return box.width > 0 && box.height > 0;
    }).length;
  });
}

describe('dashboards and the home page', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  const people: Record<'type1' | 'type2' | 'type2b' | 'type2c' | 'general', Person> = {} as never;
  const admin: Person = { login: 'admin', password: ADMIN_PASSWORD };
  let dueItemId = '';

  async function actorOf(deps: Deps, login: string): Promise<UserActor> {
    const user = await deps.store.read.users.byLogin(login);
    const actor = user && (await actorForUser(deps.store.read, user, { via: 'session', readOnly: false }, deps.now()));
    if (!actor) throw new Error(`no actor for ${login}`);
    return actor;
  }

  /** The whole page (stretched to its height), without toasts or a chart's tooltip. */
  async function shot(page: Page, name: string): Promise<void> {
    await page.mouse.move(0, 0);
    const viewport = page.viewportSize() ?? { width: 1360, height: 900 };
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewportSize({ width: viewport.width, height: Math.max(viewport.height, Math.min(height, 5000)) });
    await page.screenshot({ path: join(shots, `dashboards-${name}.png`), style: '.mantine-Notifications-root { display: none !important; }' });
    await page.setViewportSize(viewport);
  }

  /** A browser of its own, in Japanese, in London (times must still be shown in Japan time). */
  async function signIn(person: Person): Promise<Page> {
    const context = await browser.newContext({ locale: 'ja-JP', timezoneId: 'Europe/London', viewport: { width: 1360, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    page.setDefaultTimeout(15_000);
    await signInPage(page, server.url, person);
    return page;
  }

  /** Every chart named has drawn at least `min` marks (waiting out the charts' entry animation). */
  async function expectDrawn(page: Page, testIds: string[], min = 1): Promise<void> {
    for (const id of testIds) {
      await page.getByTestId(id).waitFor();
      await expect.poll(() => drawnMarks(page, id), { message: `${id} drew nothing`, timeout: 10_000 }).toBeGreaterThanOrEqual(min);
    }
  }

  beforeAll(async () => {
    ensureWebBuild();
    mkdirSync(shots, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-e2e-dashboards-'));
    server = await startServer({ port: 0, host: '127.0.0.1', databaseUrl: join(dir, 'kyogikai.db'), adminPassword: ADMIN_PASSWORD, logLevel: 'silent' });
    const deps = server.deps;
    const org = (nameJa: string, nameEn: string, memberClass: 'type1' | 'type2' | 'general', category: 'cyber_business' | 'critical_infrastructure' | 'local_government', sector?: 'electricity' | 'finance') => ({
      nameJa,
      nameEn,
      category,
      ...(sector ? { sector } : {}),
      foreignCapital: false,
      memberClass,
      designated: false,
      rosterConsent: true,
    });
    people.type1 = await member(deps, org('株式会社さくらセキュリティ', 'Sakura Security Inc.', 'type1', 'cyber_business'), { login: 'sakura.ichiro', displayName: '桜井 一郎', totp: true });
    people.type2 = await member(deps, org('みなと電力株式会社', 'Minato Electric Power Co.', 'type2', 'critical_infrastructure', 'electricity'), { login: 'minato.jiro', displayName: '港 次郎', totp: true });
    people.type2b = await member(deps, org('みらい銀行株式会社', 'Mirai Bank Ltd.', 'type2', 'critical_infrastructure', 'finance'), { login: 'mirai.saburo', displayName: '未来 三郎', totp: true });
    people.type2c = await member(deps, org('ひがし県', 'Higashi Prefecture', 'type2', 'local_government'), { login: 'higashi.shiro', displayName: '東 四郎', totp: true });
    people.general = await member(deps, org('にし市', 'Nishi City', 'general', 'local_government'), { login: 'nishi.goro', displayName: '西 五郎', totp: false });
    // The secretariat's administrator with a second factor: it may read what was released to Type 2.
    admin.totp = newTotpSecret();
    const adminUser = await deps.store.read.users.byLogin('admin');
    await deps.store.tx((r) => r.users.update(adminUser?.id ?? '', { totpSecret: admin.totp }));
    const as = {
      type1: await actorOf(deps, 'sakura.ichiro'),
      type2: await actorOf(deps, 'minato.jiro'),
      type2b: await actorOf(deps, 'mirai.saburo'),
      general: await actorOf(deps, 'nishi.goro'),
      admin: await actorOf(deps, 'admin'),
    };

    // Two past recruitment periods, with members who joined before each decision: the council's growth.
    const past = (iso: string): Deps => ({ ...deps, now: () => new Date(iso) });
    await createPeriod(past('2025-03-01T00:00:00Z'), as.admin, { number: 1, opensAt: '2025-04-01T00:00:00+09:00', closesAt: '2025-05-31T18:00:00+09:00', decisionDate: '2025-06-30' }, meta);
    await createPeriod(past('2025-09-01T00:00:00Z'), as.admin, { number: 2, opensAt: '2025-10-01T00:00:00+09:00', closesAt: '2025-11-28T18:00:00+09:00', decisionDate: '2025-12-19' }, meta);
    for (const [at, nameJa, nameEn, category] of [
      ['2025-06-30T01:00:00Z', 'みどり大学', 'Midori University', 'university'],
      ['2025-06-30T02:00:00Z', '総務省', 'Ministry of Internal Affairs', 'national_agency'],
      ['2025-12-19T01:00:00Z', 'あおば情報セキュリティ協会', 'Aoba Security Association', 'business_association'],
    ] as const) {
      await createOrganization(past(at), system('e2e'), { nameJa, nameEn, category, foreignCapital: false, memberClass: 'general', designated: false, rosterConsent: true }, meta);
    }

    // Five days ago: a report, turned into a countermeasure item, released to Type 2 with a day for feedback.
    const now = Date.now();
    let simTime = now - 5 * DAY;
    const sim: Deps = { ...deps, now: () => new Date(simTime) };
    const report = await createReport(
      sim,
      as.general,
      ReportCreate.parse({ title: '住民ポータルへの深夜の不審なログイン試行', description: '海外のIPアドレスから深夜に多数のログイン試行があります。', kind: 'suspicious_activity', certainty: 'unease' }),
      meta,
    );
    simTime += 2 * HOUR;
    const released = await createAdvisory(
      sim,
      as.type1,
      AdvisoryCreate.parse({ title: '自治体ポータルを狙う不正ログインへの注意', summary: '深夜帯の不正ログイン試行が続いています。', threat: '認証情報の窃取', actions: '多要素認証を有効にする。', sourceReportId: report.id }),
      meta,
    );
    simTime += 3 * HOUR;
    await releaseAdvisory(sim, as.type1, released.id, ReleaseInput.parse({ to: 'type1' }), meta);
    simTime += 4 * HOUR;
    await releaseAdvisory(sim, as.type1, released.id, ReleaseInput.parse({ to: 'type2', feedbackHours: 24 }), meta);
    simTime += 3 * HOUR;
    await submitFeedback(sim, as.type2, released.id, { answer: 'seen', comment: '同様の試行を観測しています。', sightings: [] }, meta);
    simTime += 6 * HOUR;
    await submitFeedback(sim, as.type2b, released.id, { answer: 'not_seen', sightings: [] }, meta);
    // ひがし県 never answers: overdue on the council's dashboard.

    // Now: a second item released to Type 2, three days to answer; an information request; a consultation.
    const open = await createAdvisory(
      deps,
      as.type1,
      AdvisoryCreate.parse({ title: 'VPN装置の脆弱性を悪用した侵入への対策', summary: 'VPN装置の脆弱性を悪用した侵入が確認されています。', threat: '侵入', actions: '修正版を適用する。', tlp: 'green' }),
      meta,
    );
    await releaseAdvisory(deps, as.type1, open.id, ReleaseInput.parse({ to: 'type1' }), meta);
    await releaseAdvisory(deps, as.type1, open.id, ReleaseInput.parse({ to: 'type2', feedbackHours: 72 }), meta);
    dueItemId = open.id;
    const campaign = await declareCampaign(deps, as.admin, { title: '大規模DDoS攻撃', description: '自治体のWebサイトへのDDoS攻撃' }, meta);
    await issueRequest(
      deps,
      as.admin,
      campaign.id,
      { title: 'DDoS攻撃の観測状況の提供のお願い', body: 'アクセス急増の有無をご提供ください。', deadline: new Date(now + 2 * DAY).toISOString(), audience: 'general' },
      meta,
    );
    const challenge = await issueChallenge(deps, 4);
    await submitConsultation(
      deps,
      { challenge: challenge.challenge, nonce: solveChallenge(challenge.challenge, challenge.difficulty), name: '相談 花子', email: 'hanako@example.jp', body: '社内のPCが夜間に勝手に再起動します。攻撃でしょうか。', observables: [] },
      { minDifficulty: 4, locale: 'ja' },
      meta,
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('Type 1 group: items per stage, feedback per release over time and by sector, report-to-release times', async () => {
    const page = await signIn(people.type1);
    expect(await page.getByTestId('nav-dashboard-council').count()).toBe(0);
    await page.getByTestId('nav-dashboard-type1').click();
    await page.getByTestId('dashboard-type1').waitFor();
    await expectDrawn(page, ['type1-stages-chart', 'type1-releases-chart', 'type1-lead-times-chart']);
    // The item pick defaults to the latest release, with no answers yet; the earlier one has answers in its curve.
    expect(await page.getByTestId('type1-sectors-empty').textContent()).toBe('この期間のデータはありません。');
    await page.getByTestId('type1-release-pick').click();
    await page.getByRole('option', { name: /自治体ポータルを狙う不正ログインへの注意/ }).click();
    await expectDrawn(page, ['type1-over-time-chart', 'type1-sectors-chart']);
    await shot(page, '1-type1');

    // The numbers behind a chart, as a table.
    await page.getByTestId('type1-releases-view').getByText('表').click();
    const rows = page.getByTestId('type1-releases-table-row');
    await expect.poll(() => rows.count()).toBe(2);
    const earlier = rows.filter({ hasText: '自治体ポータルを狙う不正ログインへの注意' });
    // Title, version, released, deadline, expected 3, seen 1, not seen 1, unknown 0, late 0, not answered 1.
    expect((await earlier.locator('td').allTextContents()).slice(4)).toEqual(['3', '1', '1', '0', '0', '1']);
    expect(await earlier.locator('td').nth(2).textContent()).toMatch(/ JST$/);

    // CSV: UTF-8 with a BOM and Japanese headers.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('type1-stages-csv').click()]);
    expect(download.suggestedFilename()).toBe('type1-stages.csv');
    const csv = readFileSync(await download.path(), 'utf8');
    expect(csv.startsWith('\uFEFF公開段階,TLP:CLEAR,')).toBe(true);
    expect(csv).toContain('第二類構成員（早期共有）,0,1,1,0,0,2');

    // In English, the same charts with English labels.
    await page.getByTestId('lang-switch').getByText('English').click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe('Type 1 group dashboard');
    await expectDrawn(page, ['type1-stages-chart', 'type1-lead-times-chart']);
    expect(await page.getByTestId('type1-stages-chart').textContent()).toContain('Type 2 members (early)');
    await shot(page, '2-type1-en');
    await page.getByTestId('lang-switch').getByText('日本語').click();
    await expect.poll(() => page.getByRole('heading', { level: 2 }).first().textContent()).toBe('第一類構成員Gのダッシュボード');
  });

  it('secretariat and committee: members, the give-and-take ranking, organisations with overdue answers', async () => {
    const page = await signIn(admin);
    // The secretariat, with a second factor, also sees the Type 1 group's dashboard.
    expect(await page.getByTestId('nav-dashboard-type1').count()).toBe(1);
    await page.getByTestId('nav-dashboard-council').click();
    await page.getByTestId('dashboard-council').waitFor();
    await expectDrawn(page, ['council-members-class-chart', 'council-members-category-chart', 'council-ranking-chart', 'council-overdue-chart']);
    await page.getByTestId('council-overdue-view').getByText('表').click();
    const overdue = page.getByTestId('council-overdue-table-row');
    await expect.poll(() => overdue.count()).toBe(1);
    expect(await overdue.locator('td').allTextContents()).toEqual(['ひがし県', '第二類構成員', '1', '0', '0', '0']);
    await page.getByTestId('council-overdue-view').getByText('グラフ').click();
    await expectDrawn(page, ['council-overdue-chart']);
    await shot(page, '3-council');
  });

  it('each organisation: its deadlines, its ledger, what it may read', async () => {
    const page = await signIn(people.type2);
    await page.getByTestId('nav-dashboard-organization').click();
    await page.getByTestId('dashboard-organization').waitFor();
    await expectDrawn(page, ['ledger-chart', 'org-ledger-months-chart', 'org-available-chart']);
    const deadlines = page.getByTestId('org-deadline-item');
    await expect.poll(() => deadlines.count()).toBe(2);
    expect(await page.getByTestId('org-ledger-score').textContent()).toContain('2');
    await shot(page, '4-organization');
  });

  it('home: answers due with the time left, new items, consultations waiting — each linking to the item', async () => {
    const type2 = await signIn(people.type2b);
    const due = type2.getByTestId('home-due-item');
    await expect.poll(() => due.count()).toBe(1);
    expect(await due.getByTestId('request-time-left').textContent()).toMatch(/^残り 2日23時間$|^残り 2日22時間$/);
    expect(await type2.getByTestId('home-new-since').textContent()).toContain('過去7日間');
    await shot(type2, '5-home-type2');
    await due.getByTestId('home-due-link').click();
    await type2.waitForURL(`${server.url}/advisories/${dueItemId}`);

    const general = await signIn(people.general);
    await expect.poll(() => general.getByTestId('home-due-item').count()).toBe(1);
    expect(await general.getByTestId('home-due-item').getAttribute('data-kind')).toBe('request');
    expect(await general.getByTestId('home-due-link').textContent()).toBe('DDoS攻撃の観測状況の提供のお願い');

    const type1 = await signIn(people.type1);
    await expect.poll(() => type1.getByTestId('home-consultation').count()).toBe(1);
    expect(await type1.getByTestId('home-consultations-count').textContent()).toBe('1');
    // Signed in before (the first test): new since then.
    expect(await type1.getByTestId('home-new-since').textContent()).toContain('前回のログイン');
    await shot(type1, '6-home-type1');
    await type1.getByTestId('home-consultation').getByRole('link').click();
    await type1.getByTestId('consultation-detail').waitFor();
  });
});
