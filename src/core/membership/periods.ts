/** Recruitment periods (第N期): created by the secretariat, listed publicly, and the gate for applications. */
import type { Actor } from '../actor.js';
import { audit, iso, type Deps, type RequestMeta } from '../context.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import { authorize } from '../policy.js';
import type { Repos } from '../ports.js';
import type { PeriodCreate, PeriodUpdate, RecruitmentPeriod } from './model.js';
import type { PeriodRecord } from './ports.js';
import { formatJstEn, formatJstJa, jstDate, toUtc } from './time.js';

export function periodView(p: PeriodRecord, now: Date): RecruitmentPeriod {
  const t = iso(now);
  const state = t < p.opensAt ? 'upcoming' : t < p.closesAt ? 'open' : 'closed';
  return { ...p, open: state === 'open', state };
}

/** Public: every period, newest first, each saying whether it is open now. */
export async function listPeriods(deps: Deps): Promise<RecruitmentPeriod[]> {
  const now = deps.now();
  return (await deps.store.read.periods.list()).map((p) => periodView(p, now));
}

export async function getPeriod(deps: Deps, number: number): Promise<RecruitmentPeriod> {
  const p = await deps.store.read.periods.byNumber(number);
  if (!p) throw new NotFound('not_found');
  return periodView(p, deps.now());
}

function checkWindow(p: Pick<PeriodRecord, 'opensAt' | 'closesAt' | 'decisionDate'>): void {
  if (p.closesAt <= p.opensAt) throw new Invalid('period_dates_invalid');
  if (p.decisionDate && p.decisionDate < jstDate(p.closesAt)) throw new Invalid('period_dates_invalid');
}

async function checkOverlap(r: Repos, p: PeriodRecord): Promise<void> {
  for (const other of await r.periods.list()) {
    if (other.number === p.number) continue;
    if (p.opensAt < other.closesAt && other.opensAt < p.closesAt) throw new Conflict('period_overlaps', { number: other.number });
  }
}

export async function createPeriod(deps: Deps, actor: Actor, input: PeriodCreate, meta: RequestMeta): Promise<RecruitmentPeriod> {
  authorize(actor, 'period.manage');
  return deps.store.tx(async (r) => {
    const now = iso(deps.now());
    const number = input.number ?? (await r.periods.maxNumber()) + 1;
    if (await r.periods.byNumber(number)) throw new Conflict('period_number_taken', { number });
    const period: PeriodRecord = {
      number,
      opensAt: toUtc(input.opensAt),
      closesAt: toUtc(input.closesAt),
      decisionDate: input.decisionDate ?? null,
      createdAt: now,
      updatedAt: now,
    };
    checkWindow(period);
    await checkOverlap(r, period);
    await r.periods.insert(period);
    await audit(r, deps, actor, meta, 'period.create', { type: 'period', id: String(number) }, {
      opensAt: period.opensAt,
      closesAt: period.closesAt,
      decisionDate: period.decisionDate,
    });
    return periodView(period, deps.now());
  });
}

export async function updatePeriod(
  deps: Deps,
  actor: Actor,
  number: number,
  patch: PeriodUpdate,
  meta: RequestMeta,
): Promise<RecruitmentPeriod> {
  authorize(actor, 'period.manage');
  return deps.store.tx(async (r) => {
    const before = await r.periods.byNumber(number);
    if (!before) throw new NotFound('not_found');
    const after: PeriodRecord = {
      ...before,
      ...(patch.opensAt ? { opensAt: toUtc(patch.opensAt) } : {}),
      ...(patch.closesAt ? { closesAt: toUtc(patch.closesAt) } : {}),
      ...(patch.decisionDate !== undefined ? { decisionDate: patch.decisionDate } : {}),
      updatedAt: iso(deps.now()),
    };
    checkWindow(after);
    await checkOverlap(r, after);
    await r.periods.update(number, after);
    await audit(r, deps, actor, meta, 'period.update', { type: 'period', id: String(number) }, {
      opensAt: after.opensAt,
      closesAt: after.closesAt,
      decisionDate: after.decisionDate,
    });
    return periodView(after, deps.now());
  });
}

/** Only a period nobody has applied in can be removed (a mistake); otherwise change its dates. */
export async function deletePeriod(deps: Deps, actor: Actor, number: number, meta: RequestMeta): Promise<void> {
  authorize(actor, 'period.manage');
  await deps.store.tx(async (r) => {
    if (!(await r.periods.byNumber(number))) throw new NotFound('not_found');
    if ((await r.applications.countByPeriod(number)) > 0) throw new Conflict('period_has_applications');
    await r.periods.delete(number);
    await audit(r, deps, actor, meta, 'period.delete', { type: 'period', id: String(number) });
  });
}

/**
 * The period an application goes to: the one asked for if it is open, else the one open now. Outside an open period
 * the refusal names the period and its deadline (or opening) in Japan time.
 */
export async function periodForApplication(r: Repos, now: Date, requested?: number): Promise<PeriodRecord> {
  const t = iso(now);
  const periods = await r.periods.list();
  const closed = (p: PeriodRecord) =>
    new Conflict('period_closed', { number: p.number, closesJa: formatJstJa(p.closesAt), closesEn: formatJstEn(p.closesAt) });
  const notYet = (p: PeriodRecord) =>
    new Conflict('period_not_yet_open', { number: p.number, opensJa: formatJstJa(p.opensAt), opensEn: formatJstEn(p.opensAt) });
  if (requested !== undefined) {
    const p = periods.find((x) => x.number === requested);
    if (!p) throw new Conflict('no_open_period');
    if (t < p.opensAt) throw notYet(p);
    if (t >= p.closesAt) throw closed(p);
    return p;
  }
  const open = periods.find((p) => p.opensAt <= t && t < p.closesAt);
  if (open) return open;
  const upcoming = periods.filter((p) => p.opensAt > t).sort((a, b) => (a.opensAt < b.opensAt ? -1 : 1))[0];
  if (upcoming) throw notYet(upcoming);
  const last = periods.filter((p) => p.closesAt <= t).sort((a, b) => (a.closesAt > b.closesAt ? -1 : 1))[0];
  if (last) throw closed(last);
  throw new Conflict('no_open_period');
}
