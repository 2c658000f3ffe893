/**
 * Give and take (ギブアンドテイク): a ledger per organisation of what it contributed, written by the use cases
 * themselves inside their transactions (reports, original information, analysis, corroboration, feedback,
 * answers to information requests, answers to consultations). The organisation sees its own; the steering
 * committee and the secretariat see every organisation's, with a ranking for a period, when deciding classes.
 */
import type { Actor } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { Invalid, NotFound } from '../errors.js';
import type { Organization } from '../model.js';
import { authorize } from '../policy.js';
import type { Repos } from '../ports.js';
import { ledgerKinds, type LedgerKind, type LedgerRanking, type LedgerTotals, type OrgLedger } from './requests-model.js';

/**
 * Score weights (documented in the ranking answer too). Original information and answering an information
 * request in time weigh most: they are the obligations of Type 1 members and of members in a large-scale
 * attack. Late contributions still count, less. A refusal with its justified reason is recorded but earns nothing.
 */
export const LEDGER_WEIGHTS: Record<LedgerKind, number> = {
  report: 3,
  original: 5,
  analysis: 2,
  corroboration: 1,
  feedback_on_time: 2,
  feedback_late: 1,
  request_answered: 3,
  request_late: 1,
  request_refused: 0,
  consultation_answered: 2,
};

/** Default ranking period: the last year. */
const DEFAULT_PERIOD_MS = 365 * 86_400_000;

/**
 * Record one contribution inside the caller's transaction. Idempotent: an organisation gets one entry per
 * (kind, refId), so a use case may call it on every action and only the first counts. `itemId` is what a
 * reader opens (defaults to `refId`).
 */
export async function recordLedger(
  repos: Repos,
  deps: Deps,
  e: { orgId: string; kind: LedgerKind; refId: string; itemId?: string },
): Promise<boolean> {
  return repos.requests.ledger.add({ id: newId(), orgId: e.orgId, kind: e.kind, refId: e.refId, itemId: e.itemId ?? e.refId, at: iso(deps.now()) });
}

export const emptyTotals = (): LedgerTotals => Object.fromEntries(ledgerKinds.map((k) => [k, 0])) as LedgerTotals;

export const scoreOf = (totals: LedgerTotals): number => ledgerKinds.reduce((sum, k) => sum + totals[k] * LEDGER_WEIGHTS[k], 0);

/** Every organisation, page by page (a council has hundreds, not millions). */
export async function* eachOrganization(r: Repos): AsyncIterable<Organization> {
  let after: string | undefined;
  for (;;) {
    const page = await r.organizations.list({ after, limit: 500 });
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < 500) return;
    after = last.id;
  }
}

function period(deps: Deps, q: { from?: string | undefined; to?: string | undefined }, defaults: boolean): { from?: string; to?: string } {
  const to = q.to ? iso(new Date(q.to)) : defaults ? iso(deps.now()) : undefined;
  const from = q.from ? iso(new Date(q.from)) : defaults && to ? iso(new Date(new Date(to).getTime() - DEFAULT_PERIOD_MS)) : undefined;
  if (from && to && from >= to) throw new Invalid('ledger_period_invalid');
  return { ...(from ? { from } : {}), ...(to ? { to } : {}) };
}

/** One organisation's ledger: totals by kind (over the period, all time by default) and its entries, newest first. */
export async function orgLedger(
  deps: Deps,
  actor: Actor,
  orgId: string,
  q: { from?: string | undefined; to?: string | undefined; cursor?: string | undefined; limit: number },
  meta: RequestMeta,
): Promise<OrgLedger> {
  authorize(actor, 'ledger.read', { orgId }, { hide: true });
  const r = deps.store.read;
  if (!(await r.organizations.byId(orgId))) throw new NotFound('not_found');
  const p = period(deps, q, false);
  const totals = emptyTotals();
  for (const row of await r.requests.ledger.totals({ orgId, ...p })) totals[row.kind] = row.n;
  const rows = await r.requests.ledger.list({ orgId, before: decodeCursor(q.cursor), limit: q.limit + 1 });
  const page = toPage(rows, q.limit, (e) => e.id);
  // Another organisation's ledger is looked at by the committee or the secretariat: on the record.
  if (actor.kind === 'user' && actor.orgId !== orgId) {
    await deps.store.tx((t) => audit(t, deps, actor, meta, 'ledger.view', { type: 'organization', id: orgId }));
  }
  return {
    orgId,
    totals,
    score: scoreOf(totals),
    items: page.items.map((e) => ({ id: e.id, kind: e.kind, refId: e.refId, itemId: e.itemId, at: e.at })),
    next: page.next,
  };
}

/**
 * Every member organisation (the secretariat apart) with its totals and score for a period (default: the last
 * year), best first; equal scores share a rank. Also the information requests each left unanswered.
 */
export async function ledgerRanking(
  deps: Deps,
  actor: Actor,
  q: { from?: string | undefined; to?: string | undefined },
  meta: RequestMeta,
): Promise<LedgerRanking> {
  authorize(actor, 'ledger.ranking');
  const r = deps.store.read;
  const p = period(deps, q, true) as { from: string; to: string };
  const totalsByOrg = new Map<string, LedgerTotals>();
  for (const row of await r.requests.ledger.totals(p)) {
    const t = totalsByOrg.get(row.orgId) ?? emptyTotals();
    t[row.kind] = row.n;
    totalsByOrg.set(row.orgId, t);
  }
  const missed = await r.requests.answers.missed({ ...p, now: iso(deps.now()) });
  const items: Omit<LedgerRanking['items'][number], 'rank'>[] = [];
  for await (const org of eachOrganization(r)) {
    if (org.isSecretariat) continue;
    const totals = totalsByOrg.get(org.id);
    // Organisations that left are listed only for what they did in the period.
    const member = org.active && (org.status === 'member' || org.status === 'suspended') && org.memberClass !== 'none';
    if (!member && !totals) continue;
    const t = totals ?? emptyTotals();
    items.push({
      orgId: org.id,
      nameJa: org.nameJa,
      nameEn: org.nameEn,
      memberClass: org.memberClass,
      totals: t,
      score: scoreOf(t),
      missedRequests: missed.get(org.id) ?? 0,
    });
  }
  items.sort((a, b) => b.score - a.score || a.missedRequests - b.missedRequests || a.nameJa.localeCompare(b.nameJa, 'ja'));
  let rank = 0;
  const ranked = items.map((item, i) => {
    if (i === 0 || item.score !== items[i - 1]?.score) rank = i + 1;
    return { rank, ...item };
  });
  await deps.store.tx((t) => audit(t, deps, actor, meta, 'ledger.ranking', null, p));
  return { ...p, weights: { ...LEDGER_WEIGHTS }, items: ranked };
}
