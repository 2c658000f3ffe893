import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * STIX 2.1 objects as the TAXII 2.1 collections serve them, and the status resources of TAXII POSTs.
 *
 * One row per object version per collection: each collection is its own contiguous range of the
 * (collection, added_us) index, so a page costs the same at any size. `added_us` is the TAXII date_added in
 * microseconds since the epoch, unique across the table and increasing in commit order (stix_clock), which
 * makes it the paging key. The policy facts of the item an object came from (stage, TLP, owner organisation;
 * TLP:RED recipients through item_recipients by item_id) sit on the row, so visibility is a WHERE clause.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('stix_objects')
    .addColumn('added_us', 'bigint', (c) => c.primaryKey())
    .addColumn('collection', 'text', (c) => c.notNull())
    .addColumn('stix_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('spec_version', 'text', (c) => c.notNull())
    // The object's `modified` (else `created`, else its date_added) as written in it, and in microseconds.
    .addColumn('version', 'text', (c) => c.notNull())
    .addColumn('version_us', 'bigint', (c) => c.notNull())
    .addColumn('is_first', 'integer', (c) => c.notNull())
    .addColumn('is_last', 'integer', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text')
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('stix_objects_version').on('stix_objects').columns(['collection', 'stix_id', 'version_us']).unique().execute();
  // Paging with match[version]=all, =last (the default) and match[type].
  await db.schema.createIndex('stix_objects_added').on('stix_objects').columns(['collection', 'added_us']).execute();
  await db.schema.createIndex('stix_objects_last').on('stix_objects').columns(['collection', 'is_last', 'added_us']).execute();
  await db.schema.createIndex('stix_objects_type').on('stix_objects').columns(['collection', 'type', 'added_us']).execute();
  await db.schema.createIndex('stix_objects_item').on('stix_objects').columns(['item_id']).execute();

  // The last date_added handed out (one row): writers, one at a time, continue from it, so date_added never repeats or goes back.
  await db.schema
    .createTable('stix_clock')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('last_us', 'bigint', (c) => c.notNull())
    .execute();
  await sql`insert into stix_clock (id, last_us) values (1, 0)`.execute(db);

  await db.schema
    .createTable('taxii_statuses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('collection', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('request_us', 'bigint', (c) => c.notNull())
    .addColumn('total_count', 'integer', (c) => c.notNull())
    .addColumn('success_count', 'integer', (c) => c.notNull())
    .addColumn('failure_count', 'integer', (c) => c.notNull())
    .addColumn('pending_count', 'integer', (c) => c.notNull())
    .addColumn('successes', 'text', (c) => c.notNull())
    .addColumn('failures', 'text', (c) => c.notNull())
    .addColumn('report_id', 'text')
    .execute();
}
