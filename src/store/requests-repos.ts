/** SQL behind the ports of information requests, consultations and the give-and-take ledger. */
import type { Kysely, Selectable } from 'kysely';
import type { Observable } from '../core/sharing/model.js';
import type {
  CampaignStatus,
  ConsultationAuthor,
  ConsultationStatus,
  LedgerKind,
  RequestAnswerKind,
  RequestAudience,
  RequestStatus,
  WidenStage,
} from '../core/sharing/requests-model.js';
import type {
  CampaignRecord,
  ConsultationMessageRecord,
  ConsultationRecord,
  InfoRequestRecord,
  LedgerRecord,
  RequestAnswerRecord,
  RequestRepos,
} from '../core/sharing/requests-ports.js';
import type { Database } from './schema.js';

const bool = (v: number | boolean): boolean => v === 1 || v === true;
const int = (v: boolean): number => (v ? 1 : 0);

/** Copy the defined fields of a domain patch to their columns. */
function columns<R extends object, C>(patch: Partial<R>, map: { [K in keyof R]?: [keyof C, ((v: R[K]) => unknown)?] }): Partial<C> {
  const out: Record<string, unknown> = {};
  for (const [key, spec] of Object.entries(map) as [keyof R, [keyof C, ((v: unknown) => unknown)?]][]) {
    const v = patch[key];
    if (v === undefined) continue;
    out[spec[0] as string] = spec[1] ? spec[1](v) : v;
  }
  return out as Partial<C>;
}

