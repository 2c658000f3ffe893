import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Full-text search. One row per searchable text in `search_docs` (title and body), kept in step with the items by
 * triggers in the database, so every writer — use cases, imports, the demo, bulk loads — updates the index in the
 * same transaction without knowing it exists. Rows hold text only: who may see an item is decided at query time by
 * joining the item itself (its current stage, TLP, recipients), so a release never needs re-indexing.
 *
 * Japanese has no spaces, so both indexes are on character trigrams, which find any substring of 3 or more
 * characters: SQLite FTS5 with the `trigram` tokenizer (an external-content table over search_docs), PostgreSQL
 * GIN indexes with pg_trgm's operator class, used by ILIKE '%…%'.
 *
 * Kinds: report, advisory (the latest version's text), comment, consultation (the full text, for the Type 1
 * group), question (the summary of a widened consultation, for the members asked), rulebook.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const pg = dialect === 'postgres';
  await db.schema
    .createTable('search_docs')
    .addColumn('doc_id', pg ? 'bigserial' : 'integer', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    // Countermeasure information: the sectors it is for, as the JSON array of its content.
    .addColumn('sectors', 'text')
    .addUniqueConstraint('search_docs_item', ['kind', 'item_id'])
    .execute();

  const run = async (statement: string) => {
    await sql.raw(statement).execute(db);
  };
  if (pg) {
    // pg_trgm is a trusted extension: the database owner may create it. It goes to `public` (not a schema that
    // may be dropped with its data, as tests do); the operator class is named with its schema wherever it is.
    await run(`do $$ begin
      if not exists (select from pg_extension where extname = 'pg_trgm') then
        execute format('create extension pg_trgm with schema %I', coalesce((select nspname from pg_namespace where nspname = 'public'), current_schema()));
      end if;
    end $$`);
    const { rows } = await sql<{ schema: string }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
    const ops = `${sql.id(rows[0]?.schema ?? 'public').compile(db).sql}.gin_trgm_ops`;
    await run(`create index search_docs_title_trgm on search_docs using gin (title ${ops})`);
    await run(`create index search_docs_body_trgm on search_docs using gin (body ${ops})`);
  } else {
    await run(`create virtual table search_fts using fts5(title, body, content='search_docs', content_rowid='doc_id', tokenize='trigram')`);
    await run(`create trigger search_fts_ai after insert on search_docs begin
      insert into search_fts (rowid, title, body) values (new.doc_id, new.title, new.body);
    end`);
    await run(`create trigger search_fts_ad after delete on search_docs begin
      insert into search_fts (search_fts, rowid, title, body) values ('delete', old.doc_id, old.title, old.body);
    end`);
    await run(`create trigger search_fts_au after update on search_docs begin
      insert into search_fts (search_fts, rowid, title, body) values ('delete', old.doc_id, old.title, old.body);
      insert into search_fts (rowid, title, body) values (new.doc_id, new.title, new.body);
    end`);
  }

  const docs = searchDocuments(dialect);
  for (const t of triggers) {
    const statements = t.docs.map((kind) => `${docs[kind]('new', '')};`).join('\n');
    if (pg) {
      await run(`create function search_index_${t.table}() returns trigger language plpgsql as $$ begin
        ${statements}
        return null;
      end $$`);
      await run(`create trigger search_index_${t.table} after ${t.events.join(' or ')} on ${t.table} for each row execute function search_index_${t.table}()`);
    } else {
      // SQLite has one event per trigger: the same statements for each.
      for (const [i, event] of t.events.entries()) {
        await run(`create trigger search_index_${t.table}_${i} after ${event} on ${t.table} begin
          ${statements}
        end`);
      }
    }
  }
  // What is there already.
  for (const kind of Object.keys(docs) as DocKind[]) await run(docs[kind](...backfill[kind]));
}

type DocKind = 'report' | 'advisory' | 'comment' | 'consultation' | 'question' | 'rulebook';

