/**
 * Export of countermeasure information (対策情報) as a document: Markdown (default), plain text or JSON.
 * The TLP label stands in the header and the footer; a document of non-public information carries the
 * receiving organisation's mark (a visible line and an invisible token, see marks.ts) and its export is audited.
 * Public TLP:CLEAR items are exported as they are, without a mark.
 */
import type { Actor } from '../actor.js';
import { audit, type Deps, type RequestMeta } from '../context.js';
import { Forbidden, NotFound } from '../errors.js';
import type { Locale } from '../messages.js';
import type { Sector } from '../model.js';
import { formatJst } from '../time.js';
import { readableAdvisory } from './advisories.js';
import { embedMark, issueMark, markNotice, tlpRuleText } from './marks.js';
import { tlpLabel, type AdvisoryContent, type Confidence, type Stage, type Tlp } from './model.js';
import type { AdvisoryRecord } from './ports.js';

export const exportFormats = ['md', 'txt', 'json'] as const;
export type ExportFormat = (typeof exportFormats)[number];

export interface ExportedDocument {
  filename: string;
  contentType: string;
  body: string;
  /** Null for public items, which carry no mark. */
  markId: string | null;
}

type Labels = Record<Locale, string>;

const headings: Record<string, Labels> = {
  document: { ja: '対策情報', en: 'Countermeasure information' },
  summary: { ja: '概要', en: 'Summary' },
  threat: { ja: '脅威', en: 'Threat' },
  actions: { ja: '対策', en: 'Recommended actions' },
  affectedProducts: { ja: '影響を受ける製品', en: 'Affected products' },
  sectors: { ja: '対象分野', en: 'Sectors' },
  indicators: { ja: '指標（IoC）', en: 'Indicators' },
  stage: { ja: '公開段階', en: 'Stage' },
  version: { ja: '版', en: 'Version' },
  confidence: { ja: '確度', en: 'Confidence' },
  updatedAt: { ja: '更新日時', en: 'Updated' },
  id: { ja: '識別子', en: 'Identifier' },
  none: { ja: 'なし', en: 'None' },
  notice: { ja: '取扱い', en: 'Handling' },
};

const stageLabels: Record<Stage, Labels> = {
  draft: { ja: '下書き', en: 'Draft' },
  type1: { ja: '第一類構成員G', en: 'Type 1 group' },
  type2: { ja: '第二類構成員まで（早期提供）', en: 'Type 2 members (early)' },
  members: { ja: '全構成員', en: 'All members' },
  public: { ja: '一般公開', en: 'Public' },
};

const confidenceLabels: Record<Confidence, Labels> = {
  low: { ja: '低', en: 'Low' },
  medium: { ja: '中', en: 'Medium' },
  high: { ja: '高', en: 'High' },
};

const sectorLabels: Record<Sector, Labels> = {
  information_communication: { ja: '情報通信', en: 'Information and communication' },
  finance: { ja: '金融', en: 'Finance' },
  aviation: { ja: '航空', en: 'Aviation' },
  airport: { ja: '空港', en: 'Airports' },
  railway: { ja: '鉄道', en: 'Railways' },
  electricity: { ja: '電力', en: 'Electricity' },
  gas: { ja: 'ガス', en: 'Gas' },
  government_services: { ja: '政府・行政サービス', en: 'Government and administrative services' },
  medical: { ja: '医療', en: 'Medical' },
  water: { ja: '水道', en: 'Water' },
  logistics: { ja: '物流', en: 'Logistics' },
  chemical: { ja: '化学', en: 'Chemicals' },
  credit_card: { ja: 'クレジット', en: 'Credit cards' },
  petroleum: { ja: '石油', en: 'Petroleum' },
  port: { ja: '港湾', en: 'Ports' },
};

const sectorLabel = (s: string, locale: Locale): string => (s in sectorLabels ? sectorLabels[s as Sector][locale] : s);

interface Doc {
  advisory: AdvisoryRecord;
  content: AdvisoryContent;
  locale: Locale;
  /** The visible mark line (ja, en), or null for public items. */
  notice: { ja: string; en: string } | null;
  /** The invisible token ('' for public items). */
  token: string;
}

const h = (key: string, locale: Locale): string => headings[key]?.[locale] ?? key;

function metaLines(d: Doc): [string, string][] {
  const { advisory: a, content: c, locale } = d;
  return [
    [h('id', locale), a.id],
    [h('stage', locale), stageLabels[a.stage][locale]],
    [h('version', locale), String(a.version)],
    [h('confidence', locale), confidenceLabels[c.confidence][locale]],
    [h('updatedAt', locale), formatJst(a.updatedAt, locale)],
  ];
}

