/**
 * 対策情報: countermeasure information, written in the Type 1 group, revised in versions and released
 * stage by stage (draft → Type 1 group → Type 2 → all members → public). Each release is audited.
 */
import { diffWords } from 'diff';
import type { Actor, UserActor } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import { sectors, type Page } from '../model.js';
import { authorize, canRead, mayKnowAuthor, readFilter, type ItemFacts } from '../policy.js';
import type { Repos } from '../ports.js';
import { publishAdvisory } from '../interop/publish.js';
import { noticeRelease } from '../notifications/notices.js';
import {
  stages,
  type Advisory,
  type AdvisoryContent,
  type AdvisoryCreate,
  type AdvisoryRevise,
  type AdvisorySummary,
  type ReleaseInput,
  type Stage,
} from './model.js';
import { normaliseObservables } from './observables.js';
import { flagPersonalData, significantTerm, type Flag } from './pii.js';
import type { AdvisoryRecord } from './ports.js';
import { checkRecipients, readableReport } from './reports.js';

const advisoryFacts = (a: AdvisoryRecord, recipientUserIds: readonly string[]): ItemFacts => ({
  stage: a.stage,
  tlp: a.tlp,
  ownerOrgId: a.orgId,
  recipientUserIds,
});

/** Load an item the actor may read, or answer "not found". */
export async function readableAdvisory(r: Repos, actor: Actor, id: string): Promise<AdvisoryRecord> {
  const a = await r.sharing.advisories.byId(id);
  if (!a || !canRead(actor, advisoryFacts(a, await r.sharing.recipients.list(id)))) throw new NotFound('not_found');
  return a;
}

function checkContent(content: AdvisoryContent): AdvisoryContent {
  const known = new Set<string>(sectors);
  if (content.sectors.some((s) => !known.has(s))) throw new Invalid('invalid_sector');
  return { ...content, indicators: normaliseObservables(content.indicators) };
}

const summary = (a: AdvisoryRecord): AdvisorySummary => ({
  id: a.id,
  stage: a.stage,
  tlp: a.tlp,
  title: a.title,
  version: a.version,
  feedbackDeadline: a.feedbackDeadline,
  releasedAt: a.releasedAt,
  createdAt: a.createdAt,
  updatedAt: a.updatedAt,
});

