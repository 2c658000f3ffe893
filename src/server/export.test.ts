/**
 * Export of countermeasure information as a document: TLP in header and footer, the receiving organisation's
 * visible mark line and invisible token, the content of the current version, access checks and the audit row.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMarks, stripMarks } from '../core/sharing/marks.js';
import type { AdvisorySummary, Stage } from '../core/sharing/model.js';
import { formatJst } from '../core/time.js';
import { createSignedInCouncil, type SignedInCouncil, type UserKey } from '../test/sharing-council.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { dialects } from '../test/stores.js';

const ZERO_WIDTH = /\u200B|\u200C|\u200D|\u2060/;

describe.each(dialects)('export of countermeasure information on %s', (dialect) => {
  let t: TestApp;
  let c: SignedInCouncil;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    c = await createSignedInCouncil(t);
  });
  afterEach(() => t.close());

  const content = {
    title: 'VPN装置の脆弱性を悪用した侵入について',
    summary: '複数の重要インフラ事業者で侵入が確認されています。早急な対応が必要です。',
    threat: '攻撃者は認証回避の脆弱性を悪用します。侵入後は設定情報を窃取します。\n横展開の痕跡も見つかっています。',
    actions: '修正版へ更新してください。更新できない場合は管理画面へのアクセスを制限してください。',
    affectedProducts: ['VPN装置 Xシリーズ 9.1 以前'],
    sectors: ['electricity', 'finance'],
    indicators: [
      { type: 'ipv4', value: '203.0.113.5' },
      { type: 'domain', value: 'update-check.example.net' },
    ],
    confidence: 'high',
  };

  async function advisoryAt(stage: Stage, tlp = 'amber'): Promise<AdvisorySummary> {
    const type1 = await c.as('type1');
    const res = await type1.request({ method: 'POST', url: '/api/v1/advisories', payload: { ...content, tlp } });
    expect(res.statusCode, res.body).toBe(201);
    const a = res.json() as AdvisorySummary;
    const order: Stage[] = ['draft', 'type1', 'type2', 'members', 'public'];
    for (const to of order.slice(1, order.indexOf(stage) + 1)) {
      const r = await type1.request({ method: 'POST', url: `/api/v1/advisories/${a.id}/releases`, payload: { to } });
      expect(r.statusCode, r.body).toBe(200);
    }
    return a;
  }

  async function exportAs(key: UserKey, id: string, query = ''): Promise<LightMyRequestResponse> {
    const client = await c.as(key);
    return client.request({ method: 'GET', url: `/api/v1/advisories/${id}/export${query}` });
  }

  it('exports Markdown with the TLP in header and footer, the visible mark line and the invisible token', async () => {
    const a = await advisoryAt('type2');
    await c.as('type2');
    const at = t.deps.clock.now();
    const res = await exportAs('type2', a.id);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/markdown; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="advisory-${a.id}-v1.md"`);
    expect(res.headers['cache-control']).toBe('no-store');

    const doc = res.body;
    const lines = doc.trimEnd().split('\n');
    expect(lines[0]).toBe('**TLP:AMBER**');
    expect(lines.at(-1)).toBe('**TLP:AMBER**');
    const plain = stripMarks(doc);
    expect(plain).toContain(`# ${content.title}`);
    expect(plain).toContain(
      `この文書は東日本電力株式会社（電力 四郎 / ejep.csirt）に${formatJst(at, 'ja')}に提供されました。TLP:AMBER：受領組織とその顧客の中で、知る必要のある範囲に限り共有できます。`,
    );
    expect(plain).toContain(`This document was provided to East Japan Electric Power Co. (電力 四郎 / ejep.csirt) on ${formatJst(at, 'en')}. TLP:AMBER`);
    for (const heading of ['## 概要', '## 脅威', '## 対策', '## 影響を受ける製品', '## 対象分野', '## 指標（IoC）']) expect(plain).toContain(heading);
    for (const text of [content.summary, content.threat, content.actions, 'VPN装置 Xシリーズ 9.1 以前', '- 電力', '- 金融', '- ipv4: `203.0.113.5`', '- domain: `update-check.example.net`'])
      expect(plain).toContain(text);
    expect(plain).toContain('- 公開段階: 第二類構成員まで（早期提供）');
    expect(plain).toContain('- 版: 1');
    expect(plain).toContain('- 確度: 高');
    // Indicator lines carry no invisible characters: they are copied into tools.
    for (const line of doc.split('\n').filter((l) => l.includes('203.0.113.5') || l.includes('update-check'))) expect(line).not.toMatch(ZERO_WIDTH);

    // The token names a stored mark for the organisation, the user and the item; the export is audited with it.
    const found = decodeMarks(doc);
    expect(found).toHaveLength(1);
    const markId = found[0]?.id as string;
    expect(found[0]?.occurrences).toBeGreaterThan(10);
    expect(await t.deps.store.read.marks.byId(markId)).toEqual({
      id: markId,
      orgId: c.orgs.type2.id,
      userId: c.users.type2.id,
      itemType: 'advisory',
      itemId: a.id,
      version: 1,
      tlp: 'TLP:AMBER',
      format: 'md',
      createdAt: at.toISOString(),
    });
    const audit = await t.deps.store.read.audit.list({ action: 'advisory.export', targetId: a.id, limit: 10 });
    expect(audit).toEqual([
      expect.objectContaining({ actorUserId: c.users.type2.id, actorOrgId: c.orgs.type2.id, detail: { markId, format: 'md', version: 1, tlp: 'amber', stage: 'type2' } }),
    ]);
  });

  it('leaves its token in any part of the text copied on its own', async () => {
    const a = await advisoryAt('members');
    const doc = (await exportAs('general', a.id)).body;
    const [{ id } = { id: '' }] = decodeMarks(doc);
    const excerpts = [
      // One sentence from the middle of the threat section.
      doc.slice(doc.indexOf('侵入後は'), doc.indexOf('横展開')),
      // The second line of the threat.
      doc.slice(doc.indexOf('横展開'), doc.indexOf('\n', doc.indexOf('横展開'))),
      // The title line alone.
      doc.split('\n').find((l) => l.startsWith('# ')) as string,
      // A heading and the list below it.
      doc.slice(doc.indexOf('## 影響を受ける製品'), doc.indexOf('## 対象分野')),
    ];
    for (const excerpt of excerpts) expect(decodeMarks(excerpt), excerpt).toEqual([{ id, occurrences: expect.any(Number) as number }]);
  });

  it('gives every export its own mark, and each organisation its own', async () => {
    const a = await advisoryAt('members');
    const first = decodeMarks((await exportAs('general', a.id)).body)[0]?.id;
    const second = decodeMarks((await exportAs('general', a.id)).body)[0]?.id;
    const other = decodeMarks((await exportAs('general2', a.id)).body)[0]?.id;
    expect(new Set([first, second, other]).size).toBe(3);
    const marks = await t.deps.store.read.marks.forItem(a.id);
    expect(marks.map((m) => m.orgId).sort()).toEqual([c.orgs.general.id, c.orgs.general.id, c.orgs.general2.id].sort());
    expect(await t.deps.store.read.audit.list({ action: 'advisory.export', targetId: a.id, limit: 10 })).toHaveLength(3);
  });

  it('exports plain text and JSON with the same label, line and token; headings in English on request', async () => {
    const a = await advisoryAt('type2', 'amber+strict');
    const txt = await exportAs('type2', a.id, '?format=txt&lang=en');
    expect(txt.statusCode, txt.body).toBe(200);
    expect(txt.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(txt.headers['content-disposition']).toBe(`attachment; filename="advisory-${a.id}-v1.txt"`);
    const lines = txt.body.trimEnd().split('\n');
    expect(lines[0]).toBe('TLP:AMBER+STRICT');
    expect(lines.at(-1)).toBe('TLP:AMBER+STRICT');
    const plain = stripMarks(txt.body);
    for (const heading of ['【Summary】', '【Threat】', '【Recommended actions】', '【Indicators】']) expect(plain).toContain(heading);
    expect(plain).toContain('・Electricity');
    expect(plain).toContain('この文書は東日本電力株式会社');
    expect(plain).toContain('This document was provided to East Japan Electric Power Co.');
    expect(decodeMarks(txt.body)).toHaveLength(1);

    const json = await exportAs('type2', a.id, '?format=json');
    expect(json.statusCode, json.body).toBe(200);
    expect(json.headers['content-type']).toBe('application/json; charset=utf-8');
    const doc = json.json() as Record<string, unknown> & { notice: { ja: string; en: string }; indicators: unknown[] };
    expect(doc).toMatchObject({ tlp: 'TLP:AMBER+STRICT', footer: 'TLP:AMBER+STRICT', id: a.id, stage: 'type2', version: 1, confidence: 'high', sectors: ['electricity', 'finance'] });
    expect(stripMarks(doc.title as string)).toBe(content.title);
    expect(stripMarks(doc.notice.ja)).toContain('東日本電力株式会社（電力 四郎 / ejep.csirt）');
    expect(doc.indicators).toEqual(content.indicators);
    expect(decodeMarks(json.body)).toHaveLength(1);
    expect(decodeMarks(doc.summary as string)).toHaveLength(1);

    // The English user gets English headings by default.
    expect((await (await c.as('type2b')).request({ method: 'PATCH', url: '/api/v1/me', payload: { locale: 'en' } })).statusCode).toBe(200);
    expect(stripMarks((await exportAs('type2b', a.id)).body)).toContain('## Summary');

    const formats = (await t.deps.store.read.marks.forItem(a.id)).map((m) => m.format).sort();
    expect(formats).toEqual(['json', 'md', 'txt']);
    expect((await exportAs('type2', a.id, '?format=pdf')).statusCode).toBe(400);
  });

  it('exports a public TLP:CLEAR item to anyone, without a mark or an audit row', async () => {
    const a = await advisoryAt('public', 'clear');
    const res = await c.anonymous({ method: 'GET', url: `/api/v1/advisories/${a.id}/export` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.body).not.toMatch(ZERO_WIDTH);
    expect(res.body.split('\n')[0]).toBe('**TLP:CLEAR**');
    expect(res.body).not.toContain('この文書は');
    expect(res.body).toContain('公開段階: 一般公開');
    expect(await t.deps.store.read.marks.forItem(a.id)).toEqual([]);
    expect(await t.deps.store.read.audit.list({ action: 'advisory.export', limit: 10 })).toEqual([]);
  });

  it('answers "not found" to those who may not read the item, and issues no mark', async () => {
    const a = await advisoryAt('type2');
    for (const key of ['general', 'foreignType2', 'type1NoTotp', 'none'] as const) {
      const res = await exportAs(key, a.id);
      expect(res.statusCode, key).toBe(404);
      expect((res.json() as { error: { code: string } }).error.code).toBe('not_found');
    }
    expect((await c.anonymous({ method: 'GET', url: `/api/v1/advisories/${a.id}/export` })).statusCode).toBe(404);
    expect(await t.deps.store.read.marks.forItem(a.id)).toEqual([]);
    expect(await t.deps.store.read.audit.list({ action: 'advisory.export', limit: 10 })).toEqual([]);
    // A draft: its writer may export it (marked for its own organisation).
    const draft = await advisoryAt('draft');
    expect((await exportAs('type1', draft.id)).statusCode).toBe(200);
    expect((await exportAs('type1b', draft.id)).statusCode).toBe(404);
  });
});
