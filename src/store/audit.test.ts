import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { system } from '../core/actor.js';
import { verifyAuditChain } from '../core/audit-chain.js';
import { audit } from '../core/context.js';
import { connect } from './index.js';
import { createTestStore, dialects, testDeps, type TestStore } from '../test/stores.js';

describe.each(dialects)('audit hash chain on %s', (dialect) => {
  let t: TestStore;
  beforeEach(async () => {
    t = await createTestStore(dialect);
    const deps = testDeps(t.store);
    for (let i = 0; i < 5; i++) {
      await t.store.tx((r) => audit(r, deps, system('test'), { ip: '192.0.2.1' }, 'test.event', { type: 'thing', id: `t${i}` }, { i, nested: { b: 1, a: [1, 2] } }));
    }
  });
  afterEach(() => t.cleanup());

  /** Raw access as a tamperer would have it: the same database, outside the application. */
  function raw() {
    return connect({ url: t.url, ...(t.schema ? { schema: t.schema } : {}) }).db;
  }

  it('verifies an intact chain', async () => {
    await expect(verifyAuditChain(t.store)).resolves.toEqual({ ok: true, rows: 5 });
  });

  it('refuses updates and deletes through the database itself', async () => {
    const db = raw();
    try {
      await expect(sql`update audit_log set action = 'x' where seq = 2`.execute(db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_log where seq = 2`.execute(db)).rejects.toThrow(/append-only/);
    } finally {
      await db.destroy();
    }
  });

  async function withoutGuards(fn: (db: ReturnType<typeof raw>) => Promise<unknown>) {
    const db = raw();
    try {
      if (dialect === 'sqlite') {
        await sql`drop trigger audit_log_no_update`.execute(db);
        await sql`drop trigger audit_log_no_delete`.execute(db);
      } else {
        await sql`drop trigger audit_log_no_change on audit_log`.execute(db);
      }
      await fn(db);
    } finally {
      await db.destroy();
    }
  }

  it('names the first changed row', async () => {
    await withoutGuards((db) => sql`update audit_log set detail = '{"i":99}' where seq = 3`.execute(db));
    await expect(verifyAuditChain(t.store)).resolves.toMatchObject({ ok: false, badSeq: 3, reason: 'hash_mismatch' });
  });

  it('detects a row removed from the middle', async () => {
    await withoutGuards((db) => sql`delete from audit_log where seq = 2`.execute(db));
    await expect(verifyAuditChain(t.store)).resolves.toMatchObject({ ok: false, badSeq: 2, reason: 'missing_row' });
  });

  it('detects rows removed from the end', async () => {
    await withoutGuards((db) => sql`delete from audit_log where seq = 5`.execute(db));
    await expect(verifyAuditChain(t.store)).resolves.toMatchObject({ ok: false, badSeq: 5, reason: 'head_mismatch' });
  });

  it('detects a row rewritten with a recomputed hash (the link to the next row breaks)', async () => {
    await withoutGuards((db) => sql`update audit_log set hash = ${'f'.repeat(64)} where seq = 2`.execute(db));
    await expect(verifyAuditChain(t.store)).resolves.toMatchObject({ ok: false, badSeq: 2, reason: 'hash_mismatch' });
  });

  it('keeps the chain intact under concurrent appends', async () => {
    const deps = testDeps(t.store);
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        t.store.tx((r) => audit(r, deps, system('test'), { ip: null }, 'test.concurrent', null, { i })),
      ),
    );
    await expect(verifyAuditChain(t.store)).resolves.toEqual({ ok: true, rows: 25 });
  });
});
