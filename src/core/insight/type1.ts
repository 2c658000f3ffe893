/**
 * The Type 1 group's dashboard (第一類構成員G): countermeasure items per stage; for each release to Type 2, the
 * three-way feedback over time until the deadline and by sector; the time from a report to each release.
 * Everything counted is what the viewer may read.
 */
import type { Actor, UserActor } from '../actor.js';
import { iso, type Deps } from '../context.js';
import type { Repos } from '../ports.js';
import { expectedToAnswer } from '../sharing/feedback.js';
import { eachOrganization } from '../sharing/ledger.js';
import { feedbackAnswers } from '../sharing/model.js';
import { factsOf, HOUR, keyOf, median, period, stageCounts, userAllowed, visibleTo } from './common.js';
import { releaseStages, type AnswerCounts, type DashboardPeriod, type LeadTime, type Type1Dashboard, type Type2Release } from './model.js';
import type { Type2ReleaseRow } from './ports.js';

const RELEASES = 20;
const LEAD_TIMES = 50;
const DEFAULT_DAYS = 90;

const zero = (): AnswerCounts => ({ seen: 0, not_seen: 0, unknown: 0 });

/** The Type 2 organisations expected to answer each release, asked of the policy once per organisation. */
async function expectedOrgs(r: Repos, releases: readonly Type2ReleaseRow[]): Promise<Map<string, Set<string>>> {
  const out = new Map(releases.map((x) => [keyOf(x), new Set<string>()]));
  for await (const org of eachOrganization(r)) {
    const expected = expectedToAnswer(org);
    for (const x of releases) if (expected(factsOf(x))) out.get(keyOf(x))?.add(org.id);
  }
  return out;
}

/**
 * Cumulative answers given in time, one point per hour from the release to the deadline (or now, if sooner),
 * from counts per UTC hour (whole hours in Japan time too).
 */
function overTime(x: Type2ReleaseRow, byHour: Map<string, AnswerCounts>, now: number): Type2Release['overTime'] {
  const start = new Date(x.releasedAt).getTime();
  const end = Math.max(start, Math.min(new Date(x.deadline).getTime(), now));
  const total = zero();
  const points: Type2Release['overTime'] = [{ at: x.releasedAt, ...total }];
  for (let h = Math.floor(start / HOUR) * HOUR; h < end; h += HOUR) {
    const inHour = byHour.get(new Date(h).toISOString().slice(0, 13));
    if (inHour) for (const a of feedbackAnswers) total[a] += inHour[a];
    points.push({ at: iso(new Date(Math.min(h + HOUR, end))), ...total });
  }
  return points;
}

async function releases(deps: Deps, actor: UserActor, p: { from: string; to: string }): Promise<Type2Release[]> {
  const r = deps.store.read;
  const rows = await r.insight.type2Releases({ ...visibleTo(actor), by: 'release', ...p, limit: RELEASES });
  if (rows.length === 0) return [];
  const [bySector, byHour, answerers, expected] = await Promise.all([
    r.insight.feedbackBySector(rows),
    r.insight.feedbackByHour(rows),
    r.insight.feedbackAnswerers(rows),
    expectedOrgs(r, rows),
  ]);
  const now = deps.now().getTime();
  return rows.map((x) => {
    const key = keyOf(x);
    const totals = zero();
    const sectors = new Map<string, AnswerCounts>();
    for (const s of bySector) {
      if (keyOf(s) !== key) continue;
      totals[s.answer] += s.n;
      const g = sectors.get(s.group) ?? zero();
      g[s.answer] += s.n;
      sectors.set(s.group, g);
    }
    const hours = new Map<string, AnswerCounts>();
    for (const h of byHour) {
      if (keyOf(h) !== key) continue;
      const c = hours.get(h.hour) ?? zero();
      c[h.answer] += h.n;
      hours.set(h.hour, c);
    }
    const answered = answerers.filter((a) => keyOf(a) === key);
    const answeredOrgs = new Set(answered.map((a) => a.orgId));
    const expectedHere = expected.get(key) ?? new Set<string>();
    return {
      advisoryId: x.advisoryId,
      title: x.title,
      version: x.version,
      tlp: x.tlp,
      stage: x.stage,
      releasedAt: x.releasedAt,
      deadline: x.deadline,
      expected: expectedHere.size,
      notAnswered: [...expectedHere].filter((o) => !answeredOrgs.has(o)).length,
      totals,
      late: answered.filter((a) => a.late).length,
      bySector: [...sectors.entries()].map(([group, c]) => ({ group, ...c })).sort((a, b) => a.group.localeCompare(b.group)),
      overTime: overTime(x, hours, now),
    };
  });
}

async function leadTimes(deps: Deps, actor: UserActor, p: { from: string; to: string }): Promise<LeadTime[]> {
  const rows = await deps.store.read.insight.leadTimes({ ...visibleTo(actor), ...p, limit: LEAD_TIMES });
  return rows.map((x) => {
    const reported = new Date(x.reportedAt).getTime();
    const hoursTo = (at: string | undefined) => (at ? Math.round(((new Date(at).getTime() - reported) / HOUR) * 10) / 10 : null);
    return {
      advisoryId: x.advisoryId,
      title: x.title,
      reportId: x.reportId,
      reportedAt: x.reportedAt,
      hours: Object.fromEntries(releaseStages.map((s) => [s, hoursTo(x.firstRelease[s])])) as LeadTime['hours'],
    };
  });
}

export async function type1Dashboard(deps: Deps, actor: Actor, q: DashboardPeriod): Promise<Type1Dashboard> {
  const me = userAllowed(actor, 'insight.type1');
  const p = period(deps, q, DEFAULT_DAYS);
  const [stages, released, lead] = await Promise.all([stageCounts(deps.store.read, me), releases(deps, me, p), leadTimes(deps, me, p)]);
  return {
    ...p,
    stages,
    releases: released,
    leadTimes: lead,
    medianHours: Object.fromEntries(
      releaseStages.map((s) => [s, median(lead.map((l) => l.hours[s]).filter((h): h is number => h !== null))]),
    ) as Type1Dashboard['medianHours'],
  };
}
