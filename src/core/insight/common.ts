/** What the dashboards and the home page share: periods, the viewer's filter, counts per stage, deadlines owed. */
import type { Actor, UserActor } from '../actor.js';
import { iso, type Deps } from '../context.js';
import { Forbidden, Invalid } from '../errors.js';
import type { Organization } from '../model.js';
import { authorize, can, readFilter, type Action, type ItemFacts, type Target } from '../policy.js';
import type { Repos } from '../ports.js';
import { expectedToAnswer } from '../sharing/feedback.js';
import { stages, tlps, type Tlp } from '../sharing/model.js';
import { myRequests } from '../sharing/requests.js';
import type { DashboardPeriod, Deadline, StageCount } from './model.js';
import type { Visible, VersionKey } from './ports.js';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/** Authorize, and make sure it is a person asking: what needs attention and what one may see are a person's. */
export function userAllowed(actor: Actor, action: Action, target: Target = {}): UserActor {
  authorize(actor, action, target);
  if (actor.kind !== 'user') throw new Forbidden('forbidden');
  return actor;
}

/** The period asked for, or the `defaultDays` up to now. */
export function period(deps: Deps, q: DashboardPeriod, defaultDays: number): { from: string; to: string } {
  const to = iso(q.to ? new Date(q.to) : deps.now());
  const from = iso(q.from ? new Date(q.from) : new Date(new Date(to).getTime() - defaultDays * DAY));
  if (from >= to) throw new Invalid('dashboard_period_invalid');
  return { from, to };
}

/** The policy's filter of what the viewer may read, for the store. */
export const visibleTo = (actor: UserActor): Visible => ({ filter: readFilter(actor), userId: actor.userId });

/** One version of one item, as a map key. */
export const keyOf = (k: VersionKey): string => `${k.advisoryId}:${k.version}`;

/** What the policy needs of an item, to ask which organisations are expected to answer it. */
export const factsOf = (x: { stage: ItemFacts['stage']; tlp: Tlp; orgId: string }): ItemFacts => ({
  stage: x.stage,
  tlp: x.tlp,
  ownerOrgId: x.orgId,
  // Named TLP:RED recipients are people, not organisations: nobody is expected to answer for them.
  recipientUserIds: [],
});

/** Countermeasure items the viewer may read, per stage and TLP (every stage listed, zeros included). */
export async function stageCounts(r: Repos, actor: UserActor): Promise<StageCount[]> {
  const rows = await r.insight.advisoriesByStage(visibleTo(actor));
  return stages.map((stage) => {
    const byTlp = Object.fromEntries(tlps.map((t) => [t, 0])) as Record<Tlp, number>;
    for (const row of rows) if (row.stage === stage) byTlp[row.tlp] += row.n;
    return { stage, total: tlps.reduce((n, t) => n + byTlp[t], 0), byTlp };
  });
}

/**
 * What the viewer's organisation is asked to answer by a deadline: feedback on items it is expected to answer
 * (that the viewer may read) whose deadline is not older than `deadlineFrom`, and open information requests
 * addressed to it. `unansweredOnly` leaves out what has been answered. Soonest deadline first.
 */
export async function deadlinesOf(
  deps: Deps,
  actor: UserActor,
  org: Organization,
  q: { deadlineFrom: string; unansweredOnly: boolean },
): Promise<Deadline[]> {
  const r = deps.store.read;
  const now = iso(deps.now());
  const out: Deadline[] = [];
  const expected = expectedToAnswer(org);
  const items = await r.insight.feedbackDeadlines({ ...visibleTo(actor), orgId: org.id, deadlineFrom: q.deadlineFrom, limit: 100 });
  for (const x of items) {
    if (!expected(factsOf(x)) || (q.unansweredOnly && x.answeredAt)) continue;
    out.push({ kind: 'feedback', id: x.advisoryId, title: x.title, deadline: x.deadline, answered: x.answeredAt !== null, overdue: x.deadline < now });
  }
  if (can(actor, 'request.read')) {
    const requests = await myRequests(deps, actor, { state: q.unansweredOnly ? 'outstanding' : 'open', limit: 100 });
    for (const x of requests.items) {
      out.push({ kind: 'request', id: x.id, title: x.title, deadline: x.deadline, answered: x.myAnswer !== null, overdue: x.overdue });
    }
  }
  return out.sort((a, b) => a.deadline.localeCompare(b.deadline));
}

/** The median of some numbers, or null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
