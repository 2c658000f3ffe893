import type { Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Large-scale attack mode (campaigns) and information requests with their addressees and answers; non-member
 * consultations, their messages and used proof-of-work challenges; the give-and-take ledger.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createTable('campaigns')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'text', (c) => c.notNull())
    .addColumn('declared_by', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('ended_at', 'text')
    .addColumn('ended_by', 'text')
    .addColumn('end_note', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('campaigns_status_id').on('campaigns').columns(['status', 'id']).execute();

  await db.schema
    .createTable('info_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('campaign_id', 'text', (c) => c.notNull().references('campaigns.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('audience', 'text', (c) => c.notNull())
    .addColumn('deadline', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('closed_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('info_requests_campaign').on('info_requests').columns(['campaign_id', 'id']).execute();
  // Missed requests of a period are found by deadline.
  await db.schema.createIndex('info_requests_deadline').on('info_requests').columns(['deadline']).execute();

  // The organisations a request was addressed to, fixed when it was issued.
  await db.schema
    .createTable('info_request_recipients')
    .addColumn('request_id', 'text', (c) => c.notNull().references('info_requests.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addPrimaryKeyConstraint('info_request_recipients_pk', ['request_id', 'org_id'])
    .execute();
  await db.schema.createIndex('info_request_recipients_org').on('info_request_recipients').columns(['org_id', 'request_id']).execute();

  // One answer (or refusal with its reason) per organisation per request.
  await db.schema
    .createTable('info_request_answers')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('request_id', 'text', (c) => c.notNull().references('info_requests.id'))
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text')
    .addColumn('reason', 'text')
    .addColumn('observables', 'text', (c) => c.notNull())
    .addColumn('late', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('answered_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('info_request_answers_one_per_org', ['request_id', 'org_id'])
    .execute();
  await db.schema.createIndex('info_request_answers_org').on('info_request_answers').columns(['org_id', 'request_id']).execute();

  await db.schema
    .createTable('consultations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('organization', 'text')
    .addColumn('email', 'text', (c) => c.notNull())
    .addColumn('locale', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('observables', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('consent_at', 'text')
    .addColumn('widened_at', 'text')
    .addColumn('widened_by', 'text')
    .addColumn('widened_stage', 'text')
    .addColumn('summary', 'text')
    .addColumn('report_id', 'text', (c) => c.references('reports.id'))
    .addColumn('converted_at', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultations_status_id').on('consultations').columns(['status', 'id']).execute();
  await db.schema.createIndex('consultations_widened').on('consultations').columns(['widened_stage', 'id']).execute();
  await db.schema.createIndex('consultations_report').on('consultations').columns(['report_id']).execute();

  await db.schema
    .createTable('consultation_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('consultation_id', 'text', (c) => c.notNull().references('consultations.id'))
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text')
    .addColumn('user_id', 'text')
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('relayed_at', 'text')
    .addColumn('relayed_by', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultation_messages_thread').on('consultation_messages').columns(['consultation_id', 'id']).execute();

  // Proof-of-work challenges already used (kept until they expire: after that the signature check refuses them).
  await db.schema
    .createTable('consultation_challenges')
    .addColumn('hash', 'text', (c) => c.primaryKey())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('consultation_challenges_expiry').on('consultation_challenges').columns(['expires_at']).execute();

  // Give and take: one row per organisation, kind and thing contributed.
  await db.schema
    .createTable('ledger_entries')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('ref_id', 'text', (c) => c.notNull())
    .addColumn('item_id', 'text', (c) => c.notNull())
    .addColumn('at', 'text', (c) => c.notNull())
    .addUniqueConstraint('ledger_entries_once', ['org_id', 'kind', 'ref_id'])
    .execute();
  await db.schema.createIndex('ledger_entries_org_id').on('ledger_entries').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('ledger_entries_at').on('ledger_entries').columns(['at', 'org_id']).execute();
}
