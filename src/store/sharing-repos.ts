/** SQL behind the sharing ports. The access policy's ReadFilter becomes a WHERE clause here. */
import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { ReadFilter } from '../core/policy.js';
import type { AdvisoryContent, Observable, Sighting, Stage, Tlp } from '../core/sharing/model.js';
import type {
  AdvisoryRecord,
  AttachmentRecord,
  VersionRecord,
  CommentRecord,
  FeedbackRecord,
  ReleaseRecord,
  ReportRecord,
  SharingRepos,
} from '../core/sharing/ports.js';
import { v7 as uuidv7 } from 'uuid';
import type { Database } from './schema.js';

const bool = (v: number | boolean): boolean => v === 1 || v === true;
const int = (v: boolean): number => (v ? 1 : 0);

type Visible = 'reports' | 'advisories' | 'stix_objects';

/**
 * Translate the policy's filter: OR of clauses, each an AND of stage, TLP, owner and named-recipient
 * conditions. Kept in step with `matches` in the policy by the policy table test.
 */
export function visibleWhere(table: Visible, filter: ReadFilter, userId: string | undefined) {
  const ref = (col: 'stage' | 'tlp' | 'org_id' | 'id' | 'item_id') => sql.ref<string>(`${table}.${col}`);
  // A STIX object carries the facts of the item it came from; the item's recipients are found by its id.
  const itemId = table === 'stix_objects' ? ref('item_id') : ref('id');
  return (eb: ExpressionBuilder<Database, Visible>) =>
    eb.or(
      filter.map((c) => {
        const parts: Expression<SqlBool>[] = [];
        if (c.stages) parts.push(eb(ref('stage'), 'in', [...c.stages]));
        if (c.tlps) parts.push(eb(ref('tlp'), 'in', [...c.tlps]));
        if (c.ownerOrgId !== undefined) parts.push(eb(ref('org_id'), '=', c.ownerOrgId));
        if (c.recipientUserId !== undefined) {
          parts.push(
            eb.exists(
              eb
                .selectFrom('item_recipients')
                .select('item_recipients.item_id')
                .where('item_recipients.item_id', '=', itemId)
                .where('item_recipients.user_id', '=', userId ?? '')
                // A probe per candidate row, never a hash of all the user's TLP:RED items: with an OFFSET,
                // PostgreSQL keeps the EXISTS correlated (else it hashes every item naming the user before
                // the first row — 70 ms at 1,000,000 reports, where the newest 50 need ~10 index probes).
                .limit(1)
                .offset(0),
            ),
          );
        }
        return eb.and(parts);
      }),
    );
}

function toReport(r: Selectable<Database['reports']>): ReportRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    userId: r.user_id,
    stage: r.stage as Stage,
    tlp: r.tlp as Tlp,
    kind: r.kind as ReportRecord['kind'],
    certainty: r.certainty as ReportRecord['certainty'],
    confidence: r.confidence as ReportRecord['confidence'],
    isConsultation: bool(r.is_consultation),
    isOriginal: bool(r.is_original),
    providerNamed: bool(r.provider_named),
    title: r.title,
    description: r.description,
    attackSource: r.attack_source,
    technique: r.technique,
    objective: r.objective,
    status: r.status as ReportRecord['status'],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function reportColumns(p: Partial<ReportRecord>): Partial<Database['reports']> {
  const c: Partial<Database['reports']> = {};
  if (p.id !== undefined) c.id = p.id;
  if (p.orgId !== undefined) c.org_id = p.orgId;
  if (p.userId !== undefined) c.user_id = p.userId;
  if (p.stage !== undefined) c.stage = p.stage;
  if (p.tlp !== undefined) c.tlp = p.tlp;
  if (p.kind !== undefined) c.kind = p.kind;
  if (p.certainty !== undefined) c.certainty = p.certainty;
  if (p.confidence !== undefined) c.confidence = p.confidence;
  if (p.isConsultation !== undefined) c.is_consultation = int(p.isConsultation);
  if (p.isOriginal !== undefined) c.is_original = int(p.isOriginal);
  if (p.providerNamed !== undefined) c.provider_named = int(p.providerNamed);
  if (p.title !== undefined) c.title = p.title;
  if (p.description !== undefined) c.description = p.description;
  if (p.attackSource !== undefined) c.attack_source = p.attackSource;
  if (p.technique !== undefined) c.technique = p.technique;
  if (p.objective !== undefined) c.objective = p.objective;
  if (p.status !== undefined) c.status = p.status;
  if (p.createdAt !== undefined) c.created_at = p.createdAt;
  if (p.updatedAt !== undefined) c.updated_at = p.updatedAt;
  return c;
}

