import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Indexes for the dashboards and the home page: releases to Type 2 by time and deadline, items by release time and
 * feedback deadline, reports by arrival, items by source report, and each organisation's ledger by time.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema.createIndex('releases_to_stage_created').on('releases').columns(['to_stage', 'created_at']).execute();
  await db.schema.createIndex('releases_to_stage_deadline').on('releases').columns(['to_stage', 'feedback_deadline']).execute();
  await db.schema.createIndex('advisories_released_at').on('advisories').columns(['released_at']).execute();
  await db.schema.createIndex('advisories_feedback_deadline').on('advisories').columns(['feedback_deadline']).execute();
  await db.schema.createIndex('advisories_source_report').on('advisories').columns(['source_report_id']).execute();
  await db.schema.createIndex('reports_created_at').on('reports').columns(['created_at']).execute();
  await db.schema.createIndex('ledger_entries_org_at').on('ledger_entries').columns(['org_id', 'at']).execute();
}
