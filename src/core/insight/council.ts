/**
 * The dashboard of the secretariat and the steering committee (事務局・運営委員会): members per recruitment period,
 * class and category; the give-and-take ranking; organisations with overdue answers (feedback and information
 * requests past their deadline). Feedback is counted only on items the viewer may read.
 */
import type { Actor } from '../actor.js';
import { iso, type Deps, type RequestMeta } from '../context.js';
import { membershipStats } from '../membership/stats.js';
import { expectedToAnswer } from '../sharing/feedback.js';
import { eachOrganization, ledgerRanking } from '../sharing/ledger.js';
import { factsOf, keyOf, period, userAllowed, visibleTo } from './common.js';
import type { CouncilDashboard, DashboardPeriod, OverdueRow } from './model.js';

const DEFAULT_DAYS = 365;
/** Releases to Type 2 in a period, enough for years of a council's work. */
const MAX_RELEASES = 10_000;

export async function councilDashboard(deps: Deps, actor: Actor, q: DashboardPeriod, meta: RequestMeta): Promise<CouncilDashboard> {
  const me = userAllowed(actor, 'insight.council');
  const p = period(deps, q, DEFAULT_DAYS);
  const r = deps.store.read;
  const now = iso(deps.now());
  const membership = await membershipStats(deps, me);
  const ranking = await ledgerRanking(deps, me, p, meta);

  // Feedback due in the period and already past its deadline.
  const until = p.to < now ? p.to : now;
  const releases = p.from < until ? await r.insight.type2Releases({ ...visibleTo(me), by: 'deadline', from: p.from, to: until, limit: MAX_RELEASES }) : [];
  const answerers = await r.insight.feedbackAnswerers(releases);
  const answered = new Map<string, Set<string>>();
  const lateByOrg = new Map<string, number>();
  for (const a of answerers) {
    answered.set(keyOf(a), (answered.get(keyOf(a)) ?? new Set()).add(a.orgId));
    if (a.late) lateByOrg.set(a.orgId, (lateByOrg.get(a.orgId) ?? 0) + 1);
  }
  const missedRequests = await r.requests.answers.missed({ ...p, now });
  const requestsLate = new Map(ranking.items.map((i) => [i.orgId, i.totals.request_late]));

  const overdue: OverdueRow[] = [];
  for await (const org of eachOrganization(r)) {
    if (org.isSecretariat) continue;
    const expected = expectedToAnswer(org);
    const row: OverdueRow = {
      orgId: org.id,
      nameJa: org.nameJa,
      nameEn: org.nameEn,
      memberClass: org.memberClass,
      feedbackMissing: releases.filter((x) => expected(factsOf(x)) && !answered.get(keyOf(x))?.has(org.id)).length,
      feedbackLate: lateByOrg.get(org.id) ?? 0,
      requestsMissing: missedRequests.get(org.id) ?? 0,
      requestsLate: requestsLate.get(org.id) ?? 0,
    };
    if (row.feedbackMissing + row.feedbackLate + row.requestsMissing + row.requestsLate > 0) overdue.push(row);
  }
  const missing = (o: OverdueRow) => o.feedbackMissing + o.requestsMissing;
  const late = (o: OverdueRow) => o.feedbackLate + o.requestsLate;
  overdue.sort((a, b) => missing(b) - missing(a) || late(b) - late(a) || a.nameJa.localeCompare(b.nameJa, 'ja'));
  return { ...p, membership, ranking, overdue };
}
