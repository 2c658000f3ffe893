/**
 * SQL behind the dashboards and the home page: counts and groupings done by the database (indexes in migration
 * 009), shared items always under the policy's filter (`visibleWhere`).
 */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { InsightRepos, Visible, VersionKey } from '../core/insight/ports.js';
import type { FeedbackAnswer, Stage, Tlp } from '../core/sharing/model.js';
import type { LedgerKind } from '../core/sharing/requests-model.js';
import type { Dialect } from './connect.js';
import type { Database } from './schema.js';
import { visibleWhere } from './sharing-repos.js';

/** Stages whose items are open for feedback (as in src/core/sharing/feedback.ts). */
const FEEDBACK_STAGES = ['type2', 'members', 'public'];
/** Keys per statement: SQLite limits the bound parameters of one statement. */
const CHUNK = 200;

/**
 * The policy's filter on one table of a query that joins others. `visibleWhere` is typed for a query of its table
 * alone; it names its columns by table (`advisories.stage`…), so it holds in a join too.
 */
const visible = (table: 'advisories' | 'reports', q: Visible) =>
  visibleWhere(table, q.filter, q.userId) as unknown as (eb: ExpressionBuilder<Database, keyof Database>) => Expression<SqlBool>;

function forVersions(keys: readonly VersionKey[]) {
  return (eb: ExpressionBuilder<Database, 'feedback'>) =>
    eb.or(keys.map((k) => eb.and([eb('feedback.advisory_id', '=', k.advisoryId), eb('feedback.version', '=', k.version)])));
}

async function inChunks<K, R>(keys: readonly K[], run: (chunk: readonly K[]) => Promise<R[]>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) out.push(...(await run(keys.slice(i, i + CHUNK))));
  return out;
}

