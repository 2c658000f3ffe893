/**
 * Each organisation's dashboard: its give-and-take ledger (totals, score, the last twelve months), the answers it
 * is asked for with their deadlines (open information requests, feedback on items released to Type 2), and the
 * countermeasure information the viewer may read, per stage.
 */
import type { Actor } from '../actor.js';
import { iso, type Deps } from '../context.js';
import { NotFound } from '../errors.js';
import { emptyTotals, scoreOf } from '../sharing/ledger.js';
import { DAY, deadlinesOf, stageCounts, userAllowed } from './common.js';
import type { OrganizationDashboard } from './model.js';

const MONTHS = 12;
/** Feedback deadlines this long past stay listed (a late answer is still taken). */
const PAST_DEADLINES_DAYS = 30;

/** The last `n` calendar months in Japan time, oldest first, as `YYYY-MM`. */
export function jstMonths(now: Date, n: number): string[] {
  const jst = new Date(now.getTime() + 9 * 3_600_000);
  const out: string[] = [];
  for (let i = n - 1; i >= 0; i--) {
    const d = new Date(Date.UTC(jst.getUTCFullYear(), jst.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

export async function organizationDashboard(deps: Deps, actor: Actor): Promise<OrganizationDashboard> {
  const me = userAllowed(actor, 'insight.organization', { orgId: actor.kind === 'user' ? actor.orgId : undefined });
  const r = deps.store.read;
  const org = await r.organizations.byId(me.orgId);
  if (!org) throw new NotFound('not_found');

  const totals = emptyTotals();
  for (const row of await r.requests.ledger.totals({ orgId: org.id })) totals[row.kind] = row.n;
  const months = jstMonths(deps.now(), MONTHS);
  // The first instant of the oldest month, in Japan time.
  const monthsFrom = iso(new Date(`${months[0] ?? ''}-01T00:00:00+09:00`));
  const byMonth = new Map(months.map((m) => [m, emptyTotals()]));
  for (const row of await r.insight.ledgerByMonth({ orgId: org.id, from: monthsFrom })) {
    const counts = byMonth.get(row.month);
    if (counts) counts[row.kind] += row.n;
  }

  const [deadlines, available] = await Promise.all([
    deadlinesOf(deps, me, org, { deadlineFrom: iso(new Date(deps.now().getTime() - PAST_DEADLINES_DAYS * DAY)), unansweredOnly: false }),
    stageCounts(r, me),
  ]);
  return {
    orgId: org.id,
    nameJa: org.nameJa,
    nameEn: org.nameEn,
    ledger: { totals, score: scoreOf(totals), months: [...byMonth.entries()].map(([month, counts]) => ({ month, counts })) },
    deadlines,
    available,
  };
}
