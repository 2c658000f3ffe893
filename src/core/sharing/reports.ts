/** 情報提供・相談 and the Type 1 group's analysis of them (分析). */
import { createHash } from 'node:crypto';
import type { Actor, UserActor } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { Invalid, NotFound } from '../errors.js';
import type { Page } from '../model.js';
import { authorize, canRead, inType1Group, mayKnowProvider as policyMayKnowProvider, readFilter, seesAnalysis, type ItemFacts } from '../policy.js';
import type { Repos } from '../ports.js';
import { publishReport } from '../interop/publish.js';
import { noticeReply, noticeReport } from '../notifications/notices.js';
import type { Comment, Observable, Report, ReportCreate, ReportKind, ReportSummary } from './model.js';
import { recordLedger } from './ledger.js';
import { normaliseObservables } from './observables.js';
import type { ReportRecord } from './ports.js';

export const reportFacts = (r: ReportRecord, recipientUserIds: readonly string[]): ItemFacts => ({
  stage: r.stage,
  tlp: r.tlp,
  ownerOrgId: r.orgId,
  recipientUserIds,
});

const userId = (actor: Actor): string | undefined => (actor.kind === 'user' ? actor.userId : undefined);

/** Load a report the actor may read, or answer "not found" (existence is confidential). */
export async function readableReport(r: Repos, actor: Actor, id: string): Promise<ReportRecord> {
  const report = await r.sharing.reports.byId(id);
  if (!report || !canRead(actor, reportFacts(report, await r.sharing.recipients.list(id)))) throw new NotFound('not_found');
  return report;
}

/** TLP:RED names its recipients; nothing else does. Every named person must exist. */
export async function checkRecipients(r: Repos, tlp: string, ids: readonly string[]): Promise<void> {
  if (ids.length && tlp !== 'red') throw new Invalid('recipients_only_for_red');
  for (const id of ids) if (!(await r.users.byId(id))) throw new Invalid('unknown_recipient');
}

const mayKnowProvider = (actor: Actor, report: ReportRecord): boolean =>
  policyMayKnowProvider(actor, { ownerOrgId: report.orgId, providerNamed: report.providerNamed });

/** The comments of a readable report the actor sees: the analysis thread only with `seesAnalysis` (search uses it too). */
export const commentAudiences = (actor: Actor): ('type1' | 'provider')[] => (seesAnalysis(actor) ? ['type1', 'provider'] : ['provider']);

