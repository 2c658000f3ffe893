/**
 * A benchmark council on a fresh database: the test council's organisations and users (one of every kind the
 * policy tells apart), bootstrapped and migrated exactly as `kyogikai serve` would, plus bulk data written with the
 * driver (going through the use cases would measure the seeding, not the workload).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { v4 as uuidv4, v7 as uuidv7 } from 'uuid';
import { audienceCollectionId } from '../../src/core/interop/collections.js';
import { stixEntry } from '../../src/core/interop/publish.js';
import { actorForUser } from '../../src/core/usecases/auth.js';
import { bootstrap } from '../../src/core/usecases/bootstrap.js';
import type { UserActor } from '../../src/core/actor.js';
import type { Deps } from '../../src/core/context.js';
import { stages, tlps } from '../../src/core/sharing/model.js';
import { depsFor } from '../../src/deps.js';
import { connect, migrate, storeFrom, type Connection } from '../../src/store/index.js';
import { createPgDatabase } from '../../src/test/processes.js';
import { seedCouncil, type CouncilUser, type UserKey } from '../../src/test/sharing-council.js';
import { testServerConfig } from '../../src/test/stores.js';
import type { BenchContext } from './types.js';
import { pick, prng } from './stats.js';

export const ADMIN_PASSWORD = testServerConfig.adminPassword as string;

export interface BenchCouncil {
  /** SQLite file or PostgreSQL URL, for server processes started on the same data. */
  url: string;
  conn: Connection;
  deps: Deps;
  users: Record<UserKey, CouncilUser>;
  attachmentsDir: string;
  actor(key: UserKey): Promise<UserActor>;
  /** Close the connection (keep the data: a server process may still use it). */
  disconnect(): Promise<void>;
  /** Close and delete everything. */
  drop(): Promise<void>;
}

export async function createBenchCouncil(ctx: BenchContext): Promise<BenchCouncil> {
  const dir = mkdtempSync(join(tmpdir(), 'kyogikai-bench-'));
  const pgDb = ctx.database === 'postgres' ? await createPgDatabase(ctx.pgBaseUrl) : undefined;
  const url = pgDb ? pgDb.url : join(dir, 'bench.db');
  const conn = connect({ url });
  await migrate(conn);
  const store = storeFrom(conn);
  const attachmentsDir = join(dir, 'files');
  const deps = depsFor(store, { ...testServerConfig, attachmentsDir });
  await bootstrap(deps, ADMIN_PASSWORD);
  const { users } = await seedCouncil(deps);
  let open = true;
  const disconnect = async () => {
    if (open) await store.close();
    open = false;
  };
  return {
    url,
    conn,
    deps,
    users,
    attachmentsDir,
    async actor(key) {
      const user = await store.read.users.byId(users[key].id);
      const actor = user && (await actorForUser(store.read, user, { via: 'token', readOnly: true }, new Date()));
      if (!actor) throw new Error(`no actor for ${key}`);
      return actor;
    },
    disconnect,
    async drop() {
      await disconnect();
      await pgDb?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const BATCH = 1000;

/**
 * `count` reports of mixed stages and TLPs from the council's organisations, oldest first, with TLP:RED ones naming
 * a recipient — the shape the policy filter has to cut through. Written in batches inside one transaction.
 */
export interface ReportText {
  title: string;
  description: string;
}

const plainText = (i: number): ReportText => ({ title: `不審な通信 ${i}`, description: `ベンチマーク用の報告 ${i}。標的型メールの疑い。` });

export async function insertReports(council: BenchCouncil, count: number, seed = 1, text: (i: number) => ReportText = plainText): Promise<void> {
  const rand = prng(seed);
  const authors = Object.values(council.users);
  const start = Date.now() - count * 1000;
  await council.conn.db.transaction().execute(async (trx) => {
    for (let done = 0; done < count; done += BATCH) {
      const rows = [];
      const recipients = [];
      for (let i = done; i < Math.min(count, done + BATCH); i++) {
        const author = pick(rand, authors);
        const at = new Date(start + i * 1000).toISOString();
        const id = uuidv7({ msecs: start + i * 1000 });
        const tlp = pick(rand, tlps);
        rows.push({
          id,
          org_id: author.orgId,
          user_id: author.id,
          stage: pick(rand, stages),
          tlp,
          kind: 'suspicious_activity',
          certainty: 'suspected',
          confidence: 'low',
          ...text(i),
          status: 'open',
          is_consultation: 0,
          is_original: 0,
          provider_named: 0,
          created_at: at,
          updated_at: at,
        });
        if (tlp === 'red') recipients.push({ item_id: id, user_id: pick(rand, authors).id });
      }
      await trx.insertInto('reports').values(rows).execute();
      if (recipients.length) await trx.insertInto('item_recipients').values(recipients).execute();
    }
  });
  await refreshStatistics(council);
}

/** After a bulk load, the statistics a running server would have by now (its hourly optimize; autovacuum). */
export async function refreshStatistics(council: BenchCouncil): Promise<void> {
  await sql.raw(council.conn.dialect === 'sqlite' ? 'pragma optimize=0x10002' : 'analyze').execute(council.conn.db);
}

/** A STIX indicator of an IPv4 address, the i-th of a series (ids are random: each call is a new object). */
export function indicator(i: number): Record<string, unknown> {
  const at = new Date(Date.UTC(2026, 3, 1) + i * 1000).toISOString();
  return {
    type: 'indicator',
    spec_version: '2.1',
    id: `indicator--${uuidv4()}`,
    created: at,
    modified: at,
    name: `C2 ${i}`,
    pattern: `[ipv4-addr:value = '10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}']`,
    pattern_type: 'stix',
    valid_from: at,
  };
}

/** Fill the all-members collection up to `size` objects through the repository (the way publishing writes). */
export async function fillMembersCollection(council: BenchCouncil, from: number, to: number): Promise<void> {
  const collection = audienceCollectionId('members');
  const orgId = council.users.type1.orgId;
  for (let i = from; i < to; i += 5000) {
    const entries = Array.from({ length: Math.min(5000, to - i) }, (_, k) =>
      stixEntry(collection, indicator(i + k) as never, { source: 'advisory', itemId: null, stage: 'members', tlp: 'green', orgId }),
    );
    await council.deps.store.tx((r) => r.interop.stix.add(entries, Date.now() * 1000));
  }
  await refreshStatistics(council);
}
