/**
 * Real databases for tests: a fresh SQLite file per call, and — when TEST_DATABASE_URL is set — a fresh
 * PostgreSQL schema. Storage tests run their bodies once per dialect with `describe.each(dialects)`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Deps } from '../core/context.js';
import { depsFor } from '../deps.js';
import type { Store } from '../core/ports.js';
import { connect, migrate, type Dialect } from '../store/index.js';
import { storeFrom } from '../store/index.js';
import type { ServerConfig } from '../config.js';

export const dialects: Dialect[] = process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestStore {
  store: Store;
  /** SQLite file path or PostgreSQL URL, for tools that open the database themselves (CLI). */
  url: string;
  /** PostgreSQL schema (tools must use it as search_path). */
  schema?: string;
  cleanup(): Promise<void>;
}

export async function createTestStore(dialect: Dialect): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'kyogikai-test-'));
    const url = join(dir, 'test.db');
    const conn = connect({ url });
    await migrate(conn);
    const store = storeFrom(conn);
    return {
      store,
      url,
      async cleanup() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const url = process.env.TEST_DATABASE_URL as string;
  const schema = `t_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const conn = connect({ url, schema, poolSize: 5 });
  await migrateRetrying(conn);
  const store = storeFrom(conn);
  return {
    store,
    url,
    schema,
    async cleanup() {
      await store.close();
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`drop schema ${schema} cascade`);
      await c.end();
    },
  };
}

/** A clock tests can move. */
export class TestClock {
  constructor(private t = new Date('2026-04-01T00:00:00Z').getTime()) {}
  now = (): Date => new Date(this.t);
  advance(ms: number): void {
    this.t += ms;
  }
}

export function testDeps(store: Store, clock = new TestClock()): Deps & { clock: TestClock } {
  const attachmentsDir = mkdtempSync(join(tmpdir(), 'kyogikai-files-'));
  return { ...depsFor(store, { ...testServerConfig, attachmentsDir }, clock.now), clock };
}

export const testServerConfig: ServerConfig = {
  port: 0,
  host: '127.0.0.1',
  databaseUrl: ':memory:',
  adminPassword: 'correct horse battery staple',
  logLevel: 'silent',
  trustProxy: false,
  sessionIdleMinutes: 480,
  sessionMaxHours: 168,
  rateLimitPerMinute: 10_000,
  loginRateLimitPerMinute: 10_000,
  attachmentsDir: join(tmpdir(), 'kyogikai-test-files'),
  maxAttachmentBytes: 1024 * 1024,
};

/**
 * Kysely's migrator looks at the tables of every schema in the database; when a test in another process drops its
 * schema at that moment, PostgreSQL answers `schema "…" does not exist`. Only test databases hold many schemas
 * that come and go, so the retry lives here.
 */
async function migrateRetrying(conn: Parameters<typeof migrate>[0]): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(conn);
      return;
    } catch (err) {
      const raced = err instanceof Error && /schema "[^"]+" does not exist|kysely_migration" does not exist/.test(err.message);
      if (!raced || attempt >= 5) throw err;
      await new Promise((r) => setTimeout(r, 50 * attempt));
    }
  }
}
