import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/** Reports, analysis threads, countermeasure information with versions and releases, feedback. */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('reports')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('certainty', 'text', (c) => c.notNull())
    .addColumn('confidence', 'text', (c) => c.notNull())
    .addColumn('is_consultation', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('is_original', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('provider_named', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    // 金融ISAC practice: source of the attack, technique, objective.
    .addColumn('attack_source', 'text')
    .addColumn('technique', 'text')
    .addColumn('objective', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('reports_stage_id').on('reports').columns(['stage', 'id']).execute();
  await db.schema.createIndex('reports_org_id').on('reports').columns(['org_id', 'id']).execute();

  // TLP:RED items name their recipients.
  await db.schema
    .createTable('item_recipients')
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addPrimaryKeyConstraint('item_recipients_pk', ['item_id', 'user_id'])
    .execute();
  await db.schema.createIndex('item_recipients_user').on('item_recipients').columns(['user_id', 'item_id']).execute();

  // Observables of reports and countermeasure items, normalised; the index serves correlation and look-up.
  await db.schema
    .createTable('observables')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('item_kind', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('observables_value').on('observables').columns(['type', 'value']).execute();
  await db.schema.createIndex('observables_item').on('observables').columns(['item_id']).execute();

  await db.schema
    .createTable('attachments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('filename', 'text', (c) => c.notNull())
    .addColumn('media_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('attachments_report').on('attachments').column('report_id').execute();

  // The Type 1 group's thread on a report: comments, original information, replies to the provider.
  await db.schema
    .createTable('comments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('comments_report').on('comments').columns(['report_id', 'id']).execute();

  await db.schema
    .createTable('corroborations')
    .addColumn('report_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('corroborations_pk', ['report_id', 'org_id'])
    .execute();

  await db.schema
    .createTable('report_links')
    .addColumn('from_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('to_id', 'text', (c) => c.notNull().references('reports.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('report_links_pk', ['from_id', 'to_id'])
    .execute();

  await db.schema
    .createTable('advisories')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('tlp', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('source_report_id', 'text')
    .addColumn('feedback_deadline', 'text')
    .addColumn('released_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Listing is newest first by id within the visible stages and TLPs.
  await db.schema.createIndex('advisories_stage_tlp_id').on('advisories').columns(['stage', 'tlp', 'id']).execute();
  await db.schema.createIndex('advisories_org_id').on('advisories').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('advisory_versions')
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('advisory_versions_pk', ['advisory_id', 'version'])
    .execute();

  await db.schema
    .createTable('releases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('from_stage', 'text', (c) => c.notNull())
    .addColumn('to_stage', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('feedback_deadline', 'text')
    .addColumn('confirmed_flags', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('releases_advisory').on('releases').columns(['advisory_id', 'created_at']).execute();

  // One answer per organisation per version; `history` keeps earlier answers for the tally over time.
  await db.schema
    .createTable('feedback')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('advisory_id', 'text', (c) => c.notNull().references('advisories.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('answer', 'text', (c) => c.notNull())
    .addColumn('comment', 'text')
    .addColumn('sightings', 'text', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('feedback_one_per_org', ['advisory_id', 'version', 'org_id'])
    .execute();
  await db.schema.createIndex('feedback_org').on('feedback').columns(['org_id', 'answered_at']).execute();
}