/** Which item changes re-index which documents. */
const triggers: { table: string; events: string[]; docs: DocKind[] }[] = [
  { table: 'reports', events: ['insert', 'update of title, description, attack_source, technique, objective'], docs: ['report'] },
  // A version is never changed once written; the newest one is the item's text.
  { table: 'advisory_versions', events: ['insert'], docs: ['advisory'] },
  { table: 'comments', events: ['insert'], docs: ['comment'] },
  { table: 'consultations', events: ['insert', 'update of body, summary'], docs: ['consultation', 'question'] },
  { table: 'rulebooks', events: ['insert'], docs: ['rulebook'] },
];

/** For the first indexing: the row alias and the FROM clause of each kind. */
const backfill: Record<DocKind, [row: string, from: string]> = {
  report: ['r', 'from reports r'],
  advisory: ['v', 'from advisory_versions v'],
  comment: ['c', 'from comments c'],
  consultation: ['c', 'from consultations c'],
  question: ['c', 'from consultations c'],
  rulebook: ['b', 'from rulebooks b'],
};

/**
 * The document of each kind as an upsert from a row (`new` in a trigger, a table alias when backfilling). Written
 * once for both databases; only reading JSON differs.
 */
function searchDocuments(dialect: Dialect): Record<DocKind, (row: string, from: string) => string> {
  const pg = dialect === 'postgres';
  const json = (doc: string, key: string) => (pg ? `(${doc}::jsonb ->> '${key}')` : `json_extract(${doc}, '$.${key}')`);
  const jsonArray = (doc: string, key: string) => (pg ? `(${doc}::jsonb -> '${key}')::text` : `json_extract(${doc}, '$.${key}')`);
  const joined = (doc: string, key: string) =>
    pg
      ? `(select string_agg(e, ' ') from jsonb_array_elements_text(${doc}::jsonb -> '${key}') e)`
      : `(select group_concat(value, ' ') from json_each(${doc}, '$.${key}'))`;
  const nl = pg ? 'chr(10)' : 'char(10)';
  const upsert = (kind: DocKind, d: { id: string; title: string; body: string; sectors?: string }, from: string, where = 'true') =>
    `insert into search_docs (kind, item_id, title, body, sectors)
     select '${kind}', ${d.id}, ${d.title}, ${d.body}, ${d.sectors ?? 'null'} ${from} where ${where}
     on conflict (kind, item_id) do update set title = excluded.title, body = excluded.body, sectors = excluded.sectors`;
  return {
    report: (r, from) =>
      upsert('report', { id: `${r}.id`, title: `${r}.title`, body: `concat_ws(${nl}, ${r}.description, ${r}.attack_source, ${r}.technique, ${r}.objective)` }, from),
    advisory: (v, from) =>
      upsert(
        'advisory',
        {
          id: `${v}.advisory_id`,
          title: json(`${v}.content`, 'title'),
          body: `concat_ws(${nl}, ${json(`${v}.content`, 'summary')}, ${json(`${v}.content`, 'threat')}, ${json(`${v}.content`, 'actions')}, ${joined(`${v}.content`, 'affectedProducts')})`,
          sectors: jsonArray(`${v}.content`, 'sectors'),
        },
        from,
        `not exists (select 1 from advisory_versions later where later.advisory_id = ${v}.advisory_id and later.version > ${v}.version)`,
      ),
    comment: (c, from) => upsert('comment', { id: `${c}.id`, title: `''`, body: `${c}.body` }, from),
    consultation: (c, from) => upsert('consultation', { id: `${c}.id`, title: `''`, body: `concat_ws(${nl}, ${c}.body, ${c}.summary)` }, from),
    question: (c, from) => upsert('question', { id: `${c}.id`, title: `''`, body: `${c}.summary` }, from, `${c}.summary is not null`),
    rulebook: (b, from) => upsert('rulebook', { id: `${b}.id`, title: `concat_ws(${nl}, ${b}.title_ja, ${b}.title_en)`, body: `${b}.body_md` }, from),
  };
}
