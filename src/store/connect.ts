import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, sql, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import * as m001 from './migrations/001-foundation.js';
import * as m002 from './migrations/002-membership.js';
import * as m003 from './migrations/003-sharing.js';
import * as m004 from './migrations/004-requests.js';
import * as m005 from './migrations/005-marks.js';
import * as m006 from './migrations/006-notifications.js';
import * as m007 from './migrations/007-interop.js';
import * as m008 from './migrations/008-search.js';
import * as m009 from './migrations/009-insight.js';
import type { Database } from './schema.js';
import { sqliteDialect } from './sqlite.js';

export type Dialect = 'sqlite' | 'postgres';

// COUNT(*) and bigint columns arrive from PostgreSQL as strings; every value we keep there fits a double.
pg.types.setTypeParser(20, (v) => Number(v));

export interface ConnectOptions {
  /** `postgres://…` selects PostgreSQL; anything else is a SQLite file path (or `:memory:`). */
  url: string;
  /** PostgreSQL schema to use (tests isolate themselves in one schema each). */
  schema?: string;
  poolSize?: number;
}

export interface Connection {
  db: Kysely<Database>;
  dialect: Dialect;
  /** PostgreSQL: how to open one more connection of the same kind (a dedicated LISTEN connection). */
  pgConfig?: pg.ClientConfig;
}

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

export function connect(opts: ConnectOptions): Connection {
  if (isPostgresUrl(opts.url)) {
    const pgConfig: pg.ClientConfig = {
      connectionString: opts.url,
      ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
    };
    const pool = new pg.Pool({ ...pgConfig, max: opts.poolSize ?? 10 });
    return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres', pgConfig };
  }
  if (opts.url !== ':memory:') mkdirSync(dirname(opts.url), { recursive: true });
  const database = new SQLite(opts.url);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  // Planner statistics: without them SQLite answers "newest N visible" with a multi-index OR and a sort of every
  // match instead of walking the primary key. They must be whole: sampled ones (analysis_limit) put a stage at
  // a thousand rows of 100,000 and the listing became 200× slower. A full ANALYZE of 100,000 reports takes about
  // 0.1 s, and `optimize` runs it only on tables that have none yet or have grown tenfold since.
  database.pragma('optimize = 0x10002');
  return { db: new Kysely<Database>({ dialect: sqliteDialect(database) }), dialect: 'sqlite' };
}

/** Migrations in order. Each receives the dialect for the few places where the two differ. */
const migrations: Record<string, { up(db: Kysely<unknown>, dialect: Dialect): Promise<void> }> = {
  '001-foundation': m001,
  '002-membership': m002,
  '003-sharing': m003,
  '004-requests': m004,
  '005-marks': m005,
  '006-notifications': m006,
  '007-interop': m007,
  '008-search': m008,
  '009-insight': m009,
};

class StaticProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(
      Object.fromEntries(
        Object.entries(migrations).map(([name, m]) => [name, { up: (db: Kysely<unknown>) => m.up(db, this.dialect) }]),
      ),
    );
  }
}

/** Bring the schema up to date. Safe to run from several processes: Kysely takes a migration lock. */
export async function migrate(conn: Connection): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema unless told which one: on PostgreSQL, name ours
  // (the first on the search_path), or another schema's kysely_migration tables would be taken for ours.
  const schema =
    conn.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(conn.db)).rows[0]?.schema
      : undefined;
  const migrator = new Migrator({
    db: conn.db,
    provider: new StaticProvider(conn.dialect),
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