export async function createAdvisory(deps: Deps, actor: Actor, input: AdvisoryCreate, meta: RequestMeta): Promise<AdvisorySummary> {
  authorize(actor, 'advisory.create');
  const me = actor as UserActor;
  const { tlp, recipientUserIds, sourceReportId, ...rawContent } = input;
  const content = checkContent(rawContent);
  const now = iso(deps.now());
  const record: AdvisoryRecord = {
    id: newId(),
    orgId: me.orgId,
    userId: me.userId,
    stage: 'draft',
    tlp,
    version: 1,
    title: content.title,
    sourceReportId: sourceReportId ?? null,
    feedbackDeadline: null,
    releasedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.tx(async (r) => {
    if (sourceReportId) await readableReport(r, actor, sourceReportId);
    await checkRecipients(r, tlp, recipientUserIds);
    await r.sharing.advisories.insert(record);
    await r.sharing.versions.insert({ advisoryId: record.id, version: 1, content, userId: me.userId, note: null, createdAt: now });
    await r.sharing.recipients.set(record.id, recipientUserIds);
    await r.sharing.observables.replace('advisory', record.id, content.indicators, now);
    await audit(r, deps, actor, meta, 'advisory.create', { type: 'advisory', id: record.id }, { tlp, sourceReportId: sourceReportId ?? null });
  });
  return summary(record);
}

/** A new version: the text changes, the stage stays. Feedback is per version. */
export async function reviseAdvisory(
  deps: Deps,
  actor: Actor,
  id: string,
  input: AdvisoryRevise,
  meta: RequestMeta,
): Promise<AdvisorySummary> {
  const { note, tlp, ...rawContent } = input;
  const content = checkContent(rawContent);
  return deps.store.tx(async (r) => {
    const a = await readableAdvisory(r, actor, id);
    authorize(actor, 'advisory.revise', { orgId: a.orgId });
    if (tlp && a.stage === 'public' && tlp !== 'clear') throw new Invalid('public_requires_clear');
    const now = iso(deps.now());
    const version = a.version + 1;
    await r.sharing.versions.insert({ advisoryId: id, version, content, userId: (actor as UserActor).userId, note: note ?? null, createdAt: now });
    const patch = { version, title: content.title, updatedAt: now, ...(tlp ? { tlp } : {}) };
    await r.sharing.advisories.update(id, patch);
    await r.sharing.observables.replace('advisory', id, content.indicators, now);
    await publishAdvisory(r, deps, id);
    await audit(r, deps, actor, meta, 'advisory.revise', { type: 'advisory', id }, { version, tlp: tlp ?? a.tlp, note: note ?? null });
    return summary({ ...a, ...patch });
  });
}

export async function getAdvisory(deps: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<Advisory> {
  const r = deps.store.read;
  const a = await readableAdvisory(r, actor, id);
  const versions = await r.sharing.versions.list(id);
  const current = versions.find((v) => v.version === a.version);
  if (!current) throw new NotFound('not_found');
  const releases = await r.sharing.releases.list(id);
  const org = await r.organizations.byId(a.orgId);
  const mine = actor.kind === 'user' ? await r.sharing.feedback.get(id, a.version, actor.orgId) : undefined;
  if (a.stage !== 'public') await deps.store.tx((t) => audit(t, deps, actor, meta, 'advisory.view', { type: 'advisory', id }, { version: a.version }));
  return {
    ...summary(a),
    content: current.content,
    own: actor.kind === 'user' && actor.orgId === a.orgId,
    // Countermeasure information is released as the Type 1 group's product: only the group and the
    // secretariat see which organisation wrote it.
    author: org && mayKnowAuthor(actor, { ownerOrgId: a.orgId }) ? { orgNameJa: org.nameJa, orgNameEn: org.nameEn } : null,
    versions: versions.map((v) => ({ version: v.version, createdAt: v.createdAt, note: v.note })),
    releases: releases.map((x) => ({ fromStage: x.fromStage, toStage: x.toStage, version: x.version, at: x.createdAt, feedbackDeadline: x.feedbackDeadline })),
    myFeedback: mine ? { answer: mine.answer, comment: mine.comment, late: mine.late, answeredAt: mine.answeredAt } : null,
  };
}

export async function listAdvisories(
  deps: Deps,
  actor: Actor,
  q: { cursor?: string | undefined; limit: number; stage?: Stage | undefined },
): Promise<Page<AdvisorySummary>> {
  const rows = await deps.store.read.sharing.advisories.list({
    filter: readFilter(actor),
    userId: actor.kind === 'user' ? actor.userId : undefined,
    before: decodeCursor(q.cursor),
    limit: q.limit + 1,
    ...(q.stage ? { stage: q.stage } : {}),
  });
  const page = toPage(rows, q.limit, (x) => x.id);
  return { items: page.items.map(summary), next: page.next };
}

export interface FieldDiff {
  field: string;
  parts: { value: string; added?: boolean; removed?: boolean }[];
}

/** What changed between two versions, field by field (word-level for text, line per entry for lists). */
export async function diffAdvisory(deps: Deps, actor: Actor, id: string, from: number, to: number): Promise<FieldDiff[]> {
  const r = deps.store.read;
  await readableAdvisory(r, actor, id);
  const a = await r.sharing.versions.get(id, from);
  const b = await r.sharing.versions.get(id, to);
  if (!a || !b) throw new NotFound('version_not_found');
  const asText = (c: AdvisoryContent, f: keyof AdvisoryContent): string => {
    const v = c[f];
    if (Array.isArray(v)) return v.map((x) => (typeof x === 'string' ? x : `${x.type}: ${x.value}`)).join('\n');
    return String(v);
  };
  const fields: (keyof AdvisoryContent)[] = ['title', 'summary', 'threat', 'actions', 'affectedProducts', 'sectors', 'indicators', 'confidence'];
  return fields
    .map((field) => ({ field, parts: diffWords(asText(a.content, field), asText(b.content, field)).map((p) => ({ value: p.value, ...(p.added ? { added: true } : {}), ...(p.removed ? { removed: true } : {}) })) }))
    .filter((d) => d.parts.some((p) => p.added || p.removed));
}

/** Identifiers of the provider organisation that must not travel with a release. */
async function providerTerms(r: Repos, a: AdvisoryRecord): Promise<string[]> {
  const terms = new Set<string>();
  const orgIds = new Set<string>();
  if (a.sourceReportId) {
    const report = await r.sharing.reports.byId(a.sourceReportId);
    if (report && !report.providerNamed) orgIds.add(report.orgId);
  }
  for (const orgId of orgIds) {
    const org = await r.organizations.byId(orgId);
    if (!org) continue;
    terms.add(org.nameJa).add(org.nameEn);
    for (const u of await r.users.listByOrg(orgId, { limit: 1000 })) {
      terms.add(u.login).add(u.displayName);
      const domain = u.email.split('@')[1];
      if (domain) terms.add(domain);
    }
  }
  return [...terms].filter(significantTerm);
}

/** The flags a release beyond the Type 1 group would raise now (for the release dialog). */
export async function releaseCheck(deps: Deps, actor: Actor, id: string): Promise<Flag[]> {
  const r = deps.store.read;
  const a = await readableAdvisory(r, actor, id);
  authorize(actor, 'advisory.release', { orgId: a.orgId });
  const current = await r.sharing.versions.get(id, a.version);
  if (!current) throw new NotFound('not_found');
  return flagPersonalData(current.content, { terms: await providerTerms(r, a) });
}

export const nextStage = (s: Stage): Stage | undefined => stages[stages.indexOf(s) + 1];

export async function releaseAdvisory(
  deps: Deps,
  actor: Actor,
  id: string,
  input: ReleaseInput,
  meta: RequestMeta,
): Promise<AdvisorySummary> {
  return deps.store.tx(async (r) => {
    const a = await readableAdvisory(r, actor, id);
    authorize(actor, 'advisory.release', { orgId: a.orgId });
    const next = nextStage(a.stage);
    if (!next) throw new Invalid('already_final_stage');
    if (input.to !== next) throw new Invalid('release_skips_stage', { from: a.stage, next });
    if (next === 'public' && a.tlp !== 'clear') throw new Invalid('public_requires_clear');
    let confirmed: string[] = [];
    if (next !== 'type1') {
      const current = await r.sharing.versions.get(id, a.version);
      const flags = current ? flagPersonalData(current.content, { terms: await providerTerms(r, a) }) : [];
      // What was confirmed at an earlier release of this same version need not be confirmed again.
      const earlier = (await r.sharing.releases.list(id)).filter((x) => x.version === a.version).flatMap((x) => x.confirmedFlags);
      const accepted = new Set([...input.confirmFlags, ...earlier]);
      const open = flags.filter((f) => !accepted.has(f.text));
      if (open.length) throw new Conflict('personal_data_flagged', {}, open);
      confirmed = flags.map((f) => f.text);
    }
    const now = deps.now();
    const deadline = next === 'type2' ? iso(new Date(now.getTime() + input.feedbackHours * 3_600_000)) : a.feedbackDeadline;
    await r.sharing.releases.insert({
      id: newId(),
      advisoryId: id,
      version: a.version,
      fromStage: a.stage,
      toStage: next,
      userId: (actor as UserActor).userId,
      orgId: (actor as UserActor).orgId,
      feedbackDeadline: next === 'type2' ? deadline : null,
      confirmedFlags: confirmed,
      createdAt: iso(now),
    });
    const patch = { stage: next, releasedAt: iso(now), updatedAt: iso(now), feedbackDeadline: deadline };
    await r.sharing.advisories.update(id, patch);
    await publishAdvisory(r, deps, id);
    await audit(r, deps, actor, meta, 'advisory.release', { type: 'advisory', id }, {
      from: a.stage,
      to: next,
      version: a.version,
      feedbackDeadline: deadline,
      confirmedFlags: confirmed,
    });
    await noticeRelease(r, deps, actor, { ...a, ...patch }, a.stage);
    return summary({ ...a, ...patch });
  });
}

