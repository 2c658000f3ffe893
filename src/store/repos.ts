/**
 * Repositories: the SQL behind the core's ports. They convert rows to domain types (0/1 → boolean,
 * JSON text → object) so both dialects look the same to the core.
 */
import type { Kysely, Selectable } from 'kysely';
import { auditRowHash } from '../core/audit-chain.js';
import type { AuditEntry, Category, Organization, Sector, MemberClass, UserRole } from '../core/model.js';
import type { ApiTokenRecord, AuditInput, Repos, SessionRecord, UserRecord } from '../core/ports.js';
import type { Dialect } from './connect.js';
import { createSharingRepos } from './sharing-repos.js';
import { createMarkRepos } from './marks-repos.js';
import { createRequestRepos } from './requests-repos.js';
import { createInteropRepos } from './interop-repos.js';
import { createNotificationRepos } from './notifications-repos.js';
import { createInsightRepos } from './insight-repos.js';
import { createSearchRepos } from './search-repos.js';
import { createMembershipRepos, membershipOfOrganization, membershipOrganizationColumns } from './membership-repos.js';
import type { ApiTokensTable, AuditLogTable, Database, OrganizationsTable, UsersTable } from './schema.js';

const bool = (v: number | boolean): boolean => v === 1 || v === true;
const int = (v: boolean): number => (v ? 1 : 0);

export function toOrganization(r: Selectable<OrganizationsTable>): Organization {
  return {
    id: r.id,
    nameJa: r.name_ja,
    nameEn: r.name_en,
    category: r.category as Category,
    sector: r.sector as Sector | null,
    foreignCapital: bool(r.foreign_capital),
    memberClass: r.member_class as MemberClass,
    designated: bool(r.designated),
    isSecretariat: bool(r.is_secretariat),
    active: bool(r.active),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...membershipOfOrganization(r),
  };
}

function organizationColumns(o: Partial<Organization>): Partial<OrganizationsTable> {
  const c: Partial<OrganizationsTable> = {};
  if (o.id !== undefined) c.id = o.id;
  if (o.nameJa !== undefined) c.name_ja = o.nameJa;
  if (o.nameEn !== undefined) c.name_en = o.nameEn;
  if (o.category !== undefined) c.category = o.category;
  if (o.sector !== undefined) c.sector = o.sector;
  if (o.foreignCapital !== undefined) c.foreign_capital = int(o.foreignCapital);
  if (o.memberClass !== undefined) c.member_class = o.memberClass;
  if (o.designated !== undefined) c.designated = int(o.designated);
  if (o.isSecretariat !== undefined) c.is_secretariat = int(o.isSecretariat);
  if (o.active !== undefined) c.active = int(o.active);
  if (o.createdAt !== undefined) c.created_at = o.createdAt;
  if (o.updatedAt !== undefined) c.updated_at = o.updatedAt;
  return { ...c, ...membershipOrganizationColumns(o) };
}

export function toUser(r: Selectable<UsersTable>): UserRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    login: r.login,
    displayName: r.display_name,
    email: r.email,
    role: r.role as UserRole,
    locale: r.locale === 'en' ? 'en' : 'ja',
    totpEnabled: r.totp_secret !== null,
    active: bool(r.active),
    lastLoginAt: r.last_login_at,
    createdAt: r.created_at,
    passwordHash: r.password_hash,
    totpSecret: r.totp_secret,
    totpPendingSecret: r.totp_pending_secret,
    totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
    isCommittee: bool(r.is_committee),
  };
}

function userColumns(u: Partial<UserRecord>): Partial<UsersTable> {
  const c: Partial<UsersTable> = {};
  if (u.id !== undefined) c.id = u.id;
  if (u.orgId !== undefined) c.org_id = u.orgId;
  if (u.login !== undefined) c.login = u.login;
  if (u.displayName !== undefined) c.display_name = u.displayName;
  if (u.email !== undefined) c.email = u.email;
  if (u.role !== undefined) c.role = u.role;
  if (u.locale !== undefined) c.locale = u.locale;
  if (u.passwordHash !== undefined) c.password_hash = u.passwordHash;
  if (u.totpSecret !== undefined) c.totp_secret = u.totpSecret;
  if (u.totpPendingSecret !== undefined) c.totp_pending_secret = u.totpPendingSecret;
  if (u.totpLastStep !== undefined) c.totp_last_step = u.totpLastStep;
  if (u.active !== undefined) c.active = int(u.active);
  if (u.lastLoginAt !== undefined) c.last_login_at = u.lastLoginAt;
  if (u.createdAt !== undefined) c.created_at = u.createdAt;
  if (u.isCommittee !== undefined) c.is_committee = int(u.isCommittee);
  return c;
}

