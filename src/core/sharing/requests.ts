/**
 * Large-scale attack mode (大規模サイバー攻撃時) and information requests (情報提供依頼).
 *
 * The secretariat declares the mode for a campaign and ends it. While a campaign is active the secretariat issues
 * requests with a deadline to general members (or to every member organisation); the organisations addressed are
 * fixed when the request is issued. Each organisation answers once — with information, or with a refusal and its
 * justified reason (正当な理由, the information-provision obligation of Art. 17 of the Basic Act on Cybersecurity) —
 * and may change its answer until the deadline. As with feedback, a first answer after the deadline is still taken
 * and marked late; a change after the deadline is refused. Ending the campaign closes its open requests.
 *
 * Issuing is the secretariat's (the council's legal request goes out in its name); the per-request status (who
 * answered, who refused and why, who is missing) is for the secretariat and the designated corporation, the two
 * that may know who provided what.
 */
import type { Actor, UserActor } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { Conflict, Forbidden, Invalid, NotFound } from '../errors.js';
import type { Page } from '../model.js';
import { authorize, can } from '../policy.js';
import type { Repos } from '../ports.js';
import { jstParam } from '../time.js';
import { eachOrganization, recordLedger } from './ledger.js';
import { normaliseObservables } from './observables.js';
import { noticeRequest } from '../notifications/notices.js';
import type {
  Campaign,
  CampaignCreate,
  CampaignEnd,
  CampaignStatus,
  InfoRequest,
  InfoRequestCreate,
  InfoRequestSummary,
  ReceivedRequest,
  RequestAnswer,
  RequestAnswerInput,
  RequestState,
  RequestStatusView,
} from './requests-model.js';
import type { CampaignRecord, InfoRequestRecord, RequestAnswerRecord } from './requests-ports.js';

// ------------------------------------------------------------------ campaigns

