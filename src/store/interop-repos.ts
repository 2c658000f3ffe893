/** SQL behind the STIX/TAXII ports: object versions per collection, the date_added clock, POST status resources. */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { InteropRepos, StixQuery, TaxiiStatusRecord, VersionMatch } from '../core/interop/ports.js';
import type { Dialect } from './connect.js';
import type { Database } from './schema.js';
import { visibleWhere } from './sharing-repos.js';

/** Rows per statement: 15 columns × 1,000 stays below SQLite's 32,766 bound values. */
const CHUNK = 1000;

function chunks<T>(list: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** The date_added in microseconds, written back as the version of an object that has no version of its own. */
const isoMicros = (us: number): string => `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}Z`;

function versionWhere(eb: ExpressionBuilder<Database, 'stix_objects'>, v: VersionMatch): Expression<SqlBool> | undefined {
  if (v.all) return undefined;
  const any: Expression<SqlBool>[] = [];
  if (v.first) any.push(eb('stix_objects.is_first', '=', 1));
  if (v.last) any.push(eb('stix_objects.is_last', '=', 1));
  if (v.at.length) any.push(eb('stix_objects.version_us', 'in', [...v.at]));
  return eb.or(any);
}

const key = (collection: string, stixId: string) => `${collection}\u0000${stixId}`;

export function createInteropRepos(db: Kysely<Database>, dialect: Dialect): InteropRepos {
  /** The objects a query asks for, in date_added order, before choosing the columns. */
  function listQuery(q: StixQuery) {
    let query = db
      .selectFrom('stix_objects')
      .where('collection', '=', q.collection)
      .where(visibleWhere('stix_objects', q.filter, q.userId))
      .orderBy('added_us')
      .limit(q.limit);
    if (q.afterUs !== undefined) query = query.where('added_us', '>', q.afterUs);
    if (q.ids) query = query.where('stix_id', 'in', [...q.ids]);
    if (q.types) query = query.where('type', 'in', [...q.types]);
    if (q.withoutSources?.length) query = query.where('source', 'not in', [...q.withoutSources]);
    if (q.specVersions) query = query.where('spec_version', 'in', [...q.specVersions]);
    const versions = q.versions;
    if (!versions.all) query = query.where((eb) => versionWhere(eb, versions) ?? sql<SqlBool>`1 = 1`);
    return query;
  }

  /** Set is_first / is_last on the oldest and newest remaining version of each object. */
  async function reflag(collection: string, stixIds: readonly string[]): Promise<void> {
    for (const ids of chunks(stixIds, 500)) {
      const bounds = await db
        .selectFrom('stix_objects')
        .select((eb) => ['stix_id', eb.fn.min('version_us').as('lo'), eb.fn.max('version_us').as('hi')])
        .where('collection', '=', collection)
        .where('stix_id', 'in', ids)
        .groupBy('stix_id')
        .execute();
      for (const b of bounds) {
        await db
          .updateTable('stix_objects')
          .set((eb) => ({
            is_first: eb.case().when('version_us', '=', Number(b.lo)).then(1).else(0).end(),
            is_last: eb.case().when('version_us', '=', Number(b.hi)).then(1).else(0).end(),
          }))
          .where('collection', '=', collection)
          .where('stix_id', '=', b.stix_id)
          .execute();
      }
    }
  }

  return {
    stix: {
      async add(entries, nowUs) {
        if (entries.length === 0) return [];
        // Writers run one after the other (SQLite's write transaction already does), so date_added follows commit
        // order and what each sees of the existing versions stays true until it commits. On PostgreSQL the lock taken
        // is the audit chain's head, as for events: every transaction that publishes audits anyway, and one lock
        // cannot deadlock with itself.
        if (dialect === 'postgres') await db.selectFrom('audit_head').select('seq').where('id', '=', 1).forUpdate().execute();
        const clock = await db.selectFrom('stix_clock').select('last_us').where('id', '=', 1).executeTakeFirstOrThrow();

        // What the collections already hold of these objects: every version, to skip repeats and to place the new
        // ones first or last.
        const held = new Map<string, number[]>();
        const byCollection = new Map<string, Set<string>>();
        for (const e of entries) {
          const set = byCollection.get(e.collection) ?? new Set<string>();
          set.add(e.stixId);
          byCollection.set(e.collection, set);
        }
        for (const [collection, ids] of byCollection) {
          for (const part of chunks([...ids], 500)) {
            const rows = await db
              .selectFrom('stix_objects')
              .select(['stix_id', 'version_us'])
              .where('collection', '=', collection)
              .where('stix_id', 'in', part)
              .execute();
            for (const r of rows) {
              const k = key(collection, r.stix_id);
              held.set(k, [...(held.get(k) ?? []), Number(r.version_us)]);
            }
          }
        }

        let next = Math.max(Number(clock.last_us) + 1, Math.floor(nowUs));
        const added: (number | null)[] = [];
        const rows: Database['stix_objects'][] = [];
        // Objects whose newest (or oldest) stored version is about to be superseded.
        const reflagged = new Map<string, Set<string>>();
        for (const e of entries) {
          const k = key(e.collection, e.stixId);
          const versions = held.get(k) ?? [];
          // An object without a version of its own is stored once: a repeat of it is the same object.
          const repeat = e.versionUs === null ? versions.length > 0 : versions.includes(e.versionUs);
          if (repeat) {
            added.push(null);
            continue;
          }
          const addedUs = next++;
          const versionUs = e.versionUs ?? addedUs;
          const isLast = versions.every((v) => v < versionUs);
          const isFirst = versions.every((v) => v > versionUs);
          if (versions.length && (isLast || isFirst)) {
            const set = reflagged.get(e.collection) ?? new Set<string>();
            set.add(e.stixId);
            reflagged.set(e.collection, set);
          }
          held.set(k, [...versions, versionUs]);
          added.push(addedUs);
          rows.push({
            added_us: addedUs,
            collection: e.collection,
            stix_id: e.stixId,
            type: e.type,
            spec_version: e.specVersion,
            version: e.version ?? isoMicros(addedUs),
            version_us: versionUs,
            is_first: isFirst ? 1 : 0,
            is_last: isLast ? 1 : 0,
            source: e.source,
            item_id: e.itemId,
            stage: e.stage,
            tlp: e.tlp,
            org_id: e.orgId,
            body: e.body,
          });
        }
        for (const part of chunks(rows)) await db.insertInto('stix_objects').values(part).execute();
        for (const [collection, ids] of reflagged) await reflag(collection, [...ids]);
        if (rows.length) await db.updateTable('stix_clock').set({ last_us: next - 1 }).where('id', '=', 1).execute();
        return added;
      },

      async list(q) {
        const rows = await listQuery(q).select(['stix_id', 'type', 'spec_version', 'version', 'added_us']).execute();
        return rows.map((r) => ({ stixId: r.stix_id, type: r.type, specVersion: r.spec_version, version: r.version, addedUs: Number(r.added_us) }));
      },

      async bodies(q) {
        const rows = await listQuery(q).select(['added_us', 'body']).execute();
        return rows.map((r) => ({ addedUs: Number(r.added_us), body: r.body }));
      },

      async present(collection, stixIds) {
        const out = new Set<string>();
        for (const part of chunks(stixIds, 500)) {
          const rows = await db
            .selectFrom('stix_objects')
            .select('stix_id')
            .distinct()
            .where('collection', '=', collection)
            .where('stix_id', 'in', part)
            .execute();
          for (const r of rows) out.add(r.stix_id);
        }
        return out;
      },

      async remove(q) {
        let query = db
          .deleteFrom('stix_objects')
          .where('collection', '=', q.collection)
          .where('stix_id', '=', q.stixId)
          .where(visibleWhere('stix_objects', q.filter, q.userId));
        if (q.specVersions) query = query.where('spec_version', 'in', [...q.specVersions]);
        const versions = q.versions;
        if (!versions.all) query = query.where((eb) => versionWhere(eb, versions) ?? sql<SqlBool>`1 = 1`);
        const result = await query.executeTakeFirst();
        const removed = Number(result.numDeletedRows);
        if (removed) await reflag(q.collection, [q.stixId]);
        return removed;
      },

      async setFacts(itemId, facts, sources) {
        const set: Partial<Database['stix_objects']> = {};
        if (facts.stage) set.stage = facts.stage;
        if (facts.tlp) set.tlp = facts.tlp;
        if (Object.keys(set).length === 0 || sources.length === 0) return;
        await db.updateTable('stix_objects').set(set).where('item_id', '=', itemId).where('source', 'in', [...sources]).execute();
      },
    },

    statuses: {
      async insert(s) {
        await db
          .insertInto('taxii_statuses')
          .values({
            id: s.id,
            collection: s.collection,
            org_id: s.orgId,
            user_id: s.userId,
            status: s.status,
            request_us: s.requestUs,
            total_count: s.totalCount,
            success_count: s.successCount,
            failure_count: s.failureCount,
            pending_count: s.pendingCount,
            successes: JSON.stringify(s.successes),
            failures: JSON.stringify(s.failures),
            report_id: s.reportId,
          })
          .execute();
      },
      async byId(id) {
        const r = await db.selectFrom('taxii_statuses').selectAll().where('id', '=', id).executeTakeFirst();
        if (!r) return undefined;
        const status: TaxiiStatusRecord = {
          id: r.id,
          collection: r.collection,
          orgId: r.org_id,
          userId: r.user_id,
          status: r.status as TaxiiStatusRecord['status'],
          requestUs: Number(r.request_us),
          totalCount: Number(r.total_count),
          successCount: Number(r.success_count),
          failureCount: Number(r.failure_count),
          pendingCount: Number(r.pending_count),
          successes: JSON.parse(r.successes) as TaxiiStatusRecord['successes'],
          failures: JSON.parse(r.failures) as TaxiiStatusRecord['failures'],
          reportId: r.report_id,
        };
        return status;
      },
    },
  };
}