function toToken(r: Selectable<ApiTokensTable>): ApiTokenRecord {
  return {
    id: r.id,
    userId: r.user_id,
    name: r.name,
    tokenHash: r.token_hash,
    prefix: r.prefix,
    readOnly: bool(r.read_only),
    expiresAt: r.expires_at,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    revokedAt: r.revoked_at,
  };
}

function tokenColumns(t: Partial<ApiTokenRecord>): Partial<ApiTokensTable> {
  const c: Partial<ApiTokensTable> = {};
  if (t.id !== undefined) c.id = t.id;
  if (t.userId !== undefined) c.user_id = t.userId;
  if (t.name !== undefined) c.name = t.name;
  if (t.tokenHash !== undefined) c.token_hash = t.tokenHash;
  if (t.prefix !== undefined) c.prefix = t.prefix;
  if (t.readOnly !== undefined) c.read_only = int(t.readOnly);
  if (t.expiresAt !== undefined) c.expires_at = t.expiresAt;
  if (t.createdAt !== undefined) c.created_at = t.createdAt;
  if (t.lastUsedAt !== undefined) c.last_used_at = t.lastUsedAt;
  if (t.revokedAt !== undefined) c.revoked_at = t.revokedAt;
  return c;
}

export function toAuditEntry(r: Selectable<AuditLogTable>): AuditEntry {
  return {
    seq: Number(r.seq),
    at: r.at,
    actorUserId: r.actor_user_id,
    actorOrgId: r.actor_org_id,
    actorLabel: r.actor_label,
    action: r.action,
    targetType: r.target_type,
    targetId: r.target_id,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    ip: r.ip,
    hash: r.hash,
  };
}

function sessionFromRow(r: Selectable<Database['sessions']>): SessionRecord {
  return {
    idHash: r.id_hash,
    userId: r.user_id,
    csrfToken: r.csrf_token,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastSeenAt: r.last_seen_at,
    ip: r.ip,
    userAgent: r.user_agent,
  };
}

