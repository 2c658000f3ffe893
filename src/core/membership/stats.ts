/**
 * Membership statistics: member counts per recruitment period, by class and category, as a table the UI can show
 * and chart (the real council grew 91 → 155 → 225 → 265). Counts come from replaying each organisation's
 * membership events up to the period's decision date (or now, for a period still to be decided).
 */
import type { Actor } from '../actor.js';
import { iso, type Deps } from '../context.js';
import { categories, type Category, type MemberClass, type Organization } from '../model.js';
import { authorize } from '../policy.js';
import { statClasses, type MembershipStats, type StatClass, type StatsRow } from './model.js';
import type { MembershipEventRecord } from './ports.js';
import { endOfJstDay } from './time.js';

interface Timeline {
  org: Organization;
  events: MembershipEventRecord[];
}

/** Class of the organisation at `at`, or null when it was not a member then. */
function classAt(t: Timeline, at: string): MemberClass | null {
  let cls: MemberClass | null = null;
  for (const e of t.events) {
    if (e.at > at) break;
    switch (e.kind) {
      case 'joined':
      case 'class_changed':
        cls = e.toClass;
        break;
      case 'withdrawn':
      case 'expelled':
        cls = null;
        break;
      default:
        break;
    }
  }
  return cls;
}

function row(timelines: Timeline[], at: string, periodNumber: number | null): StatsRow {
  const byClass = Object.fromEntries(statClasses.map((c) => [c, 0])) as Record<StatClass, number>;
  const byCategory = Object.fromEntries(categories.map((c) => [c, 0])) as Record<Category, number>;
  let total = 0;
  let joined = 0;
  for (const t of timelines) {
    const cls = classAt(t, at);
    if (cls === null || cls === 'none') continue;
    total++;
    byClass[t.org.designated ? 'designated' : cls]++;
    byCategory[t.org.category]++;
    if (periodNumber !== null && t.events.some((e) => e.kind === 'joined' && e.periodNumber === periodNumber)) joined++;
  }
  return { periodNumber, asOf: at, total, joined, byClass, byCategory };
}

export async function membershipStats(deps: Deps, actor: Actor): Promise<MembershipStats> {
  authorize(actor, 'membership.stats');
  const r = deps.store.read;
  const now = iso(deps.now());
  const [orgs, events, periods] = await Promise.all([r.members.all(), r.membershipEvents.all(), r.periods.list()]);
  const byOrg = new Map<string, MembershipEventRecord[]>();
  for (const e of events) byOrg.set(e.orgId, [...(byOrg.get(e.orgId) ?? []), e]);
  const timelines: Timeline[] = orgs.map((org) => {
    const own = byOrg.get(org.id) ?? [];
    // Organisations created directly by the secretariat have no "joined" event: they count from their creation.
    if (!own.some((e) => e.kind === 'joined')) {
      const joined: MembershipEventRecord = {
        id: '',
        orgId: org.id,
        at: org.createdAt,
        kind: 'joined',
        fromClass: null,
        toClass: org.memberClass,
        periodNumber: org.periodJoined,
        reason: null,
        actorLabel: '',
      };
      own.unshift(joined);
      // Deactivated directly by the secretariat: counted as gone from then on.
      if (!org.active && org.status === 'member') own.push({ ...joined, kind: 'withdrawn', at: org.updatedAt });
    }
    return { org, events: own };
  });
  const rows = [...periods]
    .sort((a, b) => a.number - b.number)
    .map((p) => {
      const cutoff = p.decisionDate ? endOfJstDay(p.decisionDate) : p.closesAt;
      return row(timelines, cutoff < now ? cutoff : now, p.number);
    });
  return { classes: [...statClasses], categories: [...categories], rows, current: row(timelines, now, null) };
}
