/**
 * Repositories of the membership feature: the SQL behind `MembershipRepos`. Rows become domain records
 * (0/1 → boolean, JSON text → objects) so both dialects look the same to the core.
 */
import type { Kysely, Selectable } from 'kysely';
import { Conflict } from '../core/errors.js';
import type { Category, Contact, MemberClass, Organization, Sector } from '../core/model.js';
import type {
  ApplicableClass,
  ApplicationEventKind,
  ApplicationStatus,
  ChangeFields,
  EventRole,
  MembershipEventKind,
  RequestStatus,
  RosterEntry,
  RulebookKind,
} from '../core/membership/model.js';
import type {
  ApplicationRecord,
  ChangeNotificationRecord,
  ClassChangeRecord,
  MembershipEventRecord,
  MembershipRepos,
  RulebookHead,
  RulebookRecord,
} from '../core/membership/ports.js';
import type {
  ApplicationsTable,
  ChangeNotificationsTable,
  ClassChangeRequestsTable,
  MembershipEventsTable,
  RulebooksTable,
} from './membership-schema.js';
import { toOrganization } from './repos.js';
import type { Database, OrganizationsTable } from './schema.js';

const bool = (v: number | boolean): boolean => v === 1 || v === true;
const int = (v: boolean): number => (v ? 1 : 0);
const num = (v: number | string | null): number | null => (v === null ? null : Number(v));
const json = <T>(v: string): T => JSON.parse(v) as T;

/** A unique index refused the row (SQLite and PostgreSQL name it differently). */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

// ---------------------------------------------------------------- organisations' membership columns

export function membershipOfOrganization(
  r: Selectable<OrganizationsTable>,
): Pick<Organization, 'status' | 'statusReason' | 'specialApproval' | 'foreignCapitalShare' | 'rosterConsent' | 'periodJoined' | 'contacts'> {
  return {
    status: r.status as Organization['status'],
    statusReason: r.status_reason,
    specialApproval:
      r.special_approval_at !== null ? { at: r.special_approval_at, reason: r.special_approval_reason ?? '' } : null,
    foreignCapitalShare: num(r.foreign_capital_share),
    rosterConsent: bool(r.roster_consent),
    periodJoined: num(r.period_joined),
    contacts: json<Contact[]>(r.contacts),
  };
}

export function membershipOrganizationColumns(o: Partial<Organization>): Partial<OrganizationsTable> {
  const c: Partial<OrganizationsTable> = {};
  if (o.status !== undefined) c.status = o.status;
  if (o.statusReason !== undefined) c.status_reason = o.statusReason;
  if (o.specialApproval !== undefined) {
    c.special_approval_at = o.specialApproval?.at ?? null;
    c.special_approval_reason = o.specialApproval?.reason ?? null;
  }
  if (o.foreignCapitalShare !== undefined) c.foreign_capital_share = o.foreignCapitalShare;
  if (o.rosterConsent !== undefined) c.roster_consent = int(o.rosterConsent);
  if (o.periodJoined !== undefined) c.period_joined = o.periodJoined;
  if (o.contacts !== undefined) c.contacts = JSON.stringify(o.contacts);
  return c;
}

// ---------------------------------------------------------------- row mappers