/** `alsoInTx` runs inside the same transaction once the report is written (a STIX import records its objects there). */
export async function createReport(
  deps: Deps,
  actor: Actor,
  input: ReportCreate,
  meta: RequestMeta,
  alsoInTx?: (r: Repos, report: ReportRecord) => Promise<void>,
): Promise<Report> {
  authorize(actor, 'report.create');
  const me = actor as UserActor;
  const observables = normaliseObservables(input.observables);
  const now = iso(deps.now());
  const record: ReportRecord = {
    id: newId(),
    orgId: me.orgId,
    userId: me.userId,
    // Reports go to the Type 1 group for analysis; the provider always sees its own.
    stage: 'type1',
    tlp: input.tlp,
    kind: input.kind,
    certainty: input.certainty,
    confidence: input.confidence,
    isConsultation: input.isConsultation,
    isOriginal: input.isOriginal && inType1Group(me),
    providerNamed: input.providerNamed,
    title: input.title,
    description: input.description,
    attackSource: input.attackSource ?? null,
    technique: input.technique ?? null,
    objective: input.objective ?? null,
    status: 'open',
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.tx(async (r) => {
    await checkRecipients(r, input.tlp, input.recipientUserIds);
    await r.sharing.reports.insert(record);
    await r.sharing.recipients.set(record.id, input.recipientUserIds);
    await r.sharing.observables.replace('report', record.id, observables, now);
    // Give and take: the report, and original information when it is that.
    await recordLedger(r, deps, { orgId: me.orgId, kind: 'report', refId: record.id });
    if (record.isOriginal) await recordLedger(r, deps, { orgId: me.orgId, kind: 'original', refId: record.id });
    await publishReport(r, deps, record, observables);
    await alsoInTx?.(r, record);
    await audit(r, deps, actor, meta, 'report.create', { type: 'report', id: record.id }, {
      kind: record.kind,
      tlp: record.tlp,
      observables: observables.length,
    });
    await noticeReport(r, deps, actor, record);
  });
  return reportView(deps, actor, record);
}

async function reportView(deps: Deps, actor: Actor, report: ReportRecord): Promise<Report> {
  let provider: Report['provider'] = null;
  if (mayKnowProvider(actor, report)) {
    const org = await deps.store.read.organizations.byId(report.orgId);
    if (org) provider = { orgId: org.id, nameJa: org.nameJa, nameEn: org.nameEn };
  }
  const { orgId: _o, userId: _u, ...rest } = report;
  return { ...rest, provider, own: actor.kind === 'user' && actor.orgId === report.orgId };
}

export interface ReportDetail {
  report: Report;
  observables: (Observable & { alsoIn?: { kind: 'report' | 'advisory'; id: string; title: string }[] })[];
  comments: Comment[];
  corroborations: { count: number; orgs: { nameJa: string; nameEn: string; at: string }[]; mine: boolean };
  links: { id: string; title: string }[];
  attachments: { id: string; filename: string; mediaType: string; size: number; sha256: string; createdAt: string }[];
}

/**
 * Other items holding the same observables, as "also in …" links for the Type 1 group, limited to
 * items the reader may see.
 */
export async function correlate(
  deps: Deps,
  actor: Actor,
  itemId: string,
  observables: readonly Observable[],
): Promise<Map<string, { kind: 'report' | 'advisory'; id: string; title: string }[]>> {
  const out = new Map<string, { kind: 'report' | 'advisory'; id: string; title: string }[]>();
  if (actor.kind !== 'user' || !inType1Group(actor)) return out;
  const r = deps.store.read;
  const hits = await r.sharing.observables.itemsWith(observables, itemId);
  const titles = new Map<string, string | null>();
  for (const hit of hits) {
    if (!titles.has(hit.itemId)) {
      const recipients = await r.sharing.recipients.list(hit.itemId);
      const item = hit.kind === 'report' ? await r.sharing.reports.byId(hit.itemId) : await r.sharing.advisories.byId(hit.itemId);
      const facts = item && { stage: item.stage, tlp: item.tlp, ownerOrgId: item.orgId, recipientUserIds: recipients };
      titles.set(hit.itemId, facts && canRead(actor, facts) ? item.title : null);
    }
    const title = titles.get(hit.itemId);
    if (!title) continue;
    const key = `${hit.type}\u0000${hit.value}`;
    const list = out.get(key) ?? [];
    list.push({ kind: hit.kind, id: hit.itemId, title });
    out.set(key, list);
  }
  return out;
}

export async function getReport(deps: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<ReportDetail> {
  const r = deps.store.read;
  const report = await readableReport(r, actor, id);
  const analyst = seesAnalysis(actor);
  const observables = await r.sharing.observables.forItem(id);
  const also = await correlate(deps, actor, id, observables);
  const comments = await r.sharing.comments.list(id, commentAudiences(actor));
  const corroborations = await r.sharing.corroborations.list(id);
  const linkIds = await r.sharing.links.list(id);
  const links: { id: string; title: string }[] = [];
  for (const linkId of linkIds) {
    const other = await r.sharing.reports.byId(linkId);
    if (other && canRead(actor, reportFacts(other, await r.sharing.recipients.list(linkId)))) links.push({ id: other.id, title: other.title });
  }
  const names = new Map<string, { nameJa: string; nameEn: string }>();
  const orgName = async (orgId: string) => {
    if (!names.has(orgId)) {
      const o = await r.organizations.byId(orgId);
      names.set(orgId, { nameJa: o?.nameJa ?? '', nameEn: o?.nameEn ?? '' });
    }
    return names.get(orgId) as { nameJa: string; nameEn: string };
  };
  const commentViews: Comment[] = [];
  for (const c of comments) {
    const author = await r.users.byId(c.userId);
    // Replies written by the provider stay anonymous to the Type 1 group unless the provider is named.
    const hideAuthor = c.orgId === report.orgId && !mayKnowProvider(actor, report);
    const org = hideAuthor ? { nameJa: '匿名の情報提供者', nameEn: 'Anonymous provider' } : await orgName(c.orgId);
    commentViews.push({
      id: c.id,
      kind: c.kind,
      body: c.body,
      author: { orgNameJa: org.nameJa, orgNameEn: org.nameEn, displayName: hideAuthor ? '' : (author?.displayName ?? '') },
      createdAt: c.createdAt,
    });
  }
  const detail: ReportDetail = {
    report: await reportView(deps, actor, report),
    observables: observables.map((o) => {
      const alsoIn = also.get(`${o.type}\u0000${o.value}`);
      return alsoIn ? { ...o, alsoIn } : o;
    }),
    comments: commentViews,
    corroborations: {
      count: corroborations.length,
      orgs: analyst
        ? await Promise.all(corroborations.map(async (c) => ({ ...(await orgName(c.orgId)), at: c.createdAt })))
        : [],
      mine: actor.kind === 'user' && corroborations.some((c) => c.orgId === actor.orgId),
    },
    links,
    attachments: (await r.sharing.attachments.list(id)).map(({ reportId: _r, ...a }) => a),
  };
  // Every view of non-public information is on the record.
  await deps.store.tx((t) => audit(t, deps, actor, meta, 'report.view', { type: 'report', id }));
  return detail;
}

export async function listReports(
  deps: Deps,
  actor: Actor,
  q: { cursor?: string | undefined; limit: number; kind?: ReportKind | undefined; consultations?: boolean | undefined },
): Promise<Page<ReportSummary>> {
  const r = deps.store.read;
  const rows = await r.sharing.reports.list({
    filter: readFilter(actor),
    userId: userId(actor),
    before: decodeCursor(q.cursor),
    limit: q.limit + 1,
    ...(q.kind ? { kind: q.kind } : {}),
    ...(q.consultations !== undefined ? { consultations: q.consultations } : {}),
  });
  const page = toPage(rows, q.limit, (x) => x.id);
  const ids = page.items.map((x) => x.id);
  const corroborations = await r.sharing.corroborations.count(ids);
  const comments = await r.sharing.comments.count(ids);
  return {
    next: page.next,
    items: page.items.map((x) => ({
      id: x.id,
      stage: x.stage,
      tlp: x.tlp,
      kind: x.kind,
      certainty: x.certainty,
      isConsultation: x.isConsultation,
      isOriginal: x.isOriginal,
      title: x.title,
      status: x.status,
      createdAt: x.createdAt,
      own: actor.kind === 'user' && actor.orgId === x.orgId,
      corroborations: corroborations.get(x.id) ?? 0,
      comments: comments.get(x.id) ?? 0,
    })),
  };
}

export async function addComment(
  deps: Deps,
  actor: Actor,
  reportId: string,
  input: { body: string; kind: 'comment' | 'original' | 'reply' },
  meta: RequestMeta,
): Promise<void> {
  await deps.store.tx(async (r) => {
    const report = await readableReport(r, actor, reportId);
    authorize(actor, input.kind === 'reply' ? 'report.reply' : 'report.comment', { orgId: report.orgId });
    const me = actor as UserActor;
    const id = newId();
    await r.sharing.comments.insert({
      id,
      reportId,
      orgId: me.orgId,
      userId: me.userId,
      kind: input.kind,
      audience: input.kind === 'reply' ? 'provider' : 'type1',
      body: input.body,
      createdAt: iso(deps.now()),
    });
    if (report.status === 'open' && input.kind !== 'reply') await r.sharing.reports.update(reportId, { status: 'analysing' });
    // Give and take: analysis or original information, once per organisation and report.
    if (input.kind !== 'reply') await recordLedger(r, deps, { orgId: me.orgId, kind: input.kind === 'original' ? 'original' : 'analysis', refId: reportId });
    await audit(r, deps, actor, meta, `report.${input.kind}`, { type: 'report', id: reportId }, { commentId: id });
    if (input.kind === 'reply') await noticeReply(r, deps, actor, report);
  });
}

/** 「こちらでも観測」: one corroboration per organisation. */
export async function corroborate(deps: Deps, actor: Actor, reportId: string, note: string | undefined, meta: RequestMeta): Promise<boolean> {
  return deps.store.tx(async (r) => {
    await readableReport(r, actor, reportId);
    authorize(actor, 'report.corroborate');
    const me = actor as UserActor;
    const added = await r.sharing.corroborations.add({ reportId, orgId: me.orgId, userId: me.userId, note: note ?? null, createdAt: iso(deps.now()) });
    if (added) await recordLedger(r, deps, { orgId: me.orgId, kind: 'corroboration', refId: reportId });
    if (added) await audit(r, deps, actor, meta, 'report.corroborate', { type: 'report', id: reportId });
    return added;
  });
}

export async function linkReports(deps: Deps, actor: Actor, fromId: string, toId: string, meta: RequestMeta): Promise<void> {
  if (fromId === toId) throw new Invalid('invalid_input');
  await deps.store.tx(async (r) => {
    await readableReport(r, actor, fromId);
    await readableReport(r, actor, toId);
    authorize(actor, 'report.manage');
    await r.sharing.links.add(fromId, toId, (actor as UserActor).userId, iso(deps.now()));
    await audit(r, deps, actor, meta, 'report.link', { type: 'report', id: fromId }, { to: toId });
  });
}

export async function setReportStatus(
  deps: Deps,
  actor: Actor,
  reportId: string,
  status: 'open' | 'analysing' | 'closed',
  meta: RequestMeta,
): Promise<void> {
  await deps.store.tx(async (r) => {
    await readableReport(r, actor, reportId);
    authorize(actor, 'report.manage');
    await r.sharing.reports.update(reportId, { status, updatedAt: iso(deps.now()) });
    await audit(r, deps, actor, meta, 'report.status', { type: 'report', id: reportId }, { status });
  });
}

export interface Upload {
  filename: string;
  mediaType: string;
  bytes: Buffer;
}

/** Attach a file to a report: the provider or the Type 1 group, within the size limit. */
export async function addAttachment(deps: Deps, actor: Actor, reportId: string, upload: Upload, meta: RequestMeta): Promise<{ id: string; sha256: string }> {
  if (upload.bytes.length === 0) throw new Invalid('invalid_input');
  if (upload.bytes.length > deps.config.maxAttachmentBytes) {
    throw new Invalid('attachment_too_large', { max: Math.floor(deps.config.maxAttachmentBytes / 1024 / 1024) || 1 });
  }
  const id = newId();
  const sha256 = createHash('sha256').update(upload.bytes).digest('hex');
  // Keep only the last path segment and printable characters: the name is shown, never used as a path.
  // eslint-disable-next-line no-control-regex -- removing control characters is the point
  const filename = (upload.filename.split(/[\\/]/).pop() ?? 'file').replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'file';
  await deps.store.tx(async (r) => {
    const report = await readableReport(r, actor, reportId);
    authorize(actor, 'report.reply', { orgId: report.orgId });
    await deps.files.put(id, upload.bytes);
    await r.sharing.attachments.insert({
      id,
      reportId,
      filename,
      mediaType: upload.mediaType.slice(0, 100),
      size: upload.bytes.length,
      sha256,
      createdAt: iso(deps.now()),
    });
    await audit(r, deps, actor, meta, 'attachment.add', { type: 'report', id: reportId }, { attachmentId: id, sha256, size: upload.bytes.length });
  });
  return { id, sha256 };
}

/** Download an attachment: only for those who may read its report; every download is audited. */
export async function getAttachment(deps: Deps, actor: Actor, attachmentId: string, meta: RequestMeta): Promise<Upload> {
  const r = deps.store.read;
  const a = await r.sharing.attachments.byId(attachmentId);
  if (!a) throw new NotFound('not_found');
  await readableReport(r, actor, a.reportId);
  const bytes = await deps.files.get(a.id);
  if (!bytes) throw new NotFound('not_found');
  await deps.store.tx((t) => audit(t, deps, actor, meta, 'attachment.download', { type: 'report', id: a.reportId }, { attachmentId: a.id }));
  return { filename: a.filename, mediaType: a.mediaType, bytes };
}
