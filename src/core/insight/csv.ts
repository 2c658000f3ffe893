/**
 * Every chart of the dashboards as CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel in Japan reads the
 * Japanese), CRLF line ends, headers and labels in the reader's language, times in Japan time.
 */
import { translate, type Locale } from '../messages.js';
import { categories, sectors, type Category } from '../model.js';
import { feedbackAnswers, tlpLabel, tlps } from '../sharing/model.js';
import { ledgerKinds } from '../sharing/requests-model.js';
import { statClasses } from '../membership/model.js';
import { releaseStages, type CouncilDashboard, type OrganizationDashboard, type Type1Dashboard } from './model.js';

export const type1Charts = ['stages', 'releases', 'sectors', 'over-time', 'lead-times'] as const;
export const councilCharts = ['members', 'ranking', 'overdue'] as const;
export const organizationCharts = ['ledger', 'ledger-months', 'deadlines', 'available'] as const;
export type Type1Chart = (typeof type1Charts)[number];
export type CouncilChart = (typeof councilCharts)[number];
export type OrganizationChart = (typeof organizationCharts)[number];

type Cell = string | number;

/** RFC 4180 quoting; a text starting like a formula is defused so spreadsheet software does not run it. */
function cell(v: Cell): string {
  const s = String(v);
  const safe = typeof v === 'string' && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

const jstParts = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `2026-04-01 09:30` in Japan time: sortable, and read as a date by spreadsheets. */
export function jstCsv(isoTime: string): string {
  const p: Record<string, string> = {};
  for (const part of jstParts.formatToParts(new Date(isoTime))) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

const sectorSet = new Set<string>(sectors);
const categorySet = new Set<string>(categories);

function labels(locale: Locale) {
  const t = (key: string, params: Record<string, string | number> = {}) => translate(locale, key, params);
  return {
    t,
    name: (o: { nameJa: string; nameEn: string }) => (locale === 'en' ? o.nameEn || o.nameJa : o.nameJa || o.nameEn),
    stage: (s: string) => t(`insight_stage_${s}`),
    answer: (a: string) => t(`insight_answer_${a}`),
    klass: (c: string) => t(`insight_class_${c}`),
    ledger: (k: string) => t(`insight_ledger_${k}`),
    category: (c: Category) => t(`category_${c}`),
    /** A feedback group: a critical-infrastructure sector, else a category. */
    group: (g: string) => (sectorSet.has(g) ? t(`insight_sector_${g}`) : categorySet.has(g) ? t(`category_${g}`) : g),
    yesNo: (b: boolean) => t(b ? 'insight_yes' : 'insight_no'),
  };
}

export function type1Csv(d: Type1Dashboard, chart: Type1Chart, locale: Locale): string {
  const l = labels(locale);
  const answers = feedbackAnswers.map(l.answer);
  const release = (x: Type1Dashboard['releases'][number]) => [x.title, x.version];
  switch (chart) {
    case 'stages':
      return toCsv([
        [l.t('insight_col_stage'), ...tlps.map(tlpLabel), l.t('insight_col_total')],
        ...d.stages.map((s) => [l.stage(s.stage), ...tlps.map((t) => s.byTlp[t] ?? 0), s.total]),
      ]);
    case 'releases':
      return toCsv([
        [
          l.t('insight_col_item'),
          l.t('insight_col_version'),
          'TLP',
          l.t('insight_col_released_at'),
          l.t('insight_col_deadline'),
          l.t('insight_col_expected'),
          ...answers,
          l.t('insight_col_late'),
          l.t('insight_col_not_answered'),
        ],
        ...d.releases.map((x) => [
          ...release(x),
          tlpLabel(x.tlp),
          jstCsv(x.releasedAt),
          jstCsv(x.deadline),
          x.expected,
          ...feedbackAnswers.map((a) => x.totals[a]),
          x.late,
          x.notAnswered,
        ]),
      ]);
    case 'sectors':
      return toCsv([
        [l.t('insight_col_item'), l.t('insight_col_version'), l.t('insight_col_group'), ...answers],
        ...d.releases.flatMap((x) => x.bySector.map((s) => [...release(x), l.group(s.group), ...feedbackAnswers.map((a) => s[a])])),
      ]);
    case 'over-time':
      return toCsv([
        [l.t('insight_col_item'), l.t('insight_col_version'), l.t('insight_col_time'), ...answers],
        ...d.releases.flatMap((x) => x.overTime.map((p) => [...release(x), jstCsv(p.at), ...feedbackAnswers.map((a) => p[a])])),
      ]);
    case 'lead-times':
      return toCsv([
        [l.t('insight_col_item'), l.t('insight_col_reported_at'), ...releaseStages.map((s) => l.t('insight_col_hours_to', { stage: l.stage(s) }))],
        ...d.leadTimes.map((x) => [x.title, jstCsv(x.reportedAt), ...releaseStages.map((s) => x.hours[s] ?? '')]),
      ]);
  }
}

export function councilCsv(d: CouncilDashboard, chart: CouncilChart, locale: Locale): string {
  const l = labels(locale);
  switch (chart) {
    case 'members': {
      const m = d.membership;
      return toCsv([
        [
          l.t('insight_col_period'),
          l.t('insight_col_as_of'),
          l.t('insight_col_total'),
          l.t('insight_col_joined'),
          ...statClasses.map(l.klass),
          ...categories.map(l.category),
        ],
        ...[...m.rows, m.current].map((r) => [
          r.periodNumber === null ? l.t('insight_period_now') : l.t('insight_period_n', { number: r.periodNumber }),
          jstCsv(r.asOf).slice(0, 10),
          r.total,
          r.joined,
          ...statClasses.map((c) => r.byClass[c] ?? 0),
          ...categories.map((c) => r.byCategory[c] ?? 0),
        ]),
      ]);
    }
    case 'ranking':
      return toCsv([
        [l.t('insight_col_rank'), l.t('insight_col_org'), l.t('insight_col_class'), l.t('insight_col_score'), ...ledgerKinds.map(l.ledger), l.t('insight_col_missed')],
        ...d.ranking.items.map((r) => [r.rank, l.name(r), l.klass(r.memberClass), r.score, ...ledgerKinds.map((k) => r.totals[k]), r.missedRequests]),
      ]);
    case 'overdue':
      return toCsv([
        [
          l.t('insight_col_org'),
          l.t('insight_col_class'),
          l.t('insight_col_feedback_missing'),
          l.t('insight_col_feedback_late'),
          l.t('insight_col_requests_missing'),
          l.t('insight_col_requests_late'),
        ],
        ...d.overdue.map((o) => [l.name(o), l.klass(o.memberClass), o.feedbackMissing, o.feedbackLate, o.requestsMissing, o.requestsLate]),
      ]);
  }
}

export function organizationCsv(d: OrganizationDashboard, chart: OrganizationChart, locale: Locale): string {
  const l = labels(locale);
  switch (chart) {
    case 'ledger':
      return toCsv([
        [l.t('insight_col_kind'), l.t('insight_col_count')],
        ...ledgerKinds.map((k) => [l.ledger(k), d.ledger.totals[k]]),
        [l.t('insight_col_score'), d.ledger.score],
      ]);
    case 'ledger-months':
      return toCsv([
        [l.t('insight_col_month'), ...ledgerKinds.map(l.ledger)],
        ...d.ledger.months.map((m) => [m.month, ...ledgerKinds.map((k) => m.counts[k])]),
      ]);
    case 'deadlines':
      return toCsv([
        [l.t('insight_col_kind'), l.t('insight_col_title'), l.t('insight_col_deadline'), l.t('insight_col_answered'), l.t('insight_col_overdue')],
        ...d.deadlines.map((x) => [l.t(`insight_deadline_${x.kind}`), x.title, jstCsv(x.deadline), l.yesNo(x.answered), l.yesNo(x.overdue)]),
      ]);
    case 'available':
      return toCsv([
        [l.t('insight_col_stage'), ...tlps.map(tlpLabel), l.t('insight_col_total')],
        ...d.available.map((s) => [l.stage(s.stage), ...tlps.map((t) => s.byTlp[t] ?? 0), s.total]),
      ]);
  }
}