export function createInsightRepos(db: Kysely<Database>, dialect: Dialect): InsightRepos {
  // Months in Japan time: the calendar the council's reports follow.
  const jstMonth =
    dialect === 'postgres'
      ? sql<string>`to_char(cast(ledger_entries.at as timestamptz) at time zone 'Asia/Tokyo', 'YYYY-MM')`
      : sql<string>`strftime('%Y-%m', ledger_entries.at, '+9 hours')`;

  return {
    async advisoriesByStage(q) {
      const rows = await db
        .selectFrom('advisories')
        .select((eb) => ['advisories.stage', 'advisories.tlp', eb.fn.countAll<number>().as('n')])
        .where(visible('advisories', q))
        .groupBy(['advisories.stage', 'advisories.tlp'])
        .execute();
      return rows.map((r) => ({ stage: r.stage as Stage, tlp: r.tlp as Tlp, n: Number(r.n) }));
    },

    async type2Releases(q) {
      const at = q.by === 'release' ? 'releases.created_at' : 'releases.feedback_deadline';
      const rows = await db
        .selectFrom('releases')
        .innerJoin('advisories', 'advisories.id', 'releases.advisory_id')
        .select([
          'advisories.id as advisoryId',
          'advisories.title',
          'advisories.tlp',
          'advisories.stage',
          'advisories.org_id as orgId',
          'releases.version',
          'releases.created_at as releasedAt',
          'releases.feedback_deadline as deadline',
        ])
        .where('releases.to_stage', '=', 'type2')
        .where(at, '>=', q.from)
        .where(at, '<', q.to)
        .where(visible('advisories', q))
        .orderBy(at, 'desc')
        .limit(q.limit)
        .execute();
      return rows.map((r) => ({ ...r, tlp: r.tlp as Tlp, stage: r.stage as Stage, version: Number(r.version), deadline: r.deadline ?? r.releasedAt }));
    },

    feedbackBySector: (keys) =>
      inChunks(keys, async (chunk) => {
        const group = sql<string>`coalesce(o.sector, o.category)`;
        const rows = await db
          .selectFrom('feedback')
          .innerJoin('organizations as o', 'o.id', 'feedback.org_id')
          .select((eb) => ['feedback.advisory_id', 'feedback.version', group.as('grp'), 'feedback.answer', eb.fn.countAll<number>().as('n')])
          .where(forVersions(chunk))
          .groupBy(['feedback.advisory_id', 'feedback.version', group, 'feedback.answer'])
          .execute();
        return rows.map((r) => ({ advisoryId: r.advisory_id, version: Number(r.version), group: r.grp, answer: r.answer as FeedbackAnswer, n: Number(r.n) }));
      }),

    feedbackByHour: (keys) =>
      inChunks(keys, async (chunk) => {
        // ISO text: the first 13 characters are the UTC hour, which is also a whole hour in Japan time.
        const hour = sql<string>`substr(feedback.answered_at, 1, 13)`;
        const rows = await db
          .selectFrom('feedback')
          .select((eb) => ['feedback.advisory_id', 'feedback.version', hour.as('hour'), 'feedback.answer', eb.fn.countAll<number>().as('n')])
          .where(forVersions(chunk))
          .where('feedback.late', '=', 0)
          .groupBy(['feedback.advisory_id', 'feedback.version', hour, 'feedback.answer'])
          .execute();
        return rows.map((r) => ({ advisoryId: r.advisory_id, version: Number(r.version), hour: r.hour, answer: r.answer as FeedbackAnswer, n: Number(r.n) }));
      }),

    feedbackAnswerers: (keys) =>
      inChunks(keys, async (chunk) => {
        const rows = await db
          .selectFrom('feedback')
          .select(['feedback.advisory_id', 'feedback.version', 'feedback.org_id', 'feedback.late'])
          .where(forVersions(chunk))
          .execute();
        return rows.map((r) => ({ advisoryId: r.advisory_id, version: Number(r.version), orgId: r.org_id, late: r.late === 1 }));
      }),

    async leadTimes(q) {
      const items = await db
        .selectFrom('advisories')
        .innerJoin('reports', 'reports.id', 'advisories.source_report_id')
        .select(['advisories.id as advisoryId', 'advisories.title', 'reports.id as reportId', 'reports.created_at as reportedAt'])
        .where('reports.created_at', '>=', q.from)
        .where('reports.created_at', '<', q.to)
        .where(visible('advisories', q))
        .where(visible('reports', q))
        .orderBy('reports.created_at', 'desc')
        .orderBy('advisories.id', 'desc')
        .limit(q.limit)
        .execute();
      if (items.length === 0) return [];
      const firsts = await db
        .selectFrom('releases')
        .select((eb) => ['releases.advisory_id', 'releases.to_stage', eb.fn.min('releases.created_at').as('first')])
        .where('releases.advisory_id', 'in', items.map((i) => i.advisoryId))
        .groupBy(['releases.advisory_id', 'releases.to_stage'])
        .execute();
      return items.map((i) => ({
        ...i,
        firstRelease: Object.fromEntries(firsts.filter((f) => f.advisory_id === i.advisoryId).map((f) => [f.to_stage, f.first])) as Partial<Record<Stage, string>>,
      }));
    },

    async feedbackDeadlines(q) {
      const rows = await db
        .selectFrom('advisories')
        .leftJoin('feedback', (j) =>
          j.onRef('feedback.advisory_id', '=', 'advisories.id').onRef('feedback.version', '=', 'advisories.version').on('feedback.org_id', '=', q.orgId),
        )
        .select([
          'advisories.id as advisoryId',
          'advisories.title',
          'advisories.tlp',
          'advisories.stage',
          'advisories.org_id as orgId',
          'advisories.version',
          'advisories.feedback_deadline as deadline',
          'feedback.answered_at as answeredAt',
        ])
        .where('advisories.stage', 'in', FEEDBACK_STAGES)
        .where('advisories.feedback_deadline', '>=', q.deadlineFrom)
        .where(visible('advisories', q))
        .orderBy('advisories.feedback_deadline')
        .limit(q.limit)
        .execute();
      return rows.map((r) => ({
        ...r,
        tlp: r.tlp as Tlp,
        stage: r.stage as Stage,
        version: Number(r.version),
        deadline: r.deadline ?? '',
        answeredAt: r.answeredAt ?? null,
      }));
    },

    async newItems(q) {
      const advisories = db
        .selectFrom('advisories')
        .where('advisories.stage', '!=', 'draft')
        .where('advisories.released_at', '>=', q.since)
        .where('advisories.org_id', '!=', q.excludeOrgId)
        .where(visible('advisories', q));
      const reports = db
        .selectFrom('reports')
        .where('reports.created_at', '>=', q.since)
        .where('reports.org_id', '!=', q.excludeOrgId)
        .where(visible('reports', q));
      const [aTotal, aItems, rTotal, rItems] = await Promise.all([
        advisories.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        advisories
          .select(['advisories.id', 'advisories.title', 'advisories.stage', 'advisories.tlp', 'advisories.released_at as at'])
          .orderBy('advisories.released_at', 'desc')
          .limit(q.limit)
          .execute(),
        reports.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        reports
          .select(['reports.id', 'reports.title', 'reports.stage', 'reports.tlp', 'reports.created_at as at'])
          .orderBy('reports.created_at', 'desc')
          .limit(q.limit)
          .execute(),
      ]);
      const item = (r: { id: string; title: string; stage: string; tlp: string; at: string | null }) => ({
        id: r.id,
        title: r.title,
        stage: r.stage as Stage,
        tlp: r.tlp as Tlp,
        at: r.at ?? '',
      });
      return {
        advisories: { total: Number(aTotal.n), items: aItems.map(item) },
        reports: { total: Number(rTotal.n), items: rItems.map(item) },
      };
    },

    async waitingConsultations(limit) {
      // Waiting: open, not turned into a report, and the last word is the consulter's (or nobody's yet), or a member's
      // answer the Type 1 group has not passed on.
      const lastWordIsTheCouncils = sql<number>`(select case when m.author = 'council' or (m.author = 'member' and m.relayed_at is not null) then 1 else 0 end
        from consultation_messages m where m.consultation_id = c.id order by m.id desc limit 1)`;
      const waiting = db
        .selectFrom('consultations as c')
        .where('c.status', '=', 'open')
        .where('c.report_id', 'is', null)
        .where((eb) => eb(eb.fn.coalesce(lastWordIsTheCouncils, sql.lit(0)), '=', 0));
      const [total, items] = await Promise.all([
        waiting.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
        waiting
          .select((eb) => [
            'c.id',
            'c.body',
            eb.fn
              .coalesce(eb.selectFrom('consultation_messages as m').select((m) => m.fn.max('m.created_at').as('last')).whereRef('m.consultation_id', '=', 'c.id'), 'c.created_at')
              .as('at'),
          ])
          .orderBy('c.id', 'desc')
          .limit(limit)
          .execute(),
      ]);
      return { total: Number(total.n), items: items.map((c) => ({ id: c.id, body: c.body, at: String(c.at) })) };
    },

    async ledgerByMonth(q) {
      const rows = await db
        .selectFrom('ledger_entries')
        .select((eb) => [jstMonth.as('month'), 'ledger_entries.kind', eb.fn.countAll<number>().as('n')])
        .where('ledger_entries.org_id', '=', q.orgId)
        .where('ledger_entries.at', '>=', q.from)
        .groupBy([jstMonth, 'ledger_entries.kind'])
        .execute();
      return rows.map((r) => ({ month: r.month, kind: r.kind as LedgerKind, n: Number(r.n) }));
    },
  };
}