function toApplication(r: Selectable<ApplicationsTable>): ApplicationRecord {
  return {
    id: r.id,
    periodNumber: Number(r.period_number),
    status: r.status as ApplicationStatus,
    accessTokenHash: r.access_token_hash,
    nameJa: r.name_ja,
    nameEn: r.name_en,
    nameJaNorm: r.name_ja_norm,
    nameEnNorm: r.name_en_norm,
    emailDomain: r.email_domain,
    category: r.category as Category,
    sector: r.sector as Sector | null,
    address: r.address,
    foreignCapital: bool(r.foreign_capital),
    foreignCapitalShare: num(r.foreign_capital_share),
    requestedClass: r.requested_class as ApplicableClass,
    contacts: json<Contact[]>(r.contacts),
    reason: r.reason,
    capabilities: r.capabilities,
    quickFeedbackCommitment: bool(r.quick_feedback_commitment),
    rosterConsent: bool(r.roster_consent),
    locale: r.locale === 'en' ? 'en' : 'ja',
    decidedClass: r.decided_class as ApplicableClass | null,
    decisionReason: r.decision_reason,
    decidedAt: r.decided_at,
    orgId: r.org_id,
    adminUserId: r.admin_user_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function applicationColumns(a: Partial<ApplicationRecord>): Partial<ApplicationsTable> {
  const c: Partial<ApplicationsTable> = {};
  const set = <K extends keyof ApplicationsTable>(k: K, v: ApplicationsTable[K] | undefined) => {
    if (v !== undefined) c[k] = v;
  };
  set('id', a.id);
  set('period_number', a.periodNumber);
  set('status', a.status);
  set('access_token_hash', a.accessTokenHash);
  set('name_ja', a.nameJa);
  set('name_en', a.nameEn);
  set('name_ja_norm', a.nameJaNorm);
  set('name_en_norm', a.nameEnNorm);
  set('email_domain', a.emailDomain);
  set('category', a.category);
  set('sector', a.sector);
  set('address', a.address);
  set('foreign_capital', a.foreignCapital === undefined ? undefined : int(a.foreignCapital));
  set('foreign_capital_share', a.foreignCapitalShare);
  set('requested_class', a.requestedClass);
  set('contacts', a.contacts === undefined ? undefined : JSON.stringify(a.contacts));
  set('reason', a.reason);
  set('capabilities', a.capabilities);
  set('quick_feedback_commitment', a.quickFeedbackCommitment === undefined ? undefined : int(a.quickFeedbackCommitment));
  set('roster_consent', a.rosterConsent === undefined ? undefined : int(a.rosterConsent));
  set('locale', a.locale);
  set('decided_class', a.decidedClass);
  set('decision_reason', a.decisionReason);
  set('decided_at', a.decidedAt);
  set('org_id', a.orgId);
  set('admin_user_id', a.adminUserId);
  set('created_at', a.createdAt);
  set('updated_at', a.updatedAt);
  return c;
}

function toChange(r: Selectable<ChangeNotificationsTable>): ChangeNotificationRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    status: r.status as RequestStatus,
    changes: json<ChangeFields>(r.changes),
    note: r.note,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    reviewedBy: r.reviewed_by,
    reviewedAt: r.reviewed_at,
    reviewComment: r.review_comment,
  };
}

function changeColumns(x: Partial<ChangeNotificationRecord>): Partial<ChangeNotificationsTable> {
  const c: Partial<ChangeNotificationsTable> = {};
  if (x.id !== undefined) c.id = x.id;
  if (x.orgId !== undefined) c.org_id = x.orgId;
  if (x.status !== undefined) c.status = x.status;
  if (x.changes !== undefined) c.changes = JSON.stringify(x.changes);
  if (x.note !== undefined) c.note = x.note;
  if (x.submittedBy !== undefined) c.submitted_by = x.submittedBy;
  if (x.submittedAt !== undefined) c.submitted_at = x.submittedAt;
  if (x.reviewedBy !== undefined) c.reviewed_by = x.reviewedBy;
  if (x.reviewedAt !== undefined) c.reviewed_at = x.reviewedAt;
  if (x.reviewComment !== undefined) c.review_comment = x.reviewComment;
  return c;
}

function toClassChange(r: Selectable<ClassChangeRequestsTable>): ClassChangeRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    fromClass: r.from_class as MemberClass,
    requestedClass: r.requested_class as ApplicableClass,
    reason: r.reason,
    capabilities: r.capabilities,
    quickFeedbackCommitment: bool(r.quick_feedback_commitment),
    status: r.status as RequestStatus,
    decidedClass: r.decided_class as ApplicableClass | null,
    decisionReason: r.decision_reason,
    submittedBy: r.submitted_by,
    submittedAt: r.submitted_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
  };
}

