/**
 * SQL behind search and observable look-up. The index (migration 008) finds the matching texts; joining each
 * item applies the policy's scope, so a hidden item is never ranked, paged or counted.
 *
 * Matching is the same on both databases — every term a case-insensitive substring of the title or the text — and
 * so is the ranking, computed in SQL from the number of occurrences (title hits count five times), so both give the
 * same answers in the same order.
 */
import { expressionBuilder, sql, type Kysely, type RawBuilder } from 'kysely';
import type { Locale } from '../core/messages.js';
import { searchKinds, type SearchKind } from '../core/search/model.js';
import type { LookupRow, SearchFilters, SearchHit, SearchRepos, SearchScope } from '../core/search/ports.js';
import { charLength, TRIGRAM } from '../core/search/text.js';
import type { Stage, Tlp } from '../core/sharing/model.js';
import type { Dialect } from './connect.js';
import type { Database } from './schema.js';
import { visibleWhere } from './sharing-repos.js';

/** `%term%` for LIKE, with the term's own wildcards escaped (by backslash, named in every LIKE below). */
const containing = (term: string): string => `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** An FTS5 query: each term a quoted phrase (a substring, for the trigram tokenizer), all of them required. */
const ftsQuery = (terms: readonly string[]): string => terms.map((t) => `"${t.replaceAll('"', '""')}"`).join(' ');

/** Case only matters for terms with cased letters (not for Japanese): then the text is lowered, or ILIKE used. */
const cased = (term: string): boolean => term.toLowerCase() !== term.toUpperCase();

/** How often `term` occurs in `column`, ignoring case. */
const occurrences = (column: string, term: string) => {
  const col = cased(term) ? sql`lower(${sql.ref(column)})` : sql.ref(column);
  const t = cased(term) ? sql`lower(cast(${term} as text))` : sql`cast(${term} as text)`;
  return sql`((length(${col}) - length(replace(${col}, ${t}, ''))) / length(${t}))`;
};

interface FoundRow {
  kind: SearchKind;
  id: string;
  doc_id: number;
  score: number;
  question: number;
  title: string;
  stage: Stage | null;
  tlp: Tlp | null;
  created_at: string;
  report_id: string | null;
}

