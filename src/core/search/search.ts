/**
 * Full-text search over what the reader may see: reports, countermeasure information (latest version), comments,
 * consultations and rulebooks. The policy decides the scope (`searchScope`); the store matches, ranks and pages.
 */
import type { Actor } from '../actor.js';
import { decodeCursor, toPage, type Deps } from '../context.js';
import { Invalid } from '../errors.js';
import type { Locale } from '../messages.js';
import { endOfJstDay } from '../membership/time.js';
import { can, readFilter } from '../policy.js';
import { questionStages } from '../sharing/consultations.js';
import { commentAudiences } from '../sharing/reports.js';
import type { SearchItem, SearchPage, SearchQuery } from './model.js';
import type { SearchHit, SearchScope } from './ports.js';
import { parseTerms, snippet } from './text.js';

/** Everything `actor` may find, in the terms of the use cases that show each kind. */
export function searchScope(actor: Actor): SearchScope {
  const consultations = can(actor, 'consultation.read');
  return {
    filter: readFilter(actor),
    userId: actor.kind === 'user' ? actor.userId : undefined,
    commentAudiences: commentAudiences(actor),
    consultations,
    questionStages: !consultations && can(actor, 'consultation.question') ? questionStages(actor) : [],
  };
}

/** Where the web UI shows a hit. */
function pathOf(hit: SearchHit): string {
  switch (hit.kind) {
    case 'report':
      return `/reports/${hit.id}`;
    case 'advisory':
      return `/advisories/${hit.id}`;
    case 'comment':
      return `/reports/${hit.reportId ?? ''}#comment-${hit.id}`;
    case 'consultation':
      return hit.question ? `/consultations/questions/${hit.id}` : `/consultations/${hit.id}`;
    case 'rulebook':
      return `/rulebooks/${hit.id}`;
  }
}

/** Keyset of the ranked order: score, then id. */
const cursorKey = (hit: SearchHit): string => `${hit.score}:${hit.id}`;

function decodeSearchCursor(cursor: string | undefined): { score: number; id: string } | undefined {
  const key = decodeCursor(cursor);
  if (key === undefined) return undefined;
  const m = /^(\d{1,9}):([0-9a-f-]{36})$/.exec(key);
  if (!m) throw new Invalid('invalid_input');
  return { score: Number(m[1]), id: m[2] as string };
}

export async function search(deps: Deps, actor: Actor, q: SearchQuery, locale: Locale): Promise<SearchPage> {
  const terms = parseTerms(q.q);
  if (!terms) throw new Invalid('search_query_too_short');
  if (q.from && q.to && q.from > q.to) throw new Invalid('search_dates_reversed');
  const after = decodeSearchCursor(q.cursor);
  const filters = {
    kind: q.kind,
    stage: q.stage,
    tlp: q.tlp,
    from: q.from && new Date(`${q.from}T00:00:00+09:00`).toISOString(),
    to: q.to && endOfJstDay(q.to),
    sector: q.sector,
  };
  // The counts per kind go with the first page only: paging on does not change them.
  const { hits, counts } = await deps.store.read.search.find({
    terms,
    scope: searchScope(actor),
    filters,
    locale,
    after,
    limit: q.limit + 1,
    counted: !after,
  });
  const page = toPage(hits, q.limit, cursorKey);
  const items = page.items.map(
    (hit): SearchItem => ({
      id: hit.id,
      kind: hit.kind,
      title: hit.title,
      snippet: snippet(hit.body, terms),
      stage: hit.stage,
      tlp: hit.tlp,
      createdAt: hit.createdAt,
      path: pathOf(hit),
    }),
  );
  return counts ? { items, next: page.next, counts } : { items, next: page.next };
}
