/** Kysely's SQLite dialect on better-sqlite3, with prepared statements kept per SQL text. */
import type SQLite from 'better-sqlite3';
import { SqliteDialect, type SqliteDatabase } from 'kysely';

/** Prepared statements kept per SQL text (least recently used out first). */
const STATEMENT_CACHE = 300;

/**
 * Kysely prepares every query anew; a page of 1,000 objects or an insert of 1,000 rows spent as long preparing as
 * running. The same SQL text reuses its statement (SQLite re-prepares it by itself after a schema change). A
 * streamed query gets a statement of its own, since a cached one may still be mid-iteration.
 */
function withStatementCache(database: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  const prepared = (text: string): SQLite.Statement => {
    const hit = cache.get(text);
    if (hit) {
      cache.delete(text);
      cache.set(text, hit);
      return hit;
    }
    const statement = database.prepare(text);
    cache.set(text, statement);
    if (cache.size > STATEMENT_CACHE) cache.delete(cache.keys().next().value as string);
    return statement;
  };
  return {
    close: () => database.close(),
    prepare(text) {
      const statement = prepared(text);
      return {
        reader: statement.reader,
        all: (parameters) => statement.all(parameters),
        run: (parameters) => statement.run(parameters),
        iterate: (parameters) => database.prepare(text).iterate(parameters),
      };
    },
  };
}

export function sqliteDialect(database: SQLite.Database): SqliteDialect {
  return new SqliteDialect({ database: withStatementCache(database) });
}