/** Build the repositories over a connection or a transaction. */
export function createRepos(db: Kysely<Database>, dialect: Dialect): Repos {
  return {
    ...createMembershipRepos(db),
    sharing: createSharingRepos(db),
    marks: createMarkRepos(db),
    requests: createRequestRepos(db),
    interop: createInteropRepos(db, dialect),
    notifications: createNotificationRepos(db, dialect),
    insight: createInsightRepos(db, dialect),
    search: createSearchRepos(db, dialect),
    organizations: {
      async insert(org) {
        await db.insertInto('organizations').values(organizationColumns(org) as OrganizationsTable).execute();
      },
      async update(id, patch) {
        const cols = organizationColumns(patch);
        if (Object.keys(cols).length) await db.updateTable('organizations').set(cols).where('id', '=', id).execute();
      },
      async byId(id) {
        const r = await db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toOrganization(r);
      },
      async secretariat() {
        const r = await db.selectFrom('organizations').selectAll().where('is_secretariat', '=', 1).executeTakeFirst();
        return r && toOrganization(r);
      },
      async list({ after, limit }) {
        let q = db.selectFrom('organizations').selectAll().orderBy('id').limit(limit);
        if (after) q = q.where('id', '>', after);
        return (await q.execute()).map(toOrganization);
      },
    },

    users: {
      async insert(user) {
        await db.insertInto('users').values(userColumns(user) as UsersTable).execute();
      },
      async update(id, patch) {
        const cols = userColumns(patch);
        if (Object.keys(cols).length) await db.updateTable('users').set(cols).where('id', '=', id).execute();
      },
      async byId(id) {
        const r = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toUser(r);
      },
      async byLogin(login) {
        const r = await db.selectFrom('users').selectAll().where('login', '=', login.toLowerCase()).executeTakeFirst();
        return r && toUser(r);
      },
      async listByOrg(orgId, { after, limit }) {
        let q = db.selectFrom('users').selectAll().where('org_id', '=', orgId).orderBy('id').limit(limit);
        if (after) q = q.where('id', '>', after);
        return (await q.execute()).map(toUser);
      },
      async count() {
        const r = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
        return Number(r.n);
      },
    },

    sessions: {
      async insert(s) {
        await db
          .insertInto('sessions')
          .values({
            id_hash: s.idHash,
            user_id: s.userId,
            csrf_token: s.csrfToken,
            created_at: s.createdAt,
            expires_at: s.expiresAt,
            last_seen_at: s.lastSeenAt,
            ip: s.ip,
            user_agent: s.userAgent,
          })
          .execute();
      },
      async byHash(idHash) {
        const r = await db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
        return r && sessionFromRow(r);
      },
      async touch(idHash, lastSeenAt, expiresAt) {
        await db
          .updateTable('sessions')
          .set({ last_seen_at: lastSeenAt, expires_at: expiresAt })
          .where('id_hash', '=', idHash)
          .execute();
      },
      async delete(idHash) {
        await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
      },
      async deleteForUser(userId, exceptHash) {
        let q = db.deleteFrom('sessions').where('user_id', '=', userId);
        if (exceptHash) q = q.where('id_hash', '!=', exceptHash);
        await q.execute();
      },
      async deleteExpired(now) {
        const r = await db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
        return Number(r.numDeletedRows);
      },
    },

    tokens: {
      async insert(t) {
        await db.insertInto('api_tokens').values(tokenColumns(t) as ApiTokensTable).execute();
      },
      async byHash(tokenHash) {
        const r = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
        return r && toToken(r);
      },
      async byId(id) {
        const r = await db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toToken(r);
      },
      async listByUser(userId) {
        const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', userId).orderBy('id', 'desc').execute();
        return rows.map(toToken);
      },
      async update(id, patch) {
        const cols = tokenColumns(patch);
        if (Object.keys(cols).length) await db.updateTable('api_tokens').set(cols).where('id', '=', id).execute();
      },
    },

    loginFailures: {
      async record(login, ip, at) {
        await db.insertInto('login_failures').values({ login, ip, at }).execute();
      },
      async count({ login, ip, since }) {
        const byLogin = await db
          .selectFrom('login_failures')
          .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('at').as('lastAt')])
          .where('login', '=', login)
          .where('at', '>=', since)
          .executeTakeFirstOrThrow();
        const byIp = ip
          ? await db
              .selectFrom('login_failures')
              .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('at').as('lastAt')])
              .where('ip', '=', ip)
              .where('at', '>=', since)
              .executeTakeFirstOrThrow()
          : { n: 0, lastAt: null };
        // The latest failure of either kind: guesses spread over many logins are slowed down by their address.
        const lastAt = [byLogin.lastAt, byIp.lastAt].filter((a): a is string => typeof a === 'string').sort().at(-1) ?? null;
        return { byLogin: Number(byLogin.n), byIp: Number(byIp.n), lastAt };
      },
      async clear(login) {
        await db.deleteFrom('login_failures').where('login', '=', login).execute();
      },
    },

    audit: {
      async append(e: AuditInput) {
        // Serialise appenders: on PostgreSQL the row lock on the head orders concurrent transactions
        // (several server processes); on SQLite the write transaction already does.
        const headQuery = db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1);
        const head = await (dialect === 'postgres' ? headQuery.forUpdate() : headQuery).executeTakeFirstOrThrow();
        const seq = Number(head.seq) + 1;
        const hash = auditRowHash(seq, head.hash, e);
        const row = {
          seq,
          at: e.at,
          actor_user_id: e.actorUserId,
          actor_org_id: e.actorOrgId,
          actor_label: e.actorLabel,
          action: e.action,
          target_type: e.targetType,
          target_id: e.targetId,
          detail: JSON.stringify(e.detail),
          ip: e.ip,
          prev_hash: head.hash,
          hash,
        };
        await db.insertInto('audit_log').values(row).execute();
        await db.updateTable('audit_head').set({ seq, hash }).where('id', '=', 1).execute();
        return toAuditEntry(row);
      },
      async list(f) {
        let q = db.selectFrom('audit_log').selectAll().orderBy('seq', 'desc').limit(f.limit);
        if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
        if (f.action) q = q.where('action', '=', f.action);
        if (f.actorUserId) q = q.where('actor_user_id', '=', f.actorUserId);
        if (f.actorOrgId) q = q.where('actor_org_id', '=', f.actorOrgId);
        if (f.targetId) q = q.where('target_id', '=', f.targetId);
        if (f.from) q = q.where('at', '>=', f.from);
        if (f.to) q = q.where('at', '<', f.to);
        return (await q.execute()).map(toAuditEntry);
      },
    },

    settings: {
      async get(key) {
        const r = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
        return r ? (JSON.parse(r.value) as unknown) : undefined;
      },
      async set(key, value) {
        const v = JSON.stringify(value);
        await db
          .insertInto('settings')
          .values({ key, value: v })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: v }))
          .execute();
      },
    },
  };
}