function renderMarkdown(d: Doc): string {
  const { advisory: a, content: c, locale, token } = d;
  const label = tlpLabel(a.tlp);
  const mark = (s: string) => embedMark(s, token);
  const section = (key: string, body: string) => `## ${h(key, locale)}${token}\n\n${mark(body)}\n`;
  const list = (items: string[]) => (items.length ? items.map((x) => `- ${x}`).join('\n') : `- ${h('none', locale)}`);
  const out: string[] = [`**${label}**`, ''];
  out.push(`# ${mark(c.title)}`, '');
  if (d.notice) out.push(`> ${mark(d.notice.ja)}`, '>', `> ${mark(d.notice.en)}`, '');
  else out.push(`> ${label}: ${tlpRuleText(a.tlp)[locale]}`, '');
  out.push(...metaLines(d).map(([k, v]) => `- ${k}: ${v}`), '');
  out.push(section('summary', c.summary), section('threat', c.threat), section('actions', c.actions));
  out.push(`## ${h('affectedProducts', locale)}${token}\n\n${list(c.affectedProducts.map(mark))}\n`);
  out.push(`## ${h('sectors', locale)}${token}\n\n${list(c.sectors.map((s) => sectorLabel(s, locale)))}\n`);
  // Indicator values are copied into tools: never a zero-width character next to them.
  out.push(`## ${h('indicators', locale)}${token}\n\n${list(c.indicators.map((o) => `${o.type}: \`${o.value}\``))}\n`);
  out.push('---', '');
  if (d.notice) out.push(mark(d.notice.ja), '', mark(d.notice.en), '');
  out.push(`**${label}**`, '');
  return out.join('\n');
}

function renderText(d: Doc): string {
  const { advisory: a, content: c, locale, token } = d;
  const label = tlpLabel(a.tlp);
  const mark = (s: string) => embedMark(s, token);
  const rule = '='.repeat(60);
  const section = (key: string, body: string) => `【${h(key, locale)}】${token}\n${body}\n`;
  const list = (items: string[]) => (items.length ? items.map((x) => `・${x}`).join('\n') : `・${h('none', locale)}`);
  const out: string[] = [label, rule, mark(c.title), rule, ''];
  if (d.notice) out.push(mark(d.notice.ja), mark(d.notice.en), '');
  else out.push(`${label}: ${tlpRuleText(a.tlp)[locale]}`, '');
  out.push(...metaLines(d).map(([k, v]) => `${k}: ${v}`), '');
  out.push(section('summary', mark(c.summary)), section('threat', mark(c.threat)), section('actions', mark(c.actions)));
  out.push(section('affectedProducts', list(c.affectedProducts.map(mark))));
  out.push(section('sectors', list(c.sectors.map((s) => sectorLabel(s, locale)))));
  out.push(section('indicators', list(c.indicators.map((o) => `${o.type}: ${o.value}`))));
  out.push(rule);
  if (d.notice) out.push(mark(d.notice.ja), mark(d.notice.en));
  out.push(label, '');
  return out.join('\n');
}

function renderJson(d: Doc): string {
  const { advisory: a, content: c, locale, token } = d;
  const label = tlpLabel(a.tlp);
  const mark = (s: string) => embedMark(s, token);
  const doc = {
    tlp: label,
    notice: d.notice ? { ja: mark(d.notice.ja), en: mark(d.notice.en) } : null,
    handling: tlpRuleText(a.tlp),
    id: a.id,
    stage: a.stage,
    stageLabel: stageLabels[a.stage][locale],
    version: a.version,
    updatedAt: a.updatedAt,
    title: mark(c.title),
    summary: mark(c.summary),
    threat: mark(c.threat),
    actions: mark(c.actions),
    affectedProducts: c.affectedProducts.map(mark),
    sectors: c.sectors,
    indicators: c.indicators,
    confidence: c.confidence,
    footer: label,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

const contentTypes: Record<ExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  json: 'application/json; charset=utf-8',
};

const isPublic = (a: { stage: Stage; tlp: Tlp }): boolean => a.stage === 'public' && a.tlp === 'clear';

/**
 * Export the current version of a countermeasure item for `actor`, with the same access checks as reading it.
 * Non-public information gets a fresh mark for the actor's organisation and an `advisory.export` audit row.
 */
export async function exportAdvisory(
  deps: Deps,
  actor: Actor,
  id: string,
  opts: { format: ExportFormat; locale: Locale },
  meta: RequestMeta,
): Promise<ExportedDocument> {
  return deps.store.tx(async (r) => {
    const a = await readableAdvisory(r, actor, id);
    const current = await r.sharing.versions.get(id, a.version);
    if (!current) throw new NotFound('not_found');
    let notice: Doc['notice'] = null;
    let token = '';
    let markId: string | null = null;
    if (!isPublic(a)) {
      // A mark names a receiving organisation: only a signed-in user of one can take non-public information away.
      if (actor.kind !== 'user') throw new Forbidden('forbidden');
      const org = await r.organizations.byId(actor.orgId);
      const issued = await issueMark(r, deps, {
        orgId: actor.orgId,
        userId: actor.userId,
        itemType: 'advisory',
        itemId: id,
        version: a.version,
        tlp: a.tlp,
        format: opts.format,
      });
      markId = issued.mark.id;
      token = issued.token;
      notice = markNotice({
        orgNameJa: org?.nameJa ?? '',
        orgNameEn: org?.nameEn ?? '',
        userDisplayName: actor.displayName,
        userLogin: actor.login,
        at: issued.mark.createdAt,
        tlp: a.tlp,
      });
      await audit(r, deps, actor, meta, 'advisory.export', { type: 'advisory', id }, {
        markId,
        format: opts.format,
        version: a.version,
        tlp: a.tlp,
        stage: a.stage,
      });
    }
    const doc: Doc = { advisory: a, content: current.content, locale: opts.locale, notice, token };
    const body = opts.format === 'json' ? renderJson(doc) : opts.format === 'txt' ? renderText(doc) : renderMarkdown(doc);
    return {
      filename: `advisory-${a.id}-v${a.version}.${opts.format}`,
      contentType: contentTypes[opts.format],
      body,
      markId,
    };
  });
}