function classChangeColumns(x: Partial<ClassChangeRecord>): Partial<ClassChangeRequestsTable> {
  const c: Partial<ClassChangeRequestsTable> = {};
  if (x.id !== undefined) c.id = x.id;
  if (x.orgId !== undefined) c.org_id = x.orgId;
  if (x.fromClass !== undefined) c.from_class = x.fromClass;
  if (x.requestedClass !== undefined) c.requested_class = x.requestedClass;
  if (x.reason !== undefined) c.reason = x.reason;
  if (x.capabilities !== undefined) c.capabilities = x.capabilities;
  if (x.quickFeedbackCommitment !== undefined) c.quick_feedback_commitment = int(x.quickFeedbackCommitment);
  if (x.status !== undefined) c.status = x.status;
  if (x.decidedClass !== undefined) c.decided_class = x.decidedClass;
  if (x.decisionReason !== undefined) c.decision_reason = x.decisionReason;
  if (x.submittedBy !== undefined) c.submitted_by = x.submittedBy;
  if (x.submittedAt !== undefined) c.submitted_at = x.submittedAt;
  if (x.decidedBy !== undefined) c.decided_by = x.decidedBy;
  if (x.decidedAt !== undefined) c.decided_at = x.decidedAt;
  return c;
}

function toMembershipEvent(r: Selectable<MembershipEventsTable>): MembershipEventRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    at: r.at,
    kind: r.kind as MembershipEventKind,
    fromClass: r.from_class as MemberClass | null,
    toClass: r.to_class as MemberClass | null,
    periodNumber: num(r.period_number),
    reason: r.reason,
    actorLabel: r.actor_label,
  };
}

function toRulebookHead(r: Omit<Selectable<RulebooksTable>, 'body_md'>): RulebookHead {
  return {
    id: r.id,
    kind: r.kind as RulebookKind,
    version: Number(r.version),
    titleJa: r.title_ja,
    titleEn: r.title_en,
    effectiveAt: r.effective_at,
    createdAt: r.created_at,
    createdBy: r.created_by,
  };
}

const rulebookHeadColumns = ['id', 'kind', 'version', 'title_ja', 'title_en', 'effective_at', 'created_at', 'created_by'] as const;

