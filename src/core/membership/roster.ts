/**
 * The roster (構成員名簿): published by the secretariat as of a date, listing the member organisations that consented,
 * by category, in Japanese and English. Earlier rosters stay readable; every roster downloads as CSV.
 */
import type { Actor } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { NotFound } from '../errors.js';
import { translate, type Locale } from '../messages.js';
import { categories, type Organization, type Page } from '../model.js';
import { authorize } from '../policy.js';
import type { Roster, RosterEntry, RosterSummary } from './model.js';

const categoryOrder = new Map(categories.map((c, i) => [c, i]));

/** On the roster: members in good standing (not suspended, withdrawn or expelled) that consented. */
export function onRoster(o: Organization): boolean {
  return !o.isSecretariat && o.active && o.status === 'member' && o.memberClass !== 'none' && o.rosterConsent;
}

export function rosterEntries(orgs: Organization[]): RosterEntry[] {
  return orgs
    .filter(onRoster)
    .map((o) => ({ nameJa: o.nameJa, nameEn: o.nameEn, category: o.category }))
    .sort(
      (a, b) =>
        (categoryOrder.get(a.category) ?? 0) - (categoryOrder.get(b.category) ?? 0) || a.nameJa.localeCompare(b.nameJa, 'ja'),
    );
}

export async function publishRoster(
  deps: Deps,
  actor: Actor,
  input: { asOf: string },
  meta: RequestMeta,
): Promise<RosterSummary> {
  authorize(actor, 'roster.publish');
  return deps.store.tx(async (r) => {
    const entries = rosterEntries(await r.members.all());
    const record = { id: newId(), asOf: input.asOf, publishedAt: iso(deps.now()), entries, count: entries.length };
    await r.rosters.insert(record);
    await audit(r, deps, actor, meta, 'roster.publish', { type: 'roster', id: record.id }, { asOf: record.asOf, count: record.count });
    return { id: record.id, asOf: record.asOf, publishedAt: record.publishedAt, count: record.count };
  });
}

/** Public: the latest published roster. */
export async function latestRoster(deps: Deps): Promise<Roster> {
  const roster = await deps.store.read.rosters.latest();
  if (!roster) throw new NotFound('roster_not_published');
  return { asOf: roster.asOf, entries: roster.entries };
}

/** Public: one published roster. */
export async function getRoster(deps: Deps, id: string): Promise<Roster & RosterSummary> {
  const roster = await deps.store.read.rosters.byId(id);
  if (!roster) throw new NotFound('not_found');
  return roster;
}

/** Public: published rosters, newest first. */
export async function listRosters(deps: Deps, q: { cursor?: string | undefined; limit: number }): Promise<Page<RosterSummary>> {
  const before = decodeCursor(q.cursor);
  const rows = await deps.store.read.rosters.list({ ...(before ? { beforeId: before } : {}), limit: q.limit + 1 });
  return toPage(rows, q.limit, (x) => x.id);
}

const csvField = (v: string): string => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/**
 * CSV for spreadsheets: UTF-8 with a byte-order mark (so Excel reads Japanese correctly), CRLF line ends, a header
 * row in the reader's language and the category spelt out.
 */
export function rosterCsv(roster: Roster, locale: Locale): string {
  const header = [translate(locale, 'label_category'), translate(locale, 'label_name_ja'), translate(locale, 'label_name_en')];
  const rows = roster.entries.map((e) => [translate(locale, `category_${e.category}`), e.nameJa, e.nameEn]);
  return '\uFEFF' + [header, ...rows].map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
