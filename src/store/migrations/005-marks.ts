import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Confidentiality marks: one row per exported document of non-public information, naming the receiving
 * organisation and user. The random id is what the invisible token in the document carries (trace-leak).
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('marks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('item_type', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer')
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('format', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('marks_item').on('marks').columns(['item_id', 'created_at']).execute();
  await db.schema.createIndex('marks_org').on('marks').columns(['org_id', 'created_at']).execute();
}