/** Build the membership repositories over a connection or a transaction. */
export function createMembershipRepos(db: Kysely<Database>): MembershipRepos {
  const changesWithOrgNames = () =>
    db
      .selectFrom('change_notifications')
      .innerJoin('organizations as o', 'o.id', 'change_notifications.org_id')
      .selectAll('change_notifications')
      .select(['o.name_ja as org_name_ja', 'o.name_en as org_name_en']);

  return {
    periods: {
      async insert(p) {
        await db
          .insertInto('recruitment_periods')
          .values({
            number: p.number,
            opens_at: p.opensAt,
            closes_at: p.closesAt,
            decision_date: p.decisionDate,
            created_at: p.createdAt,
            updated_at: p.updatedAt,
          })
          .execute();
      },
      async update(number, p) {
        const c: Partial<Database['recruitment_periods']> = {};
        if (p.opensAt !== undefined) c.opens_at = p.opensAt;
        if (p.closesAt !== undefined) c.closes_at = p.closesAt;
        if (p.decisionDate !== undefined) c.decision_date = p.decisionDate;
        if (p.updatedAt !== undefined) c.updated_at = p.updatedAt;
        if (Object.keys(c).length) await db.updateTable('recruitment_periods').set(c).where('number', '=', number).execute();
      },
      async delete(number) {
        await db.deleteFrom('recruitment_periods').where('number', '=', number).execute();
      },
      async byNumber(number) {
        const r = await db.selectFrom('recruitment_periods').selectAll().where('number', '=', number).executeTakeFirst();
        return r && periodOf(r);
      },
      async list() {
        return (await db.selectFrom('recruitment_periods').selectAll().orderBy('number', 'desc').execute()).map(periodOf);
      },
      async maxNumber() {
        const r = await db
          .selectFrom('recruitment_periods')
          .select((eb) => eb.fn.max('number').as('n'))
          .executeTakeFirst();
        return Number(r?.n ?? 0);
      },
    },

    applications: {
      async insert(a) {
        try {
          await db.insertInto('applications').values(applicationColumns(a) as ApplicationsTable).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw new Conflict('duplicate_application');
          throw err;
        }
      },
      async update(id, patch) {
        const cols = applicationColumns(patch);
        if (!Object.keys(cols).length) return;
        try {
          await db.updateTable('applications').set(cols).where('id', '=', id).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw new Conflict('duplicate_application');
          throw err;
        }
      },
      async byId(id) {
        const r = await db.selectFrom('applications').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toApplication(r);
      },
      async byTokenHash(hash) {
        const r = await db.selectFrom('applications').selectAll().where('access_token_hash', '=', hash).executeTakeFirst();
        return r && toApplication(r);
      },
      async list(f) {
        let q = db.selectFrom('applications').selectAll().orderBy('id', 'desc').limit(f.limit);
        if (f.status) q = q.where('status', '=', f.status);
        if (f.periodNumber !== undefined) q = q.where('period_number', '=', f.periodNumber);
        if (f.requestedClass) q = q.where('requested_class', '=', f.requestedClass);
        if (f.nameLike) {
          // Normalised on both sides (lower case, no spaces), so LIKE behaves the same on both dialects.
          const pattern = `%${f.nameLike.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
          q = q.where((eb) =>
            eb.or([
              eb('name_ja_norm', 'like', eb.val(pattern)),
              eb('name_en_norm', 'like', eb.val(pattern)),
            ]),
          );
        }
        if (f.beforeId) q = q.where('id', '<', f.beforeId);
        return (await q.execute()).map(toApplication);
      },
      async findDuplicate({ periodNumber, nameJaNorm, nameEnNorm, emailDomain, exceptId }) {
        let q = db
          .selectFrom('applications')
          .selectAll()
          .where('period_number', '=', periodNumber)
          .where('status', 'not in', ['rejected', 'withdrawn'])
          .where((eb) => {
            const same = [eb('name_ja_norm', '=', nameJaNorm), eb('name_en_norm', '=', nameEnNorm)];
            if (emailDomain) same.push(eb('email_domain', '=', emailDomain));
            return eb.or(same);
          })
          .limit(1);
        if (exceptId) q = q.where('id', '!=', exceptId);
        const r = await q.executeTakeFirst();
        return r && toApplication(r);
      },
      async countByPeriod(periodNumber) {
        const r = await db
          .selectFrom('applications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('period_number', '=', periodNumber)
          .executeTakeFirstOrThrow();
        return Number(r.n);
      },
    },

    applicationEvents: {
      async insert(e) {
        await db
          .insertInto('application_events')
          .values({
            id: e.id,
            application_id: e.applicationId,
            at: e.at,
            kind: e.kind,
            role: e.role,
            actor_label: e.actorLabel,
            message: e.message,
            detail: JSON.stringify(e.detail),
          })
          .execute();
      },
      async list(applicationId) {
        const rows = await db
          .selectFrom('application_events')
          .selectAll()
          .where('application_id', '=', applicationId)
          .orderBy('id')
          .execute();
        return rows.map((r) => ({
          id: r.id,
          applicationId: r.application_id,
          at: r.at,
          kind: r.kind as ApplicationEventKind,
          role: r.role as EventRole,
          actorLabel: r.actor_label,
          message: r.message,
          detail: json<Record<string, unknown>>(r.detail),
        }));
      },
    },

    changeNotifications: {
      async insert(c) {
        await db.insertInto('change_notifications').values(changeColumns(c) as ChangeNotificationsTable).execute();
      },
      async update(id, patch) {
        const cols = changeColumns(patch);
        if (Object.keys(cols).length) await db.updateTable('change_notifications').set(cols).where('id', '=', id).execute();
      },
      async byId(id) {
        const r = await changesWithOrgNames().where('change_notifications.id', '=', id).executeTakeFirst();
        return r && { ...toChange(r), orgNameJa: r.org_name_ja, orgNameEn: r.org_name_en };
      },
      async list(f) {
        let q = changesWithOrgNames().orderBy('change_notifications.id', 'desc').limit(f.limit);
        if (f.status) q = q.where('change_notifications.status', '=', f.status);
        if (f.orgId) q = q.where('change_notifications.org_id', '=', f.orgId);
        if (f.beforeId) q = q.where('change_notifications.id', '<', f.beforeId);
        return (await q.execute()).map((r) => ({ ...toChange(r), orgNameJa: r.org_name_ja, orgNameEn: r.org_name_en }));
      },
    },

    classChanges: {
      async insert(c) {
        try {
          await db.insertInto('class_change_requests').values(classChangeColumns(c) as ClassChangeRequestsTable).execute();
        } catch (err) {
          if (isUniqueViolation(err)) throw new Conflict('class_change_pending');
          throw err;
        }
      },
      async update(id, patch) {
        const cols = classChangeColumns(patch);
        if (Object.keys(cols).length) await db.updateTable('class_change_requests').set(cols).where('id', '=', id).execute();
      },
      async byId(id) {
        const r = await db
          .selectFrom('class_change_requests')
          .innerJoin('organizations as o', 'o.id', 'class_change_requests.org_id')
          .selectAll('class_change_requests')
          .select(['o.name_ja as org_name_ja', 'o.name_en as org_name_en'])
          .where('class_change_requests.id', '=', id)
          .executeTakeFirst();
        return r && { ...toClassChange(r), orgNameJa: r.org_name_ja, orgNameEn: r.org_name_en };
      },
      async list(f) {
        let q = db
          .selectFrom('class_change_requests')
          .innerJoin('organizations as o', 'o.id', 'class_change_requests.org_id')
          .selectAll('class_change_requests')
          .select(['o.name_ja as org_name_ja', 'o.name_en as org_name_en'])
          .orderBy('class_change_requests.id', 'desc')
          .limit(f.limit);
        if (f.status) q = q.where('class_change_requests.status', '=', f.status);
        if (f.orgId) q = q.where('class_change_requests.org_id', '=', f.orgId);
        if (f.beforeId) q = q.where('class_change_requests.id', '<', f.beforeId);
        return (await q.execute()).map((r) => ({ ...toClassChange(r), orgNameJa: r.org_name_ja, orgNameEn: r.org_name_en }));
      },
    },

    membershipEvents: {
      async insert(e) {
        await db
          .insertInto('membership_events')
          .values({
            id: e.id,
            org_id: e.orgId,
            at: e.at,
            kind: e.kind,
            from_class: e.fromClass,
            to_class: e.toClass,
            period_number: e.periodNumber,
            reason: e.reason,
            actor_label: e.actorLabel,
          })
          .execute();
      },
      async listByOrg(orgId, limit) {
        const rows = await db
          .selectFrom('membership_events')
          .selectAll()
          .where('org_id', '=', orgId)
          .orderBy('id', 'desc')
          .limit(limit)
          .execute();
        return rows.map(toMembershipEvent);
      },
      async all() {
        return (await db.selectFrom('membership_events').selectAll().orderBy('at').orderBy('id').execute()).map(toMembershipEvent);
      },
    },

    members: {
      async all() {
        const rows = await db.selectFrom('organizations').selectAll().where('is_secretariat', '=', 0).orderBy('id').execute();
        return rows.map(toOrganization);
      },
    },

    rulebooks: {
      async insert(r) {
        await db
          .insertInto('rulebooks')
          .values({
            id: r.id,
            kind: r.kind,
            version: r.version,
            title_ja: r.titleJa,
            title_en: r.titleEn,
            body_md: r.bodyMd,
            effective_at: r.effectiveAt,
            created_at: r.createdAt,
            created_by: r.createdBy,
          })
          .execute();
      },
      async byId(id) {
        const r = await db.selectFrom('rulebooks').selectAll().where('id', '=', id).executeTakeFirst();
        return r && ({ ...toRulebookHead(r), bodyMd: r.body_md } satisfies RulebookRecord);
      },
      async maxVersion(kind) {
        const r = await db
          .selectFrom('rulebooks')
          .select((eb) => eb.fn.max('version').as('n'))
          .where('kind', '=', kind)
          .executeTakeFirst();
        return Number(r?.n ?? 0);
      },
      async effective(at) {
        const rows = await db
          .selectFrom('rulebooks')
          .select(rulebookHeadColumns)
          .where('effective_at', '<=', at)
          .orderBy('kind')
          .orderBy('effective_at', 'desc')
          .orderBy('version', 'desc')
          .execute();
        return rows.map(toRulebookHead);
      },
      async list(kind) {
        let q = db.selectFrom('rulebooks').select(rulebookHeadColumns).orderBy('kind').orderBy('version', 'desc');
        if (kind) q = q.where('kind', '=', kind);
        return (await q.execute()).map(toRulebookHead);
      },
      async accept(userId, rulebookId, at) {
        await db
          .insertInto('rulebook_acceptances')
          .values({ user_id: userId, rulebook_id: rulebookId, accepted_at: at })
          .onConflict((oc) => oc.columns(['user_id', 'rulebook_id']).doNothing())
          .execute();
      },
      async acceptances(userId, rulebookIds) {
        if (!rulebookIds.length) return [];
        const rows = await db
          .selectFrom('rulebook_acceptances')
          .select(['rulebook_id', 'accepted_at'])
          .where('user_id', '=', userId)
          .where('rulebook_id', 'in', rulebookIds)
          .execute();
        return rows.map((r) => ({ rulebookId: r.rulebook_id, acceptedAt: r.accepted_at }));
      },
    },

    rosters: {
      async insert(r) {
        await db
          .insertInto('rosters')
          .values({
            id: r.id,
            as_of: r.asOf,
            published_at: r.publishedAt,
            entries: JSON.stringify(r.entries),
            entry_count: r.count,
          })
          .execute();
      },
      async latest() {
        const r = await db.selectFrom('rosters').selectAll().orderBy('id', 'desc').limit(1).executeTakeFirst();
        return r && rosterOf(r);
      },
      async byId(id) {
        const r = await db.selectFrom('rosters').selectAll().where('id', '=', id).executeTakeFirst();
        return r && rosterOf(r);
      },
      async list({ beforeId, limit }) {
        let q = db
          .selectFrom('rosters')
          .select(['id', 'as_of', 'published_at', 'entry_count'])
          .orderBy('id', 'desc')
          .limit(limit);
        if (beforeId) q = q.where('id', '<', beforeId);
        return (await q.execute()).map((r) => ({
          id: r.id,
          asOf: r.as_of,
          publishedAt: r.published_at,
          count: Number(r.entry_count),
        }));
      },
    },

    passwordSetup: {
      async insert(r) {
        await db
          .insertInto('password_setup_tokens')
          .values({
            token_hash: r.tokenHash,
            user_id: r.userId,
            created_at: r.createdAt,
            expires_at: r.expiresAt,
            used_at: r.usedAt,
          })
          .execute();
      },
      async byHash(hash) {
        const r = await db.selectFrom('password_setup_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
        return (
          r && { tokenHash: r.token_hash, userId: r.user_id, createdAt: r.created_at, expiresAt: r.expires_at, usedAt: r.used_at }
        );
      },
      async markUsed(hash, at) {
        await db.updateTable('password_setup_tokens').set({ used_at: at }).where('token_hash', '=', hash).execute();
      },
      async invalidateForUser(userId, at) {
        await db
          .updateTable('password_setup_tokens')
          .set({ expires_at: at })
          .where('user_id', '=', userId)
          .where('used_at', 'is', null)
          .execute();
      },
      async completed(userId) {
        const r = await db
          .selectFrom('password_setup_tokens')
          .select('token_hash')
          .where('user_id', '=', userId)
          .where('used_at', 'is not', null)
          .limit(1)
          .executeTakeFirst();
        return r !== undefined;
      },
    },
  };
}

function periodOf(r: Selectable<Database['recruitment_periods']>) {
  return {
    number: Number(r.number),
    opensAt: r.opens_at,
    closesAt: r.closes_at,
    decisionDate: r.decision_date,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function rosterOf(r: Selectable<Database['rosters']>) {
  return {
    id: r.id,
    asOf: r.as_of,
    publishedAt: r.published_at,
    entries: json<RosterEntry[]>(r.entries),
    count: Number(r.entry_count),
  };
}