async function campaignView(r: Repos, c: CampaignRecord): Promise<Campaign> {
  const open = await r.requests.infoRequests.countOpen([c.id]);
  return {
    id: c.id,
    title: c.title,
    description: c.description,
    status: c.status,
    declaredAt: c.declaredAt,
    endedAt: c.endedAt,
    endNote: c.endNote,
    openRequests: open.get(c.id) ?? 0,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

/** Declare large-scale attack mode for a campaign. Several campaigns may be active at once. */
export async function declareCampaign(deps: Deps, actor: Actor, input: CampaignCreate, meta: RequestMeta): Promise<Campaign> {
  authorize(actor, 'campaign.manage');
  const me = actor as UserActor;
  const now = iso(deps.now());
  const record: CampaignRecord = {
    id: newId(),
    title: input.title,
    description: input.description,
    status: 'active',
    declaredAt: now,
    declaredBy: me.userId,
    endedAt: null,
    endedBy: null,
    endNote: null,
    createdAt: now,
    updatedAt: now,
  };
  return deps.store.tx(async (r) => {
    await r.requests.campaigns.insert(record);
    await audit(r, deps, actor, meta, 'campaign.declare', { type: 'campaign', id: record.id }, { title: record.title });
    return campaignView(r, record);
  });
}

/** End large-scale attack mode for a campaign: its open requests close with it. */
export async function endCampaign(deps: Deps, actor: Actor, id: string, input: CampaignEnd, meta: RequestMeta): Promise<Campaign> {
  authorize(actor, 'campaign.manage');
  const me = actor as UserActor;
  return deps.store.tx(async (r) => {
    const c = await r.requests.campaigns.byId(id);
    if (!c) throw new NotFound('not_found');
    if (c.status !== 'active') throw new Conflict('campaign_already_ended');
    const now = iso(deps.now());
    const patch = { status: 'ended' as const, endedAt: now, endedBy: me.userId, endNote: input.note ?? null, updatedAt: now };
    await r.requests.campaigns.update(id, patch);
    const closed = await r.requests.infoRequests.closeForCampaign(id, now);
    await audit(r, deps, actor, meta, 'campaign.end', { type: 'campaign', id }, { closedRequests: closed });
    return campaignView(r, { ...c, ...patch });
  });
}

/** Campaigns, newest first: every member sees whether large-scale attack mode is in force. */
export async function listCampaigns(
  deps: Deps,
  actor: Actor,
  q: { status?: CampaignStatus | undefined; cursor?: string | undefined; limit: number },
): Promise<Page<Campaign>> {
  authorize(actor, 'campaign.read');
  const r = deps.store.read;
  const rows = await r.requests.campaigns.list({ ...(q.status ? { status: q.status } : {}), before: decodeCursor(q.cursor), limit: q.limit + 1 });
  const page = toPage(rows, q.limit, (c) => c.id);
  const open = await r.requests.infoRequests.countOpen(page.items.map((c) => c.id));
  return {
    next: page.next,
    items: page.items.map((c) => ({
      id: c.id,
      title: c.title,
      description: c.description,
      status: c.status,
      declaredAt: c.declaredAt,
      endedAt: c.endedAt,
      endNote: c.endNote,
      openRequests: open.get(c.id) ?? 0,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
    })),
  };
}

export async function getCampaign(deps: Deps, actor: Actor, id: string): Promise<Campaign> {
  authorize(actor, 'campaign.read');
  const c = await deps.store.read.requests.campaigns.byId(id);
  if (!c) throw new NotFound('not_found');
  return campaignView(deps.store.read, c);
}

// ------------------------------------------------------------------ requests

const titles = (r: Repos) => {
  const cache = new Map<string, string>();
  return async (campaignId: string): Promise<string> => {
    if (!cache.has(campaignId)) cache.set(campaignId, (await r.requests.campaigns.byId(campaignId))?.title ?? '');
    return cache.get(campaignId) as string;
  };
};

const requestView = (x: InfoRequestRecord, campaignTitle: string): InfoRequest => ({
  id: x.id,
  campaignId: x.campaignId,
  campaignTitle,
  title: x.title,
  body: x.body,
  audience: x.audience,
  deadline: x.deadline,
  status: x.status,
  closedAt: x.closedAt,
  createdAt: x.createdAt,
  updatedAt: x.updatedAt,
});

const answerView = (a: RequestAnswerRecord): RequestAnswer => ({
  kind: a.kind,
  text: a.text,
  reason: a.reason,
  observables: a.observables,
  late: a.late,
  answeredAt: a.answeredAt,
  updatedAt: a.updatedAt,
});

function received(deps: Deps, x: InfoRequestRecord, campaignTitle: string, answer: RequestAnswerRecord | undefined, addressed = true): ReceivedRequest {
  return {
    ...requestView(x, campaignTitle),
    myAnswer: answer ? answerView(answer) : null,
    outstanding: addressed && x.status === 'open' && !answer,
    overdue: deps.now() > new Date(x.deadline),
  };
}

/** The organisations a request goes to: active members of the audience's classes, the secretariat and suspended ones apart. */
async function addressees(r: Repos, audience: InfoRequestRecord['audience']): Promise<string[]> {
  const out: string[] = [];
  for await (const org of eachOrganization(r)) {
    if (org.isSecretariat || !org.active || org.status !== 'member') continue;
    const inAudience = audience === 'all' ? org.memberClass !== 'none' : org.memberClass === 'general';
    if (inAudience) out.push(org.id);
  }
  return out;
}

/** Issue an information request in an active campaign. */
export async function issueRequest(
  deps: Deps,
  actor: Actor,
  campaignId: string,
  input: InfoRequestCreate,
  meta: RequestMeta,
): Promise<InfoRequest> {
  authorize(actor, 'request.issue');
  const me = actor as UserActor;
  const now = deps.now();
  const deadline = new Date(input.deadline);
  if (deadline <= now) throw new Invalid('request_deadline_in_past');
  return deps.store.tx(async (r) => {
    const c = await r.requests.campaigns.byId(campaignId);
    if (!c) throw new NotFound('not_found');
    if (c.status !== 'active') throw new Conflict('campaign_not_active');
    const orgIds = await addressees(r, input.audience);
    if (orgIds.length === 0) throw new Conflict('request_no_recipients');
    const record: InfoRequestRecord = {
      id: newId(),
      campaignId,
      title: input.title,
      body: input.body,
      audience: input.audience,
      deadline: iso(deadline),
      status: 'open',
      orgId: me.orgId,
      userId: me.userId,
      closedAt: null,
      createdAt: iso(now),
      updatedAt: iso(now),
    };
    await r.requests.infoRequests.insert(record);
    await r.requests.recipients.add(record.id, orgIds);
    await audit(r, deps, actor, meta, 'request.issue', { type: 'info_request', id: record.id }, {
      campaignId,
      audience: record.audience,
      deadline: record.deadline,
      recipients: orgIds.length,
    });
    await noticeRequest(r, deps, actor, record, orgIds);
    return requestView(record, c.title);
  });
}

/** Close a request before its campaign ends: no more answers are taken. */
export async function closeRequest(deps: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<InfoRequest> {
  authorize(actor, 'request.issue');
  return deps.store.tx(async (r) => {
    const x = await r.requests.infoRequests.byId(id);
    if (!x) throw new NotFound('not_found');
    if (x.status === 'closed') throw new Conflict('request_closed');
    const now = iso(deps.now());
    const patch = { status: 'closed' as const, closedAt: now, updatedAt: now };
    await r.requests.infoRequests.update(id, patch);
    await audit(r, deps, actor, meta, 'request.close', { type: 'info_request', id });
    return requestView({ ...x, ...patch }, await titles(r)(x.campaignId));
  });
}

/** Every request (of a campaign), newest first, with answer counts: the secretariat's overview. */
export async function listRequests(
  deps: Deps,
  actor: Actor,
  q: { campaignId?: string | undefined; cursor?: string | undefined; limit: number },
): Promise<Page<InfoRequestSummary>> {
  authorize(actor, 'request.status');
  const r = deps.store.read;
  const rows = await r.requests.infoRequests.list({
    ...(q.campaignId ? { campaignId: q.campaignId } : {}),
    before: decodeCursor(q.cursor),
    limit: q.limit + 1,
  });
  const page = toPage(rows, q.limit, (x) => x.id);
  const ids = page.items.map((x) => x.id);
  const addressed = await r.requests.recipients.count(ids);
  const answered = await r.requests.answers.count(ids);
  const title = titles(r);
  const items: InfoRequestSummary[] = [];
  for (const x of page.items) {
    const n = addressed.get(x.id) ?? 0;
    const a = answered.get(x.id) ?? { answer: 0, refusal: 0 };
    items.push({ ...requestView(x, await title(x.campaignId)), counts: { addressed: n, answered: a.answer, refused: a.refusal, missing: n - a.answer - a.refusal } });
  }
  return { items, next: page.next };
}

/** The requests addressed to the caller's organisation (default: outstanding ones), newest first. */
export async function myRequests(
  deps: Deps,
  actor: Actor,
  q: { state: RequestState; cursor?: string | undefined; limit: number },
): Promise<Page<ReceivedRequest>> {
  authorize(actor, 'request.read');
  const me = actor as UserActor;
  const r = deps.store.read;
  const rows = await r.requests.infoRequests.forOrg({ orgId: me.orgId, state: q.state, before: decodeCursor(q.cursor), limit: q.limit + 1 });
  const page = toPage(rows, q.limit, (x) => x.id);
  const answers = new Map((await r.requests.answers.forOrg(me.orgId, page.items.map((x) => x.id))).map((a) => [a.requestId, a]));
  const title = titles(r);
  const items: ReceivedRequest[] = [];
  for (const x of page.items) items.push(received(deps, x, await title(x.campaignId), answers.get(x.id)));
  return { items, next: page.next };
}

/**
 * Load a request the actor may see: the addressed organisations' users, and those who may see the status.
 * Anyone else is told it does not exist.
 */
async function readableRequest(r: Repos, actor: Actor, id: string): Promise<{ x: InfoRequestRecord; addressed: boolean }> {
  authorize(actor, 'request.read');
  const x = await r.requests.infoRequests.byId(id);
  if (!x) throw new NotFound('not_found');
  const addressed = actor.kind === 'user' && (await r.requests.recipients.isRecipient(id, actor.orgId));
  if (!addressed && !can(actor, 'request.status')) throw new NotFound('not_found');
  return { x, addressed };
}

export async function getRequest(deps: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<ReceivedRequest> {
  const r = deps.store.read;
  const { x, addressed } = await readableRequest(r, actor, id);
  const answer = addressed && actor.kind === 'user' ? await r.requests.answers.get(id, actor.orgId) : undefined;
  await deps.store.tx((t) => audit(t, deps, actor, meta, 'request.view', { type: 'info_request', id }));
  return received(deps, x, await titles(r)(x.campaignId), answer, addressed);
}

/**
 * Answer a request, or refuse with a justified reason. One answer per organisation, changeable until the deadline;
 * the first answer after the deadline is taken and marked late.
 */
export async function answerRequest(
  deps: Deps,
  actor: Actor,
  id: string,
  input: RequestAnswerInput,
  meta: RequestMeta,
): Promise<RequestAnswer> {
  const observables = normaliseObservables(input.observables);
  return deps.store.tx(async (r) => {
    const { x, addressed } = await readableRequest(r, actor, id);
    authorize(actor, 'request.answer');
    if (!addressed) throw new Forbidden('request_not_addressed');
    const me = actor as UserActor;
    if (input.kind === 'answer' && !input.text) throw new Invalid('answer_text_required');
    if (input.kind === 'refusal' && !input.reason) throw new Invalid('refusal_reason_required');
    if (x.status !== 'open') throw new Conflict('request_closed');
    const now = deps.now();
    const past = now > new Date(x.deadline);
    const existing = await r.requests.answers.get(id, me.orgId);
    if (existing && past) throw new Conflict('request_deadline_passed', { deadline: jstParam(x.deadline) });
    const content = {
      kind: input.kind,
      text: input.kind === 'answer' ? (input.text ?? null) : null,
      reason: input.kind === 'refusal' ? (input.reason ?? null) : null,
      observables: input.kind === 'answer' ? observables : [],
    };
    let saved: RequestAnswerRecord;
    if (existing) {
      saved = { ...existing, ...content, userId: me.userId, updatedAt: iso(now) };
      await r.requests.answers.update(existing.id, saved);
      // Switching between answering and refusing (before the deadline) switches the ledger entry with it.
      if (existing.kind !== input.kind) {
        await r.requests.ledger.remove({ orgId: me.orgId, kind: ledgerKindOf(existing), refId: id });
        await recordLedger(r, deps, { orgId: me.orgId, kind: ledgerKindOf(saved), refId: id });
      }
    } else {
      saved = { id: newId(), requestId: id, orgId: me.orgId, userId: me.userId, ...content, late: past, answeredAt: iso(now), updatedAt: iso(now) };
      await r.requests.answers.insert(saved);
      await recordLedger(r, deps, { orgId: me.orgId, kind: ledgerKindOf(saved), refId: id });
    }
    await audit(r, deps, actor, meta, existing ? 'request.answer.change' : 'request.answer', { type: 'info_request', id }, {
      kind: saved.kind,
      late: saved.late,
      observables: saved.observables.length,
      // The justified reason is part of the legal record.
      ...(saved.kind === 'refusal' ? { reason: saved.reason } : {}),
    });
    return answerView(saved);
  });
}

const ledgerKindOf = (a: Pick<RequestAnswerRecord, 'kind' | 'late'>) =>
  a.kind === 'refusal' ? ('request_refused' as const) : a.late ? ('request_late' as const) : ('request_answered' as const);

/** Who answered, who refused with which reason, who is missing. */
export async function requestStatus(deps: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<RequestStatusView> {
  authorize(actor, 'request.status');
  const r = deps.store.read;
  const x = await r.requests.infoRequests.byId(id);
  if (!x) throw new NotFound('not_found');
  const recipients = await r.requests.recipients.list(id);
  const answers = await r.requests.answers.list(id);
  const org = async (orgId: string) => {
    const o = await r.organizations.byId(orgId);
    return { orgId, nameJa: o?.nameJa ?? '', nameEn: o?.nameEn ?? '', memberClass: o?.memberClass ?? 'none' };
  };
  const responses: RequestStatusView['responses'] = [];
  for (const a of answers) responses.push({ ...(await org(a.orgId)), ...answerView(a) });
  const answered = new Set(answers.map((a) => a.orgId));
  const missing: RequestStatusView['missing'] = [];
  for (const orgId of recipients) if (!answered.has(orgId)) missing.push(await org(orgId));
  await deps.store.tx((t) => audit(t, deps, actor, meta, 'request.status', { type: 'info_request', id }));
  return {
    request: requestView(x, await titles(r)(x.campaignId)),
    counts: {
      addressed: recipients.length,
      answered: answers.filter((a) => a.kind === 'answer').length,
      refused: answers.filter((a) => a.kind === 'refusal').length,
      late: answers.filter((a) => a.late).length,
      missing: missing.length,
    },
    responses,
    missing,
  };
}