function toAdvisory(r: Selectable<Database['advisories']>): AdvisoryRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    userId: r.user_id,
    stage: r.stage as Stage,
    tlp: r.tlp as Tlp,
    version: Number(r.version),
    title: r.title,
    sourceReportId: r.source_report_id,
    feedbackDeadline: r.feedback_deadline,
    releasedAt: r.released_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

function advisoryColumns(p: Partial<AdvisoryRecord>): Partial<Database['advisories']> {
  const c: Partial<Database['advisories']> = {};
  if (p.id !== undefined) c.id = p.id;
  if (p.orgId !== undefined) c.org_id = p.orgId;
  if (p.userId !== undefined) c.user_id = p.userId;
  if (p.stage !== undefined) c.stage = p.stage;
  if (p.tlp !== undefined) c.tlp = p.tlp;
  if (p.version !== undefined) c.version = p.version;
  if (p.title !== undefined) c.title = p.title;
  if (p.sourceReportId !== undefined) c.source_report_id = p.sourceReportId;
  if (p.feedbackDeadline !== undefined) c.feedback_deadline = p.feedbackDeadline;
  if (p.releasedAt !== undefined) c.released_at = p.releasedAt;
  if (p.createdAt !== undefined) c.created_at = p.createdAt;
  if (p.updatedAt !== undefined) c.updated_at = p.updatedAt;
  return c;
}

function toFeedback(r: Selectable<Database['feedback']>): FeedbackRecord {
  return {
    id: r.id,
    advisoryId: r.advisory_id,
    version: Number(r.version),
    orgId: r.org_id,
    userId: r.user_id,
    answer: r.answer as FeedbackRecord['answer'],
    comment: r.comment,
    sightings: JSON.parse(r.sightings) as Sighting[],
    late: bool(r.late),
    answeredAt: r.answered_at,
    updatedAt: r.updated_at,
  };
}

const toAttachment = (r: Selectable<Database['attachments']>): AttachmentRecord => ({
  id: r.id,
  reportId: r.report_id,
  filename: r.filename,
  mediaType: r.media_type,
  size: Number(r.size),
  sha256: r.sha256,
  createdAt: r.created_at,
});

const toVersion = (r: Selectable<Database['advisory_versions']>): VersionRecord => ({
  advisoryId: r.advisory_id,
  version: Number(r.version),
  content: JSON.parse(r.content) as AdvisoryContent,
  userId: r.user_id,
  note: r.note,
  createdAt: r.created_at,
});

function toRelease(r: Selectable<Database['releases']>): ReleaseRecord {
  return {
    id: r.id,
    advisoryId: r.advisory_id,
    version: Number(r.version),
    fromStage: r.from_stage as Stage,
    toStage: r.to_stage as Stage,
    userId: r.user_id,
    orgId: r.org_id,
    feedbackDeadline: r.feedback_deadline,
    confirmedFlags: JSON.parse(r.confirmed_flags) as string[],
    createdAt: r.created_at,
  };
}

async function countBy(
  db: Kysely<Database>,
  table: 'comments' | 'corroborations',
  reportIds: readonly string[],
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (reportIds.length === 0) return out;
  const rows = await db
    .selectFrom(table)
    .select((eb) => ['report_id', eb.fn.countAll<number>().as('n')])
    .where('report_id', 'in', [...reportIds])
    .groupBy('report_id')
    .execute();
  for (const r of rows) out.set(r.report_id, Number(r.n));
  return out;
}

