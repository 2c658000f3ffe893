import { sql, type Kysely } from 'kysely';
import type { Dialect } from '../connect.js';

/**
 * Membership: recruitment periods, applications and their history, change notifications, class changes,
 * membership events (for history and statistics), rulebooks and acceptances, rosters, one-time
 * password-setup links; membership columns on organisations and the committee flag on users.
 */
export async function up(db: Kysely<unknown>, dialect: Dialect): Promise<void> {
  const real = dialect === 'postgres' ? 'double precision' : 'real';

  await db.schema.alterTable('organizations').addColumn('status', 'text', (c) => c.notNull().defaultTo('member')).execute();
  await db.schema.alterTable('organizations').addColumn('status_reason', 'text').execute();
  await db.schema.alterTable('organizations').addColumn('special_approval_at', 'text').execute();
  await db.schema.alterTable('organizations').addColumn('special_approval_reason', 'text').execute();
  await db.schema.alterTable('organizations').addColumn('foreign_capital_share', real).execute();
  await db.schema.alterTable('organizations').addColumn('roster_consent', 'integer', (c) => c.notNull().defaultTo(0)).execute();
  await db.schema.alterTable('organizations').addColumn('period_joined', 'integer').execute();
  await db.schema.alterTable('organizations').addColumn('contacts', 'text', (c) => c.notNull().defaultTo('[]')).execute();
  await db.schema.createIndex('organizations_status').on('organizations').columns(['status', 'id']).execute();

  await db.schema.alterTable('users').addColumn('is_committee', 'integer', (c) => c.notNull().defaultTo(0)).execute();

  await db.schema
    .createTable('recruitment_periods')
    .addColumn('number', 'integer', (c) => c.primaryKey())
    .addColumn('opens_at', 'text', (c) => c.notNull())
    .addColumn('closes_at', 'text', (c) => c.notNull())
    .addColumn('decision_date', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('recruitment_periods_window').on('recruitment_periods').columns(['opens_at', 'closes_at']).execute();

  await db.schema
    .createTable('applications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('period_number', 'integer', (c) => c.notNull().references('recruitment_periods.number'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('access_token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('name_ja', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_ja_norm', 'text', (c) => c.notNull())
    .addColumn('name_en_norm', 'text', (c) => c.notNull())
    .addColumn('email_domain', 'text')
    .addColumn('category', 'text', (c) => c.notNull())
    .addColumn('sector', 'text')
    .addColumn('address', 'text')
    .addColumn('foreign_capital', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('foreign_capital_share', real)
    .addColumn('requested_class', 'text', (c) => c.notNull())
    .addColumn('contacts', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('capabilities', 'text')
    .addColumn('quick_feedback_commitment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('roster_consent', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('ja'))
    .addColumn('decided_class', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('org_id', 'text', (c) => c.references('organizations.id'))
    .addColumn('admin_user_id', 'text', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  // Keyset lists newest first (ids are time-ordered UUIDv7), filtered by status or period.
  await db.schema.createIndex('applications_status').on('applications').columns(['status', 'id']).execute();
  await db.schema.createIndex('applications_period').on('applications').columns(['period_number', 'status', 'id']).execute();
  // Duplicates: one live application per organisation (normalised name, or e-mail domain) in a period. The
  // use case checks first and answers clearly; these partial unique indexes hold even for concurrent requests.
  const live = sql<boolean>`status not in ('rejected', 'withdrawn')`;
  await db.schema
    .createIndex('applications_unique_name_ja')
    .on('applications')
    .columns(['period_number', 'name_ja_norm'])
    .unique()
    .where(live)
    .execute();
  await db.schema
    .createIndex('applications_unique_name_en')
    .on('applications')
    .columns(['period_number', 'name_en_norm'])
    .unique()
    .where(live)
    .execute();
  await db.schema
    .createIndex('applications_unique_domain')
    .on('applications')
    .columns(['period_number', 'email_domain'])
    .unique()
    .where(sql<boolean>`status not in ('rejected', 'withdrawn') and email_domain is not null`)
    .execute();

  await db.schema
    .createTable('application_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('application_id', 'text', (c) => c.notNull().references('applications.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .addColumn('message', 'text')
    .addColumn('detail', 'text', (c) => c.notNull().defaultTo('{}'))
    .execute();
  await db.schema.createIndex('application_events_application').on('application_events').columns(['application_id', 'id']).execute();

  await db.schema
    .createTable('change_notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('changes', 'text', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('reviewed_by', 'text')
    .addColumn('reviewed_at', 'text')
    .addColumn('review_comment', 'text')
    .execute();
  await db.schema.createIndex('change_notifications_status').on('change_notifications').columns(['status', 'id']).execute();
  await db.schema.createIndex('change_notifications_org').on('change_notifications').columns(['org_id', 'id']).execute();

  await db.schema
    .createTable('class_change_requests')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('from_class', 'text', (c) => c.notNull())
    .addColumn('requested_class', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('capabilities', 'text')
    .addColumn('quick_feedback_commitment', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_class', 'text')
    .addColumn('decision_reason', 'text')
    .addColumn('submitted_by', 'text', (c) => c.notNull())
    .addColumn('submitted_at', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'text')
    .execute();
  await db.schema.createIndex('class_change_requests_status').on('class_change_requests').columns(['status', 'id']).execute();
  await db.schema.createIndex('class_change_requests_org').on('class_change_requests').columns(['org_id', 'id']).execute();
  // At most one open request per organisation.
  await db.schema
    .createIndex('class_change_requests_one_open')
    .on('class_change_requests')
    .column('org_id')
    .unique()
    .where(sql<boolean>`status = 'submitted'`)
    .execute();

  await db.schema
    .createTable('membership_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('org_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('from_class', 'text')
    .addColumn('to_class', 'text')
    .addColumn('period_number', 'integer')
    .addColumn('reason', 'text')
    .addColumn('actor_label', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('membership_events_org').on('membership_events').columns(['org_id', 'id']).execute();
  await db.schema.createIndex('membership_events_at').on('membership_events').columns(['at', 'id']).execute();

  await db.schema
    .createTable('rulebooks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('title_ja', 'text', (c) => c.notNull())
    .addColumn('title_en', 'text', (c) => c.notNull())
    .addColumn('body_md', 'text', (c) => c.notNull())
    .addColumn('effective_at', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addUniqueConstraint('rulebooks_kind_version', ['kind', 'version'])
    .execute();
  await db.schema.createIndex('rulebooks_effective').on('rulebooks').columns(['effective_at', 'kind']).execute();

  await db.schema
    .createTable('rulebook_acceptances')
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('rulebook_id', 'text', (c) => c.notNull().references('rulebooks.id'))
    .addColumn('accepted_at', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('rulebook_acceptances_pk', ['user_id', 'rulebook_id'])
    .execute();

  await db.schema
    .createTable('rosters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('published_at', 'text', (c) => c.notNull())
    .addColumn('entries', 'text', (c) => c.notNull())
    .addColumn('entry_count', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('password_setup_tokens')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .addColumn('used_at', 'text')
    .execute();
  await db.schema.createIndex('password_setup_tokens_user').on('password_setup_tokens').columns(['user_id']).execute();
}