export function createSearchRepos(db: Kysely<Database>, dialect: Dialect): SearchRepos {
  // SQLite's LIKE ignores ASCII case already; PostgreSQL's ILIKE costs twice LIKE, so it is kept for cased terms.
  const contains = (term: string) => {
    const like = sql.raw(dialect === 'postgres' && cased(term) ? 'ilike' : 'like');
    return sql`(d.title ${like} ${containing(term)} escape '\\' or d.body ${like} ${containing(term)} escape '\\')`;
  };

  /**
   * PostgreSQL underrates what checking every row's text costs and may scan the table where the trigram index
   * would answer in a fraction of the time; when some term is long enough for the index, it is told not to scan.
   */
  async function execute<R>(query: RawBuilder<R>, terms: readonly string[]): Promise<R[]> {
    const indexed = terms.some((t) => charLength(t) >= TRIGRAM);
    if (dialect !== 'postgres' || !indexed || db.isTransaction) return (await query.execute(db)).rows;
    return db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      return (await query.execute(trx)).rows;
    });
  }

  /**
   * The matching documents with their score. SQLite's FTS5 index answers terms of three or more characters;
   * shorter ones (標的, AI) are checked by LIKE — on the index's candidates, or by a scan when no term is long enough.
   * On PostgreSQL, pg_trgm's GIN indexes serve ILIKE for long terms; short ones scan likewise.
   */
  function hits(terms: readonly string[]): RawBuilder<unknown> {
    const score = sql.join(
      terms.map((t) => sql`5 * ${occurrences('d.title', t)} + ${occurrences('d.body', t)}`),
      sql` + `,
    );
    const long = terms.filter((t) => charLength(t) >= TRIGRAM);
    if (dialect === 'sqlite' && long.length) {
      const short = terms.filter((t) => charLength(t) < TRIGRAM);
      const conditions = [sql`search_fts match ${ftsQuery(long)}`, ...short.map(contains)];
      return sql`select d.doc_id, d.kind, d.item_id, d.sectors, ${score} as score
        from search_fts join search_docs d on d.doc_id = search_fts.rowid where ${sql.join(conditions, sql` and `)}`;
    }
    return sql`select d.doc_id, d.kind, d.item_id, d.sectors, ${score} as score
      from search_docs d where ${sql.join(terms.map(contains), sql` and `)}`;
  }

  /**
   * The visible hits of each kind, as one row shape. CROSS JOIN keeps the hits as the outer loop (SQLite's way of
   * fixing the join order; PostgreSQL plans it freely): otherwise SQLite may walk every visible report to find the
   * few that matched.
   */
  function found(scope: SearchScope, kind: SearchKind | undefined, locale: Locale): RawBuilder<unknown> {
    const eb = expressionBuilder<Database, 'reports' | 'advisories'>();
    const visible = (table: 'reports' | 'advisories') => visibleWhere(table, scope.filter, scope.userId)(eb);
    const row = (
      kindName: SearchKind,
      c: { title: string; stage: string | null; tlp: string | null; createdAt: string; reportId?: string; question?: boolean },
    ) => {
      const col = (v: string | null | undefined) => (v ? sql.ref(v) : sql`null`);
      return sql`select ${sql.lit(kindName)} as kind, h.item_id as id, h.doc_id, h.score, h.sectors, ${sql.lit(c.question ? 1 : 0)} as question,
        ${col(c.title)} as title, ${col(c.stage)} as stage, ${col(c.tlp)} as tlp, ${col(c.createdAt)} as created_at, ${col(c.reportId)} as report_id`;
    };
    const branches: Record<SearchKind, RawBuilder<unknown>[]> = {
      report: [
        sql`${row('report', { title: 'reports.title', stage: 'reports.stage', tlp: 'reports.tlp', createdAt: 'reports.created_at' })}
          from hits h cross join reports
          where h.kind = 'report' and reports.id = h.item_id and ${visible('reports')}`,
      ],
      advisory: [
        sql`${row('advisory', { title: 'advisories.title', stage: 'advisories.stage', tlp: 'advisories.tlp', createdAt: 'advisories.created_at' })}
          from hits h cross join advisories
          where h.kind = 'advisory' and advisories.id = h.item_id and ${visible('advisories')}`,
      ],
      // A comment: of a report the reader may see, in a thread the reader sees.
      comment: [
        sql`${row('comment', { title: 'reports.title', stage: 'reports.stage', tlp: 'reports.tlp', createdAt: 'comments.created_at', reportId: 'comments.report_id' })}
          from hits h cross join comments cross join reports
          where h.kind = 'comment' and comments.id = h.item_id and reports.id = comments.report_id and comments.audience in (${sql.join(scope.commentAudiences)}) and ${visible('reports')}`,
      ],
      consultation: [
        ...(scope.consultations
          ? [
              sql`${row('consultation', { title: 'excerpt', stage: 'consultations.widened_stage', tlp: null, createdAt: 'consultations.created_at' })}
                from hits h cross join (select id, substr(body, 1, 80) as excerpt, widened_stage, created_at from consultations) consultations
                where h.kind = 'consultation' and consultations.id = h.item_id`,
            ]
          : []),
        ...(scope.questionStages.length
          ? [
              sql`${row('consultation', { title: 'excerpt', stage: 'consultations.widened_stage', tlp: null, createdAt: 'consultations.widened_at', question: true })}
                from hits h cross join (select id, substr(summary, 1, 80) as excerpt, widened_stage, widened_at from consultations) consultations
                where h.kind = 'question' and consultations.id = h.item_id and consultations.widened_stage in (${sql.join(scope.questionStages)})`,
            ]
          : []),
      ],
      // Rulebooks are public documents.
      rulebook: [
        sql`${row('rulebook', { title: locale === 'en' ? 'rulebooks.title_en' : 'rulebooks.title_ja', stage: 'rulebooks.stage', tlp: 'rulebooks.tlp', createdAt: 'rulebooks.created_at' })}
          from hits h cross join (select id, title_ja, title_en, 'public' as stage, 'clear' as tlp, created_at from rulebooks) rulebooks
          where h.kind = 'rulebook' and rulebooks.id = h.item_id`,
      ],
    };
    const chosen = kind ? branches[kind] : Object.values(branches).flat();
    // Nothing of that kind is visible: a query that finds nothing, in the same shape.
    const none = sql`${row('report', { title: 'h.kind', stage: null, tlp: null, createdAt: 'h.kind' })} from hits h where 1 = 0`;
    return chosen.length ? sql.join(chosen, sql` union all `) : none;
  }

  function where(filters: SearchFilters) {
    const conditions = [sql`1 = 1`];
    if (filters.stage) conditions.push(sql`stage = ${filters.stage}`);
    if (filters.tlp) conditions.push(sql`tlp = ${filters.tlp}`);
    if (filters.from) conditions.push(sql`created_at >= ${filters.from}`);
    if (filters.to) conditions.push(sql`created_at <= ${filters.to}`);
    if (filters.sector) conditions.push(sql`sectors like ${containing(`"${filters.sector}"`)} escape '\\'`);
    return conditions;
  }

  return {
    async find(q) {
      const conditions = where(q.filters);
      if (q.after) conditions.push(sql`(score < ${q.after.score} or (score = ${q.after.score} and id < ${q.after.id}))`);
      const page = (kind: SearchKind | undefined) =>
        sql`select kind, id, doc_id, score, question, title, stage, tlp, created_at, report_id from found
          where ${sql.join([...conditions, ...(kind ? [sql`kind = ${kind}`] : [])], sql` and `)}
          order by score desc, id desc limit ${q.limit}`;
      const hitsCte = sql`with hits as materialized (${hits(q.terms)})`;
      // With the counts, one pass: `found` is computed once for the page and for the counts per kind (a row of
      // counts, left-joined with the page so that it comes back when the page is empty).
      type Row = FoundRow & Partial<Record<`n_${SearchKind}`, number>>;
      const query = q.counted
        ? sql<Row>`${hitsCte}, found as materialized (${found(q.scope, undefined, q.locale)})
            select counts.*, page.* from
              (select ${sql.join(searchKinds.map((k) => sql`count(case when kind = ${k} then 1 end) as ${sql.ref(`n_${k}`)}`))}
                from found where ${sql.join(where(q.filters), sql` and `)}) counts
              left join (${page(q.filters.kind)}) page on 1 = 1
            order by page.score desc, page.id desc`
        : sql<Row>`${hitsCte}, found as (${found(q.scope, q.filters.kind, q.locale)}) ${page(undefined)}`;
      const rows = await execute(query, q.terms);
      const first = rows[0];
      const counts = q.counted && first ? (Object.fromEntries(searchKinds.map((k) => [k, Number(first[`n_${k}`])])) as Record<SearchKind, number>) : undefined;
      const onPage = rows.filter((r) => r.id !== null);
      // The texts for the snippets: only for the page, not carried through the ranking.
      const ids = onPage.map((r) => Number(r.doc_id));
      const texts = ids.length ? await db.selectFrom('search_docs').select(['doc_id', 'body']).where('doc_id', 'in', ids).execute() : [];
      const body = new Map(texts.map((t) => [Number(t.doc_id), t.body]));
      return {
        counts,
        hits: onPage.map(
          (r): SearchHit => ({
            kind: r.kind,
            id: r.id,
            question: Number(r.question) === 1,
            title: r.title,
            stage: r.stage,
            tlp: r.tlp,
            createdAt: r.created_at,
            reportId: r.report_id,
            score: Number(r.score),
            body: body.get(Number(r.doc_id)) ?? '',
          }),
        ),
      };
    },

    async holders(q) {
      const eb = expressionBuilder<Database, 'reports' | 'advisories'>();
      const visible = (table: 'reports' | 'advisories') => visibleWhere(table, q.filter, q.userId)(eb);
      const values = sql.join(q.values.map((v) => sql`(${v.type}, ${v.value})`));
      const perValue = sql`partition by o.type, o.value`;
      // One query for the whole batch: the (type, value) index finds the holders, the joins keep the visible ones,
      // window functions count them all and keep the newest few.
      const { rows } = await sql<{
        type: LookupRow['type'];
        value: string;
        kind: LookupRow['kind'];
        id: string;
        title: string;
        stage: Stage;
        tlp: Tlp;
        seen_at: string;
        total: number;
        first_seen: string;
        last_seen: string;
      }>`select * from (
          select o.type, o.value, o.item_kind as kind, o.item_id as id,
            coalesce(reports.title, advisories.title) as title,
            coalesce(reports.stage, advisories.stage) as stage,
            coalesce(reports.tlp, advisories.tlp) as tlp,
            o.created_at as seen_at,
            count(*) over (${perValue}) as total,
            min(o.created_at) over (${perValue}) as first_seen,
            max(o.created_at) over (${perValue}) as last_seen,
            row_number() over (${perValue} order by o.created_at desc, o.item_id desc) as place
          from observables o
          left join reports on o.item_kind = 'report' and reports.id = o.item_id
          left join advisories on o.item_kind = 'advisory' and advisories.id = o.item_id
          where (o.type, o.value) in (values ${values})
            and ((reports.id is not null and ${visible('reports')}) or (advisories.id is not null and ${visible('advisories')}))
        ) held
        where place <= ${q.perValue}
        order by type, value, place`.execute(db);
      return rows.map((r) => ({
        type: r.type,
        value: r.value,
        kind: r.kind,
        id: r.id,
        title: r.title,
        stage: r.stage,
        tlp: r.tlp,
        seenAt: r.seen_at,
        total: Number(r.total),
        firstSeen: r.first_seen,
        lastSeen: r.last_seen,
      }));
    },
  };
}