export function createSharingRepos(db: Kysely<Database>): SharingRepos {
  return {
    reports: {
      async insert(r) {
        await db.insertInto('reports').values(reportColumns(r) as Database['reports']).execute();
      },
      async update(id, patch) {
        const cols = reportColumns(patch);
        if (Object.keys(cols).length) await db.updateTable('reports').set(cols).where('id', '=', id).execute();
      },
      async byId(id) {
        const r = await db.selectFrom('reports').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toReport(r);
      },
      async list(q) {
        let query = db
          .selectFrom('reports')
          .selectAll()
          .where(visibleWhere('reports', q.filter, q.userId))
          .orderBy('id', 'desc')
          .limit(q.limit);
        if (q.before) query = query.where('id', '<', q.before);
        if (q.kind) query = query.where('kind', '=', q.kind);
        if (q.consultations !== undefined) query = query.where('is_consultation', '=', int(q.consultations));
        return (await query.execute()).map(toReport);
      },
    },

    recipients: {
      async set(itemId, userIds) {
        await db.deleteFrom('item_recipients').where('item_id', '=', itemId).execute();
        if (userIds.length) {
          await db
            .insertInto('item_recipients')
            .values([...new Set(userIds)].map((user_id) => ({ item_id: itemId, user_id })))
            .execute();
        }
      },
      async list(itemId) {
        const rows = await db.selectFrom('item_recipients').select('user_id').where('item_id', '=', itemId).execute();
        return rows.map((r) => r.user_id);
      },
    },

    observables: {
      async replace(itemKind, itemId, list, at) {
        await db.deleteFrom('observables').where('item_id', '=', itemId).execute();
        // In chunks: SQLite takes at most 32,766 bound values per statement, and an imported STIX bundle can hold
        // tens of thousands of indicators.
        for (let i = 0; i < list.length; i += 1000) {
          await db
            .insertInto('observables')
            .values(list.slice(i, i + 1000).map((o) => ({ id: uuidv7(), item_kind: itemKind, item_id: itemId, type: o.type, value: o.value, created_at: at })))
            .execute();
        }
      },
      async forItem(itemId) {
        const rows = await db.selectFrom('observables').select(['type', 'value']).where('item_id', '=', itemId).orderBy('id').execute();
        return rows as Observable[];
      },
      async itemsWith(values, excludeItemId) {
        const rows: { item_kind: string; item_id: string; type: string; value: string }[] = [];
        // In chunks, like inserts: an item imported from STIX can hold more observables than one statement takes.
        for (let i = 0; i < values.length && rows.length < 1000; i += 500) {
          const part = values.slice(i, i + 500);
          rows.push(
            ...(await db
              .selectFrom('observables')
              .select(['item_kind', 'item_id', 'type', 'value'])
              .where((eb) => eb.or(part.map((v) => eb.and([eb('type', '=', v.type), eb('value', '=', v.value)]))))
              .where('item_id', '!=', excludeItemId)
              .limit(1000 - rows.length)
              .execute()),
          );
        }
        return rows.map((r) => ({ kind: r.item_kind as 'report' | 'advisory', itemId: r.item_id, type: r.type, value: r.value }));
      },
    },

    attachments: {
      async insert(a) {
        await db
          .insertInto('attachments')
          .values({
            id: a.id,
            report_id: a.reportId,
            filename: a.filename,
            media_type: a.mediaType,
            size: a.size,
            sha256: a.sha256,
            created_at: a.createdAt,
          })
          .execute();
      },
      async byId(id) {
        const r = await db.selectFrom('attachments').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toAttachment(r);
      },
      async list(reportId) {
        const rows = await db.selectFrom('attachments').selectAll().where('report_id', '=', reportId).orderBy('id').execute();
        return rows.map(toAttachment);
      },
    },

    comments: {
      async insert(c: CommentRecord) {
        await db
          .insertInto('comments')
          .values({ id: c.id, report_id: c.reportId, org_id: c.orgId, user_id: c.userId, kind: c.kind, audience: c.audience, body: c.body, created_at: c.createdAt })
          .execute();
      },
      async list(reportId, audiences) {
        if (audiences.length === 0) return [];
        const rows = await db
          .selectFrom('comments')
          .selectAll()
          .where('report_id', '=', reportId)
          .where('audience', 'in', [...audiences])
          .orderBy('id')
          .execute();
        return rows.map((r) => ({
          id: r.id,
          reportId: r.report_id,
          orgId: r.org_id,
          userId: r.user_id,
          kind: r.kind as CommentRecord['kind'],
          audience: r.audience as CommentRecord['audience'],
          body: r.body,
          createdAt: r.created_at,
        }));
      },
      count: (ids) => countBy(db, 'comments', ids),
    },

    corroborations: {
      async add(c) {
        const existing = await db
          .selectFrom('corroborations')
          .select('org_id')
          .where('report_id', '=', c.reportId)
          .where('org_id', '=', c.orgId)
          .executeTakeFirst();
        if (existing) return false;
        await db
          .insertInto('corroborations')
          .values({ report_id: c.reportId, org_id: c.orgId, user_id: c.userId, note: c.note, created_at: c.createdAt })
          .execute();
        return true;
      },
      async list(reportId) {
        const rows = await db.selectFrom('corroborations').selectAll().where('report_id', '=', reportId).orderBy('created_at').execute();
        return rows.map((r) => ({ orgId: r.org_id, note: r.note, createdAt: r.created_at }));
      },
      count: (ids) => countBy(db, 'corroborations', ids),
    },

    links: {
      async add(fromId, toId, userId, at) {
        await db
          .insertInto('report_links')
          .values({ from_id: fromId, to_id: toId, user_id: userId, created_at: at })
          .onConflict((oc) => oc.doNothing())
          .execute();
      },
      async list(reportId) {
        const rows = await db
          .selectFrom('report_links')
          .select(['from_id', 'to_id'])
          .where((eb) => eb.or([eb('from_id', '=', reportId), eb('to_id', '=', reportId)]))
          .execute();
        return rows.map((r) => (r.from_id === reportId ? r.to_id : r.from_id));
      },
    },

    advisories: {
      async insert(a) {
        await db.insertInto('advisories').values(advisoryColumns(a) as Database['advisories']).execute();
      },
      async update(id, patch) {
        const cols = advisoryColumns(patch);
        if (Object.keys(cols).length) await db.updateTable('advisories').set(cols).where('id', '=', id).execute();
      },
      async byId(id) {
        const r = await db.selectFrom('advisories').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toAdvisory(r);
      },
      async list(q) {
        let query = db
          .selectFrom('advisories')
          .selectAll()
          .where(visibleWhere('advisories', q.filter, q.userId))
          .orderBy('id', 'desc')
          .limit(q.limit);
        if (q.before) query = query.where('id', '<', q.before);
        if (q.stage) query = query.where('stage', '=', q.stage);
        return (await query.execute()).map(toAdvisory);
      },
    },

    versions: {
      async insert(v) {
        await db
          .insertInto('advisory_versions')
          .values({ advisory_id: v.advisoryId, version: v.version, content: JSON.stringify(v.content), user_id: v.userId, note: v.note, created_at: v.createdAt })
          .execute();
      },
      async get(advisoryId, version) {
        const r = await db
          .selectFrom('advisory_versions')
          .selectAll()
          .where('advisory_id', '=', advisoryId)
          .where('version', '=', version)
          .executeTakeFirst();
        return r && toVersion(r);
      },
      async list(advisoryId) {
        const rows = await db.selectFrom('advisory_versions').selectAll().where('advisory_id', '=', advisoryId).orderBy('version').execute();
        return rows.map(toVersion);
      },
    },

    releases: {
      async insert(r) {
        await db
          .insertInto('releases')
          .values({
            id: r.id,
            advisory_id: r.advisoryId,
            version: r.version,
            from_stage: r.fromStage,
            to_stage: r.toStage,
            user_id: r.userId,
            org_id: r.orgId,
            feedback_deadline: r.feedbackDeadline,
            confirmed_flags: JSON.stringify(r.confirmedFlags),
            created_at: r.createdAt,
          })
          .execute();
      },
      async list(advisoryId) {
        const rows = await db.selectFrom('releases').selectAll().where('advisory_id', '=', advisoryId).orderBy('id').execute();
        return rows.map(toRelease);
      },
    },

    feedback: {
      async get(advisoryId, version, orgId) {
        const r = await db
          .selectFrom('feedback')
          .selectAll()
          .where('advisory_id', '=', advisoryId)
          .where('version', '=', version)
          .where('org_id', '=', orgId)
          .executeTakeFirst();
        return r && toFeedback(r);
      },
      async insert(f) {
        await db
          .insertInto('feedback')
          .values({
            id: f.id,
            advisory_id: f.advisoryId,
            version: f.version,
            org_id: f.orgId,
            user_id: f.userId,
            answer: f.answer,
            comment: f.comment,
            sightings: JSON.stringify(f.sightings),
            late: int(f.late),
            answered_at: f.answeredAt,
            updated_at: f.updatedAt,
          })
          .execute();
      },
      async update(id, patch) {
        const c: Partial<Database['feedback']> = {};
        if (patch.answer !== undefined) c.answer = patch.answer;
        if (patch.comment !== undefined) c.comment = patch.comment;
        if (patch.sightings !== undefined) c.sightings = JSON.stringify(patch.sightings);
        if (patch.userId !== undefined) c.user_id = patch.userId;
        if (patch.updatedAt !== undefined) c.updated_at = patch.updatedAt;
        if (Object.keys(c).length) await db.updateTable('feedback').set(c).where('id', '=', id).execute();
      },
      async list(advisoryId, version) {
        const rows = await db
          .selectFrom('feedback')
          .selectAll()
          .where('advisory_id', '=', advisoryId)
          .where('version', '=', version)
          .orderBy('answered_at')
          .execute();
        return rows.map(toFeedback);
      },
    },
  };
}
