/** The store: one Kysely connection (SQLite or PostgreSQL) behind the core's `Store` port. */
import { sql } from 'kysely';
import type { Store, StoredAuditRow } from '../core/ports.js';
import { connect, migrate, type ConnectOptions, type Connection } from './connect.js';
import { createRepos } from './repos.js';
import { listenForEvents } from './notifications-listen.js';

export { connect, migrate, isPostgresUrl, type Connection, type Dialect } from './connect.js';

const AUDIT_BATCH = 1000;

export function storeFrom(conn: Connection): Store {
  const { db, dialect, pgConfig } = conn;
  return {
    dialect,
    ...(pgConfig ? { listen: (onSignal: () => void, onError?: (err: Error) => void) => listenForEvents(pgConfig, onSignal, onError) } : {}),
    read: createRepos(db, dialect),
    tx: (fn) => db.transaction().execute((trx) => fn(createRepos(trx, dialect))),
    async *auditRows(): AsyncIterable<StoredAuditRow> {
      let after = 0;
      for (;;) {
        const rows = await db
          .selectFrom('audit_log')
          .selectAll()
          .where('seq', '>', after)
          .orderBy('seq')
          .limit(AUDIT_BATCH)
          .execute();
        for (const r of rows) {
          yield {
            seq: Number(r.seq),
            at: r.at,
            actorUserId: r.actor_user_id,
            actorOrgId: r.actor_org_id,
            actorLabel: r.actor_label,
            action: r.action,
            targetType: r.target_type,
            targetId: r.target_id,
            detail: JSON.parse(r.detail) as Record<string, unknown>,
            ip: r.ip,
            prevHash: r.prev_hash,
            hash: r.hash,
          };
        }
        const last = rows.at(-1);
        if (!last) return;
        after = Number(last.seq);
      }
    },
    async auditHead() {
      const h = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirstOrThrow();
      return { seq: Number(h.seq), hash: h.hash };
    },
    async ping() {
      await sql`select 1`.execute(db);
    },
    async optimize() {
      if (dialect === 'sqlite') await sql`pragma optimize`.execute(db);
    },
    close: () => db.destroy(),
  };
}

/** Connect, migrate and wrap: what `serve` and the CLI commands start with. */
export async function openStore(opts: ConnectOptions): Promise<Store> {
  const conn = connect(opts);
  await migrate(conn);
  return storeFrom(conn);
}