type CampaignRow = Database['campaigns'];
const campaignMap: { [K in keyof CampaignRecord]: [keyof CampaignRow] } = {
  id: ['id'],
  title: ['title'],
  description: ['description'],
  status: ['status'],
  declaredAt: ['declared_at'],
  declaredBy: ['declared_by'],
  endedAt: ['ended_at'],
  endedBy: ['ended_by'],
  endNote: ['end_note'],
  createdAt: ['created_at'],
  updatedAt: ['updated_at'],
};
const toCampaign = (r: Selectable<CampaignRow>): CampaignRecord => ({
  id: r.id,
  title: r.title,
  description: r.description,
  status: r.status as CampaignStatus,
  declaredAt: r.declared_at,
  declaredBy: r.declared_by,
  endedAt: r.ended_at,
  endedBy: r.ended_by,
  endNote: r.end_note,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

type RequestRow = Database['info_requests'];
const requestMap: { [K in keyof InfoRequestRecord]: [keyof RequestRow] } = {
  id: ['id'],
  campaignId: ['campaign_id'],
  title: ['title'],
  body: ['body'],
  audience: ['audience'],
  deadline: ['deadline'],
  status: ['status'],
  orgId: ['org_id'],
  userId: ['user_id'],
  closedAt: ['closed_at'],
  createdAt: ['created_at'],
  updatedAt: ['updated_at'],
};
const toRequest = (r: Selectable<RequestRow>): InfoRequestRecord => ({
  id: r.id,
  campaignId: r.campaign_id,
  title: r.title,
  body: r.body,
  audience: r.audience as RequestAudience,
  deadline: r.deadline,
  status: r.status as RequestStatus,
  orgId: r.org_id,
  userId: r.user_id,
  closedAt: r.closed_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

type AnswerRow = Database['info_request_answers'];
const answerMap: { [K in keyof RequestAnswerRecord]: [keyof AnswerRow, ((v: RequestAnswerRecord[K]) => unknown)?] } = {
  id: ['id'],
  requestId: ['request_id'],
  orgId: ['org_id'],
  userId: ['user_id'],
  kind: ['kind'],
  text: ['text'],
  reason: ['reason'],
  observables: ['observables', (v) => JSON.stringify(v)],
  late: ['late', int],
  answeredAt: ['answered_at'],
  updatedAt: ['updated_at'],
};
const toAnswer = (r: Selectable<AnswerRow>): RequestAnswerRecord => ({
  id: r.id,
  requestId: r.request_id,
  orgId: r.org_id,
  userId: r.user_id,
  kind: r.kind as RequestAnswerKind,
  text: r.text,
  reason: r.reason,
  observables: JSON.parse(r.observables) as Observable[],
  late: bool(r.late),
  answeredAt: r.answered_at,
  updatedAt: r.updated_at,
});

type ConsultationRow = Database['consultations'];
const consultationMap: { [K in keyof ConsultationRecord]: [keyof ConsultationRow, ((v: ConsultationRecord[K]) => unknown)?] } = {
  id: ['id'],
  tokenHash: ['token_hash'],
  name: ['name'],
  organization: ['organization'],
  email: ['email'],
  locale: ['locale'],
  body: ['body'],
  observables: ['observables', (v) => JSON.stringify(v)],
  status: ['status'],
  consentAt: ['consent_at'],
  widenedAt: ['widened_at'],
  widenedBy: ['widened_by'],
  widenedStage: ['widened_stage'],
  summary: ['summary'],
  reportId: ['report_id'],
  convertedAt: ['converted_at'],
  createdAt: ['created_at'],
  updatedAt: ['updated_at'],
};
const toConsultation = (r: Selectable<ConsultationRow>): ConsultationRecord => ({
  id: r.id,
  tokenHash: r.token_hash,
  name: r.name,
  organization: r.organization,
  email: r.email,
  locale: r.locale === 'en' ? 'en' : 'ja',
  body: r.body,
  observables: JSON.parse(r.observables) as Observable[],
  status: r.status as ConsultationStatus,
  consentAt: r.consent_at,
  widenedAt: r.widened_at,
  widenedBy: r.widened_by,
  widenedStage: r.widened_stage as WidenStage | null,
  summary: r.summary,
  reportId: r.report_id,
  convertedAt: r.converted_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

type MessageRow = Database['consultation_messages'];
const messageMap: { [K in keyof ConsultationMessageRecord]: [keyof MessageRow] } = {
  id: ['id'],
  consultationId: ['consultation_id'],
  author: ['author'],
  orgId: ['org_id'],
  userId: ['user_id'],
  body: ['body'],
  relayedAt: ['relayed_at'],
  relayedBy: ['relayed_by'],
  createdAt: ['created_at'],
};
const toMessage = (r: Selectable<MessageRow>): ConsultationMessageRecord => ({
  id: r.id,
  consultationId: r.consultation_id,
  author: r.author as ConsultationAuthor,
  orgId: r.org_id,
  userId: r.user_id,
  body: r.body,
  relayedAt: r.relayed_at,
  relayedBy: r.relayed_by,
  createdAt: r.created_at,
});

const toLedger = (r: Selectable<Database['ledger_entries']>): LedgerRecord => ({
  id: r.id,
  orgId: r.org_id,
  kind: r.kind as LedgerKind,
  refId: r.ref_id,
  itemId: r.item_id,
  at: r.at,
});

const POW_SECRET_KEY = 'consultation.pow_secret';

export function createRequestRepos(db: Kysely<Database>): RequestRepos {
  return {
    campaigns: {
      async insert(c) {
        await db.insertInto('campaigns').values(columns<CampaignRecord, CampaignRow>(c, campaignMap) as CampaignRow).execute();
      },
      async update(id, patch) {
        const cols = columns<CampaignRecord, CampaignRow>(patch, campaignMap);
        if (Object.keys(cols).length) await db.updateTable('campaigns').set(cols).where('id', '=', id).execute();
      },
      async byId(id) {
        const r = await db.selectFrom('campaigns').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toCampaign(r);
      },
      async list(q) {
        let query = db.selectFrom('campaigns').selectAll().orderBy('id', 'desc').limit(q.limit);
        if (q.status) query = query.where('status', '=', q.status);
        if (q.before) query = query.where('id', '<', q.before);
        return (await query.execute()).map(toCampaign);
      },
    },

    infoRequests: {
      async insert(x) {
        await db.insertInto('info_requests').values(columns<InfoRequestRecord, RequestRow>(x, requestMap) as RequestRow).execute();
      },
      async update(id, patch) {
        const cols = columns<InfoRequestRecord, RequestRow>(patch, requestMap);
        if (Object.keys(cols).length) await db.updateTable('info_requests').set(cols).where('id', '=', id).execute();
      },
      async byId(id) {
        const r = await db.selectFrom('info_requests').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toRequest(r);
      },
      async list(q) {
        let query = db.selectFrom('info_requests').selectAll().orderBy('id', 'desc').limit(q.limit);
        if (q.campaignId) query = query.where('campaign_id', '=', q.campaignId);
        if (q.before) query = query.where('id', '<', q.before);
        return (await query.execute()).map(toRequest);
      },
      async closeForCampaign(campaignId, at) {
        const r = await db
          .updateTable('info_requests')
          .set({ status: 'closed', closed_at: at, updated_at: at })
          .where('campaign_id', '=', campaignId)
          .where('status', '=', 'open')
          .executeTakeFirst();
        return Number(r.numUpdatedRows);
      },
      async forOrg(q) {
        let query = db
          .selectFrom('info_requests')
          .innerJoin('info_request_recipients as rr', (j) => j.onRef('rr.request_id', '=', 'info_requests.id').on('rr.org_id', '=', q.orgId))
          .selectAll('info_requests')
          .orderBy('info_requests.id', 'desc')
          .limit(q.limit);
        if (q.before) query = query.where('info_requests.id', '<', q.before);
        if (q.state !== 'all') query = query.where('info_requests.status', '=', 'open');
        if (q.state === 'outstanding') {
          query = query.where((eb) =>
            eb.not(
              eb.exists(
                eb
                  .selectFrom('info_request_answers as a')
                  .select('a.id')
                  .whereRef('a.request_id', '=', 'info_requests.id')
                  .where('a.org_id', '=', q.orgId),
              ),
            ),
          );
        }
        return (await query.execute()).map(toRequest);
      },
      async countOpen(campaignIds) {
        const out = new Map<string, number>();
        if (campaignIds.length === 0) return out;
        const rows = await db
          .selectFrom('info_requests')
          .select((eb) => ['campaign_id', eb.fn.countAll<number>().as('n')])
          .where('campaign_id', 'in', [...campaignIds])
          .where('status', '=', 'open')
          .groupBy('campaign_id')
          .execute();
        for (const r of rows) out.set(r.campaign_id, Number(r.n));
        return out;
      },
    },

    recipients: {
      async add(requestId, orgIds) {
        // In slices: SQLite allows a limited number of bound parameters per statement.
        const unique = [...new Set(orgIds)];
        for (let i = 0; i < unique.length; i += 200) {
          await db
            .insertInto('info_request_recipients')
            .values(unique.slice(i, i + 200).map((org_id) => ({ request_id: requestId, org_id })))
            .execute();
        }
      },
      async list(requestId) {
        const rows = await db.selectFrom('info_request_recipients').select('org_id').where('request_id', '=', requestId).orderBy('org_id').execute();
        return rows.map((r) => r.org_id);
      },
      async isRecipient(requestId, orgId) {
        const r = await db
          .selectFrom('info_request_recipients')
          .select('org_id')
          .where('request_id', '=', requestId)
          .where('org_id', '=', orgId)
          .executeTakeFirst();
        return r !== undefined;
      },
      async count(requestIds) {
        const out = new Map<string, number>();
        if (requestIds.length === 0) return out;
        const rows = await db
          .selectFrom('info_request_recipients')
          .select((eb) => ['request_id', eb.fn.countAll<number>().as('n')])
          .where('request_id', 'in', [...requestIds])
          .groupBy('request_id')
          .execute();
        for (const r of rows) out.set(r.request_id, Number(r.n));
        return out;
      },
    },

    answers: {
      async get(requestId, orgId) {
        const r = await db
          .selectFrom('info_request_answers')
          .selectAll()
          .where('request_id', '=', requestId)
          .where('org_id', '=', orgId)
          .executeTakeFirst();
        return r && toAnswer(r);
      },
      async insert(a) {
        await db.insertInto('info_request_answers').values(columns<RequestAnswerRecord, AnswerRow>(a, answerMap) as AnswerRow).execute();
      },
      async update(id, patch) {
        const cols = columns<RequestAnswerRecord, AnswerRow>(patch, answerMap);
        delete cols.id;
        if (Object.keys(cols).length) await db.updateTable('info_request_answers').set(cols).where('id', '=', id).execute();
      },
      async list(requestId) {
        const rows = await db.selectFrom('info_request_answers').selectAll().where('request_id', '=', requestId).orderBy('answered_at').orderBy('id').execute();
        return rows.map(toAnswer);
      },
      async forOrg(orgId, requestIds) {
        if (requestIds.length === 0) return [];
        const rows = await db
          .selectFrom('info_request_answers')
          .selectAll()
          .where('org_id', '=', orgId)
          .where('request_id', 'in', [...requestIds])
          .execute();
        return rows.map(toAnswer);
      },
      async count(requestIds) {
        const out = new Map<string, Record<RequestAnswerKind, number>>();
        if (requestIds.length === 0) return out;
        const rows = await db
          .selectFrom('info_request_answers')
          .select((eb) => ['request_id', 'kind', eb.fn.countAll<number>().as('n')])
          .where('request_id', 'in', [...requestIds])
          .groupBy(['request_id', 'kind'])
          .execute();
        for (const r of rows) {
          const c = out.get(r.request_id) ?? { answer: 0, refusal: 0 };
          c[r.kind as RequestAnswerKind] = Number(r.n);
          out.set(r.request_id, c);
        }
        return out;
      },
      async missed(q) {
        const rows = await db
          .selectFrom('info_request_recipients as rr')
          .innerJoin('info_requests as q', 'q.id', 'rr.request_id')
          .leftJoin('info_request_answers as a', (j) => j.onRef('a.request_id', '=', 'rr.request_id').onRef('a.org_id', '=', 'rr.org_id'))
          .select((eb) => ['rr.org_id', eb.fn.countAll<number>().as('n')])
          .where('q.deadline', '>=', q.from)
          .where('q.deadline', '<', q.to)
          .where('q.deadline', '<', q.now)
          .where('a.id', 'is', null)
          .groupBy('rr.org_id')
          .execute();
        return new Map(rows.map((r) => [r.org_id, Number(r.n)]));
      },
    },

    consultations: {
      async insert(c) {
        await db.insertInto('consultations').values(columns<ConsultationRecord, ConsultationRow>(c, consultationMap) as ConsultationRow).execute();
      },
      async update(id, patch) {
        const cols = columns<ConsultationRecord, ConsultationRow>(patch, consultationMap);
        delete cols.id;
        if (Object.keys(cols).length) await db.updateTable('consultations').set(cols).where('id', '=', id).execute();
      },
      async byId(id) {
        const r = await db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toConsultation(r);
      },
      async byTokenHash(hash) {
        const r = await db.selectFrom('consultations').selectAll().where('token_hash', '=', hash).executeTakeFirst();
        return r && toConsultation(r);
      },
      async list(q) {
        let query = db.selectFrom('consultations').selectAll().orderBy('id', 'desc').limit(q.limit);
        if (q.status) query = query.where('status', '=', q.status);
        if (q.before) query = query.where('id', '<', q.before);
        return (await query.execute()).map(toConsultation);
      },
      async listWidened(q) {
        if (q.stages.length === 0) return [];
        let query = db.selectFrom('consultations').selectAll().where('widened_stage', 'in', [...q.stages]).orderBy('id', 'desc').limit(q.limit);
        if (q.before) query = query.where('id', '<', q.before);
        return (await query.execute()).map(toConsultation);
      },
      async markConverted(id, reportId, at) {
        const r = await db
          .updateTable('consultations')
          .set({ report_id: reportId, converted_at: at, updated_at: at })
          .where('id', '=', id)
          .where('report_id', 'is', null)
          .executeTakeFirst();
        return Number(r.numUpdatedRows) > 0;
      },
    },

    consultationMessages: {
      async insert(m) {
        await db.insertInto('consultation_messages').values(columns<ConsultationMessageRecord, MessageRow>(m, messageMap) as MessageRow).execute();
      },
      async update(id, patch) {
        const cols = columns<ConsultationMessageRecord, MessageRow>(patch, messageMap);
        delete cols.id;
        if (Object.keys(cols).length) await db.updateTable('consultation_messages').set(cols).where('id', '=', id).execute();
      },
      async byId(id) {
        const r = await db.selectFrom('consultation_messages').selectAll().where('id', '=', id).executeTakeFirst();
        return r && toMessage(r);
      },
      async list(consultationId) {
        const rows = await db.selectFrom('consultation_messages').selectAll().where('consultation_id', '=', consultationId).orderBy('id').execute();
        return rows.map(toMessage);
      },
      async count(consultationIds) {
        const out = new Map<string, { messages: number; lastAt: string | null }>();
        if (consultationIds.length === 0) return out;
        const rows = await db
          .selectFrom('consultation_messages')
          .select((eb) => ['consultation_id', eb.fn.countAll<number>().as('n'), eb.fn.max('created_at').as('lastAt')])
          .where('consultation_id', 'in', [...consultationIds])
          .groupBy('consultation_id')
          .execute();
        for (const r of rows) out.set(r.consultation_id, { messages: Number(r.n), lastAt: r.lastAt ?? null });
        return out;
      },
    },

    challenges: {
      async use(hash, expiresAt, now) {
        await db.deleteFrom('consultation_challenges').where('expires_at', '<', now).execute();
        const r = await db
          .insertInto('consultation_challenges')
          .values({ hash, expires_at: expiresAt })
          .onConflict((oc) => oc.column('hash').doNothing())
          .executeTakeFirst();
        return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      },
    },

    async powSecret(candidate) {
      await db
        .insertInto('settings')
        .values({ key: POW_SECRET_KEY, value: JSON.stringify(candidate) })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
      const r = await db.selectFrom('settings').select('value').where('key', '=', POW_SECRET_KEY).executeTakeFirstOrThrow();
      return JSON.parse(r.value) as string;
    },

    ledger: {
      async add(e) {
        const r = await db
          .insertInto('ledger_entries')
          .values({ id: e.id, org_id: e.orgId, kind: e.kind, ref_id: e.refId, item_id: e.itemId, at: e.at })
          .onConflict((oc) => oc.columns(['org_id', 'kind', 'ref_id']).doNothing())
          .executeTakeFirst();
        return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
      },
      async remove(q) {
        await db.deleteFrom('ledger_entries').where('org_id', '=', q.orgId).where('kind', '=', q.kind).where('ref_id', '=', q.refId).execute();
      },
      async list(q) {
        let query = db.selectFrom('ledger_entries').selectAll().where('org_id', '=', q.orgId).orderBy('id', 'desc').limit(q.limit);
        if (q.before) query = query.where('id', '<', q.before);
        return (await query.execute()).map(toLedger);
      },
      async totals(q) {
        let query = db
          .selectFrom('ledger_entries')
          .select((eb) => ['org_id', 'kind', eb.fn.countAll<number>().as('n')])
          .groupBy(['org_id', 'kind']);
        if (q.orgId) query = query.where('org_id', '=', q.orgId);
        if (q.from) query = query.where('at', '>=', q.from);
        if (q.to) query = query.where('at', '<', q.to);
        const rows = await query.execute();
        return rows.map((r) => ({ orgId: r.org_id, kind: r.kind as LedgerKind, n: Number(r.n) }));
      },
    },
  };
}
