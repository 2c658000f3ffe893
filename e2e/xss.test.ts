/**
 * Stored XSS (issue 9): hostile Markdown in a rulebook, hostile text in a report, its observables, a comment and
 * countermeasure information, saved through the real API and then shown to other members in Chromium. Nothing may
 * run (no dialog, no flag set, no CSP report) and nothing may become markup (no event-handler attribute, no
 * javascript: link, no injected element); each payload must show as the text it is.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system } from '../src/core/actor.js';
import { createRulebook } from '../src/core/membership/rulebooks.js';
import { startServer } from '../src/server/main.js';
import { ensureWebBuild, freshTotp, launchChromium, member, PASSWORD, type Person, signInPage } from './harness.js';

/** Each payload sets `window.__xss` if it ever runs. */
const payloads = [
  '<script>window.__xss = "script"</script>',
  '<img src=x onerror="window.__xss = \'img\'">',
  '<svg onload="window.__xss = \'svg\'"></svg>',
  '"><iframe src="javascript:window.__xss=\'iframe\'"></iframe>',
  '[click](javascript:window.__xss=1)',
  '<a href="javascript:window.__xss=1">link</a>',
  '{{constructor.constructor("window.__xss=1")()}}',
];
const text = payloads.join('\n');

describe('stored XSS through Markdown, reports, observables and countermeasure information', () => {
  let dir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let general: Person;
  let analyst: Person;
  let reportId = '';
  let advisoryId = '';

  /** Sign in over the API (cookie and CSRF token), as the web UI does. */
  async function api(person: Person): Promise<(method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>> {
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: person.login, password: PASSWORD, ...(person.totp ? { totp: await freshTotp(person) } : {}) }),
    });
    expect(res.status).toBe(200);
    const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0] as string;
    const { csrfToken } = (await res.json()) as { csrfToken: string };
    return async (method, path, body) => {
      const r = await fetch(`${server.url}${path}`, { method, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify(body) });
      const raw = await r.text();
      const json = (raw ? JSON.parse(raw) : {}) as Record<string, unknown>;
      if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(json)}`);
      return json;
    };
  }

  /** A signed-in page that records every dialog and every CSP violation it sees. */
  async function signIn(person: Person): Promise<{ page: Page; alarms: string[] }> {
    const page = await (await browser.newContext({ locale: 'ja-JP', viewport: { width: 1360, height: 900 } })).newPage();
    page.setDefaultTimeout(15_000);
    const alarms: string[] = [];
    page.on('dialog', (d) => {
      alarms.push(`dialog: ${d.message()}`);
      void d.dismiss();
    });
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) alarms.push(`csp: ${m.text()}`);
    });
    await signInPage(page, server.url, person, null);
    return { page, alarms };
  }

  /** What the page holds that a payload would have made of it. */
  const scan = (page: Page) =>
    page.evaluate(() => {
      const all = [...document.querySelectorAll('*')];
      return {
        flag: (window as unknown as { __xss?: unknown }).__xss ?? null,
        handlers: all.flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`)),
        javascriptUrls: all.filter((el) => /^\s*javascript:/i.test(el.getAttribute('href') ?? el.getAttribute('src') ?? '')).length,
        injected: document.querySelectorAll('iframe, svg[onload], img[src="x"], script:not([src])').length,
        text: document.body.innerText,
      };
    });

  /** Nothing ran and nothing became markup; the payloads are on the page as text. */
  async function expectInert(page: Page, alarms: string[], where: string): Promise<void> {
    const found = await scan(page);
    expect(found.flag, where).toBeNull();
    expect(found.handlers, where).toEqual([]);
    expect(found.javascriptUrls, where).toBe(0);
    expect(found.injected, where).toBe(0);
    expect(alarms, where).toEqual([]);
    expect(found.text, where).toContain('<img src=x onerror=');
    expect(found.text, where).toContain('<script>window.__xss');
  }

  beforeAll(async () => {
    ensureWebBuild();
    dir = mkdtempSync(join(tmpdir(), 'kyogikai-e2e-xss-'));
    server = await startServer({ port: 0, host: '127.0.0.1', databaseUrl: join(dir, 'kyogikai.db'), attachmentsDir: join(dir, 'files'), adminPassword: 'correct horse battery', logLevel: 'silent' });
    general = await member(
      server.deps,
      { nameJa: '桜市', nameEn: 'Sakura City', category: 'local_government', foreignCapital: false, memberClass: 'general', designated: false, rosterConsent: true },
      { login: 'sakura.xss', displayName: '桜 太郎', totp: false },
    );
    analyst = await member(
      server.deps,
      { nameJa: '株式会社防御', nameEn: 'Defence Inc.', category: 'cyber_business', foreignCapital: false, memberClass: 'type1', designated: false, rosterConsent: true },
      { login: 'defence.xss', displayName: '防御 花子', totp: true },
    );

    // Everything hostile goes in through the same API the web UI uses.
    const asGeneral = await api(general);
    const report = await asGeneral('POST', '/api/v1/reports', {
      title: payloads[1],
      description: text,
      kind: 'phishing',
      certainty: 'suspected',
      providerNamed: true,
      observables: [
        { type: 'url', value: 'http://evil.example/"><img src=x onerror="window.__xss=\'url\'">' },
        { type: 'url', value: 'https://evil.example/?q=<script>window.__xss=1</script>#"><svg onload=window.__xss=1>' },
        { type: 'domain', value: 'evil[.]example' },
      ],
    });
    reportId = report.id as string;
    const asAnalyst = await api(analyst);
    await asAnalyst('POST', `/api/v1/reports/${reportId}/comments`, { body: text });
    const advisory = await asAnalyst('POST', '/api/v1/advisories', {
      title: payloads[0],
      summary: text,
      threat: text,
      actions: text,
      affectedProducts: [payloads[2]],
      indicators: [{ type: 'url', value: 'http://evil.example/"><img src=x onerror="window.__xss=\'indicator\'">' }],
    });
    advisoryId = advisory.id as string;
    await asAnalyst('POST', `/api/v1/advisories/${advisoryId}/releases`, { to: 'type1' });

    // A rulebook in hostile Markdown, in force now: every member must read it (rendered by Markdown.tsx) first.
    const heading = payloads.map((p) => `- ${p}`).join('\n');
    await createRulebook(
      server.deps,
      system('e2e'),
      { kind: 'council_rules', bodyMd: `# ${payloads[1]}\n\n${heading}\n\n> ${payloads[0]}\n\n**${payloads[2]}** \`${payloads[3]}\` _${payloads[5]}_\n\n${payloads[4]}`, effectiveAt: new Date(Date.now() - 60_000).toISOString() },
      { ip: null, userAgent: 'e2e' },
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a rulebook in hostile Markdown shows as text at the rules gate', async () => {
    const { page, alarms } = await signIn(general);
    await page.getByTestId('rules-body').first().waitFor();
    await expectInert(page, alarms, 'rules gate');
    // The checks do see markup where there is some: put one payload in as HTML, the way a broken renderer would.
    await page.evaluate((html) => document.body.insertAdjacentHTML('beforeend', html), payloads[1] as string);
    const broken = await scan(page);
    expect(broken.handlers).toEqual(['IMG onerror']);
    expect(broken.injected).toBe(1);
    await page.context().close();
  });

  it('a hostile report, its observables and comments show as text to the Type 1 group', async () => {
    const { page, alarms } = await signIn(analyst);
    // The analyst accepts the rules first (the gate is the page above), then opens the report.
    await page.getByTestId('rules-body').first().waitFor();
    for (const box of await page.getByTestId('rules-check').all()) await box.check();
    await page.getByTestId('rules-accept').click();
    await page.getByTestId('home').waitFor();
    await page.goto(`${server.url}/reports/${reportId}`);
    await page.getByTestId('comment-body').first().waitFor();
    await page.getByTestId('observable-row').first().waitFor();
    await expectInert(page, alarms, 'report');
    // Observables are stored normalised: markup in a URL is percent-encoded, never kept as markup.
    const values = await page.getByTestId('observable-row').allInnerTexts();
    expect(values.join('\n')).toContain('http://evil.example/%22%3E%3Cimg%20src=x%20onerror=');

    await page.goto(`${server.url}/advisories/${advisoryId}`);
    await page.getByTestId('advisory-heading').waitFor();
    await page.getByTestId('advisory-indicators-table').waitFor();
    await expectInert(page, alarms, 'countermeasure information');
    await page.context().close();
  });
});
