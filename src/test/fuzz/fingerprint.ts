/**
 * A fingerprint of everything in the database, to show that a refused request changed nothing: every row of every
 * table, hashed per table. The audit log stands in by its head (the hash chain covers every row before it), so the
 * fingerprint does not grow with every request that is logged.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { connect, type Connection } from '../../store/index.js';
import type { TestStore } from '../stores.js';

export interface Fingerprinter {
  /** Table name → hash of its rows. */
  take(): Promise<Map<string, string>>;
  close(): Promise<void>;
}

/** Which tables differ between two fingerprints. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const names = new Set([...before.keys(), ...after.keys()]);
  return [...names].filter((n) => before.get(n) !== after.get(n)).sort();
}

/** A second connection of its own (as an operator's tool would open), so it sees only what was committed. */
export function fingerprinter(db: TestStore): Fingerprinter {
  const conn: Connection = connect({ url: db.url, ...(db.schema ? { schema: db.schema } : {}), poolSize: 1 });
  const tables = async (): Promise<string[]> => {
    const rows =
      conn.dialect === 'sqlite'
        ? await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`.execute(conn.db)
        : await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(conn.db);
    return rows.rows.map((r) => r.name).filter((n) => n !== 'audit_log');
  };
  return {
    async take() {
      const out = new Map<string, string>();
      for (const name of await tables()) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(conn.db);
        // Row order is not fixed on PostgreSQL: hash the rows sorted.
        const lines = rows.rows.map((r) => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))).sort();
        out.set(name, createHash('sha256').update(lines.join('\n')).digest('hex'));
      }
      return out;
    },
    close: () => conn.db.destroy(),
  };
}
