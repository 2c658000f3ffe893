/**
 * Non-member consultations (構成員でない方からの相談).
 *
 * Anyone may send a consultation through a public form, without an account. Abuse is held off by a per-address
 * rate limit (in the route) and a proof of work that needs no third-party service: the server hands out a random
 * challenge signed with its secret (HMAC-SHA-256) with an expiry and a difficulty; the client finds a nonce such
 * that sha256(challenge + nonce) starts with `difficulty` zero bits; the server checks the signature, the expiry,
 * the work, and that the challenge was not used before.
 *
 * The consulter gets a private link (a random token, stored hashed) to follow the exchange, post follow-ups and
 * give consent (同意). The Type 1 group reads the consultations and answers on the thread. Only with the
 * consulter's consent may a Type 1 user ask the wider council: the consultation then shows to Type 2 (or all)
 * members as a summary the Type 1 user wrote — never the consulter's name, organisation or e-mail — and members
 * answer it; their answers reach the consulter when a Type 1 user relays them (unnamed). A Type 1 user may turn
 * a consultation into a report (owned by the converting user's organisation, marked as a consultation).
 *
 * The consulter's personal data never leaves the Type 1 group: not to members, not into reports (refused), not into
 * the audit log.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { Actor, UserActor } from '../actor.js';
import { anonymous } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { randomToken, sha256 } from '../crypto.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import type { Page } from '../model.js';
import type { Locale } from '../messages.js';
import { audienceStages, authorize } from '../policy.js';
import type { Repos, Store } from '../ports.js';
import { recordLedger } from './ledger.js';
import { normaliseObservables } from './observables.js';
import { flagPersonalData } from './pii.js';
import { noticeConsultation, noticeConsulter, noticeContribution, noticeReport, noticeWidened } from '../notifications/notices.js';
import type { ReportRecord } from './ports.js';
import {
  widenStages,
  type ConsultationCreate,
  type ConsultationDetail,
  type ConsultationQuestion,
  type ConsultationStatus,
  type ConsultationSummary,
  type ConsulterView,
  type ConvertInput,
  type PowChallenge,
  type WidenInput,
  type WidenStage,
} from './requests-model.js';
import type { ConsultationMessageRecord, ConsultationRecord } from './requests-ports.js';

// ------------------------------------------------------------------ proof of work

/** Leading zero bits asked for by default: about 260,000 hashes, a second or two in a browser. */
export const DEFAULT_POW_BITS = 18;
/** A challenge is good for this long: the form is filled in first, the challenge fetched and solved on sending. */
export const CHALLENGE_TTL_MS = 10 * 60_000;

const secrets = new WeakMap<Store, Promise<string>>();

/** The signing secret: made once, kept in the database so that every server process shares it. */
function powSecret(deps: Deps): Promise<string> {
  let secret = secrets.get(deps.store);
  if (!secret) {
    secret = deps.store.tx((r) => r.requests.powSecret(randomToken(32)));
    secrets.set(deps.store, secret);
    secret.catch(() => secrets.delete(deps.store));
  }
  return secret;
}

const sign = (secret: string, payload: string): string => createHmac('sha256', secret).update(payload).digest('base64url');

export const powHash = (challenge: string, nonce: string): Buffer => createHash('sha256').update(challenge + nonce).digest();

export function leadingZeroBits(hash: Uint8Array): number {
  let bits = 0;
  for (const byte of hash) {
    if (byte === 0) {
      bits += 8;
      continue;
    }
    return bits + Math.clz32(byte) - 24;
  }
  return bits;
}

/** Find a nonce for a challenge (what the browser does; tests and the demo use it too). */
export function solveChallenge(challenge: string, difficulty: number): string {
  for (let i = 0; ; i++) {
    const nonce = i.toString(36);
    if (leadingZeroBits(powHash(challenge, nonce)) >= difficulty) return nonce;
  }
}

/** A new challenge: `v1.<difficulty>.<expiry ms>.<random>.<HMAC of the rest>`. */
export async function issueChallenge(deps: Deps, difficulty: number): Promise<PowChallenge> {
  const expires = deps.now().getTime() + CHALLENGE_TTL_MS;
  const payload = `v1.${difficulty}.${expires}.${randomToken(16)}`;
  return {
    challenge: `${payload}.${sign(await powSecret(deps), payload)}`,
    difficulty,
    expiresAt: iso(new Date(expires)),
    algorithm: 'sha256-leading-zero-bits',
  };
}

/** Check a solved challenge (not yet its single use, which the transaction records). */
async function checkChallenge(deps: Deps, challenge: string, nonce: string, minDifficulty: number): Promise<{ hash: string; expiresAt: string }> {
  const parts = challenge.split('.');
  const [version, d, e, random, signature] = parts;
  if (parts.length !== 5 || version !== 'v1' || !d || !e || !random || !signature) throw new Invalid('challenge_invalid');
  const expected = Buffer.from(sign(await powSecret(deps), `${version}.${d}.${e}.${random}`));
  const given = Buffer.from(signature);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new Invalid('challenge_invalid');
  const difficulty = Number(d);
  const expires = Number(e);
  // A challenge made before the difficulty was raised is not good enough any more.
  if (!Number.isSafeInteger(difficulty) || !Number.isSafeInteger(expires) || difficulty < minDifficulty) throw new Invalid('challenge_invalid');
  if (deps.now().getTime() > expires) throw new Invalid('challenge_expired');
  if (leadingZeroBits(powHash(challenge, nonce)) < difficulty) throw new Invalid('pow_invalid');
  return { hash: sha256(challenge), expiresAt: iso(new Date(expires)) };
}

// ------------------------------------------------------------------ the consulter

async function byToken(r: Repos, token: string): Promise<ConsultationRecord> {
  const c = await r.requests.consultations.byTokenHash(sha256(token));
  if (!c) throw new NotFound('not_found');
  return c;
}

/** Send a consultation. Answers the private link token, once. */
export async function submitConsultation(
  deps: Deps,
  input: ConsultationCreate,
  opts: { minDifficulty: number; locale: Locale },
  meta: RequestMeta,
): Promise<{ token: string }> {
  const observables = normaliseObservables(input.observables);
  const { hash, expiresAt } = await checkChallenge(deps, input.challenge, input.nonce, opts.minDifficulty);
  const token = randomToken();
  const now = iso(deps.now());
  const record: ConsultationRecord = {
    id: newId(),
    tokenHash: sha256(token),
    name: input.name,
    organization: input.organization || null,
    email: input.email,
    locale: input.locale ?? opts.locale,
    body: input.body,
    observables,
    status: 'open',
    consentAt: null,
    widenedAt: null,
    widenedBy: null,
    widenedStage: null,
    summary: null,
    reportId: null,
    convertedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await deps.store.tx(async (r) => {
    if (!(await r.requests.challenges.use(hash, expiresAt, now))) throw new Conflict('challenge_used');
    await r.requests.consultations.insert(record);
    // No personal data in the audit log: it is read beyond the Type 1 group.
    await audit(r, deps, anonymous, meta, 'consultation.submit', { type: 'consultation', id: record.id }, {
      observables: observables.length,
      locale: record.locale,
    });
    await noticeConsultation(r, deps, record);
  });
  return { token };
}

function consulterView(c: ConsultationRecord, messages: ConsultationMessageRecord[]): ConsulterView {
  return {
    status: c.status,
    name: c.name,
    organization: c.organization,
    email: c.email,
    locale: c.locale,
    body: c.body,
    observables: c.observables,
    createdAt: c.createdAt,
    consent: { given: c.consentAt !== null, at: c.consentAt },
    widened: c.widenedAt !== null,
    messages: messages
      .filter((m) => m.author !== 'member' || m.relayedAt !== null)
      .map((m): ConsulterView['messages'][number] => ({
        id: m.id,
        from: m.author === 'consulter' ? 'consulter' : m.author === 'council' ? 'council' : 'council_member',
        body: m.body,
        // A relayed answer appears on the consulter's thread when it was passed on.
        createdAt: m.author === 'member' ? (m.relayedAt as string) : m.createdAt,
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
  };
}

/** The private link: the consultation as sent, the consent, and the exchange. */
export async function viewByToken(deps: Deps, token: string): Promise<ConsulterView> {
  const r = deps.store.read;
  const c = await byToken(r, token);
  return consulterView(c, await r.requests.consultationMessages.list(c.id));
}

/** A follow-up message from the consulter. */
export async function postByToken(deps: Deps, token: string, body: string, meta: RequestMeta): Promise<ConsulterView> {
  return deps.store.tx(async (r) => {
    const c = await byToken(r, token);
    if (c.status !== 'open') throw new Conflict('consultation_closed');
    const now = iso(deps.now());
    const id = newId();
    await r.requests.consultationMessages.insert({ id, consultationId: c.id, author: 'consulter', orgId: null, userId: null, body, relayedAt: null, relayedBy: null, createdAt: now });
    await r.requests.consultations.update(c.id, { updatedAt: now });
    await audit(r, deps, anonymous, meta, 'consultation.message', { type: 'consultation', id: c.id }, { messageId: id });
    return consulterView({ ...c, updatedAt: now }, await r.requests.consultationMessages.list(c.id));
  });
}

/** 同意: the consulter agrees (or no longer agrees, until members have been asked) that the wider council is asked. */
export async function consentByToken(deps: Deps, token: string, consent: boolean, meta: RequestMeta): Promise<ConsulterView> {
  return deps.store.tx(async (r) => {
    const c = await byToken(r, token);
    if (!consent && c.widenedAt) throw new Conflict('consent_in_use');
    const now = iso(deps.now());
    const consentAt = consent ? (c.consentAt ?? now) : null;
    if (consentAt !== c.consentAt) {
      await r.requests.consultations.update(c.id, { consentAt, updatedAt: now });
      await audit(r, deps, anonymous, meta, 'consultation.consent', { type: 'consultation', id: c.id }, { consent });
    }
    return consulterView({ ...c, consentAt }, await r.requests.consultationMessages.list(c.id));
  });
}

// ------------------------------------------------------------------ the Type 1 group

async function readable(r: Repos, actor: Actor, id: string): Promise<ConsultationRecord> {
  authorize(actor, 'consultation.read', {}, { hide: true });
  const c = await r.requests.consultations.byId(id);
  if (!c) throw new NotFound('not_found');
  return c;
}

const excerpt = (s: string): string => (s.length > 120 ? `${s.slice(0, 119)}…` : s);

export async function listConsultations(
  deps: Deps,
  actor: Actor,
  q: { status?: ConsultationStatus | undefined; cursor?: string | undefined; limit: number },
): Promise<Page<ConsultationSummary>> {
  authorize(actor, 'consultation.read');
  const r = deps.store.read;
  const rows = await r.requests.consultations.list({ ...(q.status ? { status: q.status } : {}), before: decodeCursor(q.cursor), limit: q.limit + 1 });
  const page = toPage(rows, q.limit, (c) => c.id);
  const counts = await r.requests.consultationMessages.count(page.items.map((c) => c.id));
  return {
    next: page.next,
    items: page.items.map((c) => ({
      id: c.id,
      status: c.status,
      name: c.name,
      organization: c.organization,
      excerpt: excerpt(c.body),
      locale: c.locale,
      consentAt: c.consentAt,
      widenedAt: c.widenedAt,
      widenedStage: c.widenedStage,
      reportId: c.reportId,
      messages: counts.get(c.id)?.messages ?? 0,
      lastMessageAt: counts.get(c.id)?.lastAt ?? null,
      createdAt: c.createdAt,
    })),
  };
}

async function detailOf(r: Repos, c: ConsultationRecord): Promise<ConsultationDetail> {
  const messages: ConsultationDetail['messages'] = [];
  const orgs = new Map<string, { nameJa: string; nameEn: string }>();
  for (const m of await r.requests.consultationMessages.list(c.id)) {
    let org: { nameJa: string; nameEn: string } | undefined;
    if (m.orgId) {
      if (!orgs.has(m.orgId)) {
        const o = await r.organizations.byId(m.orgId);
        orgs.set(m.orgId, { nameJa: o?.nameJa ?? '', nameEn: o?.nameEn ?? '' });
      }
      org = orgs.get(m.orgId);
    }
    const user = m.userId ? await r.users.byId(m.userId) : undefined;
    messages.push({
      id: m.id,
      author: m.author,
      orgNameJa: org?.nameJa ?? null,
      orgNameEn: org?.nameEn ?? null,
      displayName: user?.displayName ?? null,
      body: m.body,
      visibleToConsulter: m.author !== 'member' || m.relayedAt !== null,
      relayedAt: m.relayedAt,
      createdAt: m.createdAt,
    });
  }
  const { tokenHash: _t, widenedBy: _w, ...rest } = c;
  return { ...rest, messages };
}

/** A consultation with the consulter's details and the whole thread (Type 1 group only; every view is audited). */
export async function getConsultation(deps: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<ConsultationDetail> {
  const r = deps.store.read;
  const c = await readable(r, actor, id);
  const detail = await detailOf(r, c);
  await deps.store.tx((t) => audit(t, deps, actor, meta, 'consultation.view', { type: 'consultation', id }));
  return detail;
}

/** A Type 1 user answers the consulter (shown on the private link as "the council"). */
export async function answerConsultation(deps: Deps, actor: Actor, id: string, body: string, meta: RequestMeta): Promise<ConsultationDetail> {
  return deps.store.tx(async (r) => {
    const c = await readable(r, actor, id);
    authorize(actor, 'consultation.answer');
    if (c.status !== 'open') throw new Conflict('consultation_closed');
    const me = actor as UserActor;
    const now = iso(deps.now());
    const messageId = newId();
    await r.requests.consultationMessages.insert({
      id: messageId,
      consultationId: id,
      author: 'council',
      orgId: me.orgId,
      userId: me.userId,
      body,
      relayedAt: null,
      relayedBy: null,
      createdAt: now,
    });
    await r.requests.consultations.update(id, { updatedAt: now });
    // Give and take: an organisation's first answer to a consultation counts once.
    await recordLedger(r, deps, { orgId: me.orgId, kind: 'consultation_answered', refId: id });
    await audit(r, deps, actor, meta, 'consultation.answer', { type: 'consultation', id }, { messageId });
    await noticeConsulter(r, deps, actor, c);
    return detailOf(r, { ...c, updatedAt: now });
  });
}

export async function setConsultationStatus(
  deps: Deps,
  actor: Actor,
  id: string,
  status: ConsultationStatus,
  meta: RequestMeta,
): Promise<ConsultationDetail> {
  return deps.store.tx(async (r) => {
    const c = await readable(r, actor, id);
    authorize(actor, 'consultation.answer');
    const now = iso(deps.now());
    await r.requests.consultations.update(id, { status, updatedAt: now });
    await audit(r, deps, actor, meta, 'consultation.status', { type: 'consultation', id }, { status });
    return detailOf(r, { ...c, status, updatedAt: now });
  });
}

/** Words that would identify the consulter: name (whole and in parts), e-mail address, organisation. */
function consulterTerms(c: ConsultationRecord): string[] {
  const terms = new Set<string>();
  const add = (s: string | null) => {
    const t = s?.trim();
    if (t) terms.add(t);
  };
  add(c.name);
  add(c.name.replace(/[\s\u3000]+/g, ''));
  for (const part of c.name.split(/[\s\u3000]+/)) add(part);
  add(c.email);
  add(c.organization);
  const ascii = (t: string) => /^[\x20-\x7e]*$/.test(t);
  return [...terms].filter((t) => (ascii(t) ? t.length >= 3 : t.length >= 2));
}

/** The consulter's identifying words found in the texts (ASCII words as whole words, others anywhere). */
export function identifyingTerms(c: ConsultationRecord, texts: readonly string[]): string[] {
  const found: string[] = [];
  for (const term of consulterTerms(c)) {
    const escaped = term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const re = /^[\x20-\x7e]*$/.test(term) ? new RegExp(`(?<![A-Za-z0-9])${escaped}(?![A-Za-z0-9])`, 'i') : new RegExp(escaped);
    if (texts.some((t) => re.test(t))) found.push(term);
  }
  return found;
}

/**
 * Ask the wider council (Type 2, or every member): only after the consulter's consent, with a summary written by
 * the Type 1 user that names nothing of the consulter; other likely personal data must be confirmed.
 */
export async function widenConsultation(deps: Deps, actor: Actor, id: string, input: WidenInput, meta: RequestMeta): Promise<ConsultationDetail> {
  return deps.store.tx(async (r) => {
    const c = await readable(r, actor, id);
    authorize(actor, 'consultation.answer');
    if (c.status !== 'open') throw new Conflict('consultation_closed');
    if (!c.consentAt) throw new Conflict('consent_required');
    if (c.widenedAt) throw new Conflict('consultation_already_widened');
    const identifying = identifyingTerms(c, [input.summary]);
    if (identifying.length) throw new Invalid('text_identifies_consulter', {}, identifying);
    const flags = flagPersonalData(
      { title: '', summary: input.summary, threat: '', actions: '', affectedProducts: [], sectors: [], indicators: [], confidence: 'medium' },
      { terms: [] },
    );
    const open = flags.filter((f) => !input.confirmFlags.includes(f.text));
    if (open.length) throw new Conflict('personal_data_flagged', {}, open);
    const me = actor as UserActor;
    const now = iso(deps.now());
    const patch = { widenedAt: now, widenedBy: me.userId, widenedStage: input.stage, summary: input.summary, updatedAt: now };
    await r.requests.consultations.update(id, patch);
    await audit(r, deps, actor, meta, 'consultation.widen', { type: 'consultation', id }, { stage: input.stage, confirmedFlags: flags.map((f) => f.text) });
    await noticeWidened(r, deps, actor, c, input.stage);
    return detailOf(r, { ...c, ...patch });
  });
}

/** Pass a member's answer on to the consulter (unnamed). Relaying twice changes nothing. */
export async function relayAnswer(deps: Deps, actor: Actor, id: string, messageId: string, meta: RequestMeta): Promise<ConsultationDetail> {
  return deps.store.tx(async (r) => {
    const c = await readable(r, actor, id);
    authorize(actor, 'consultation.answer');
    const m = await r.requests.consultationMessages.byId(messageId);
    if (!m || m.consultationId !== id) throw new NotFound('not_found');
    if (m.author !== 'member') throw new Invalid('message_not_relayable');
    if (m.relayedAt === null) {
      if (c.status !== 'open') throw new Conflict('consultation_closed');
      const now = iso(deps.now());
      await r.requests.consultationMessages.update(messageId, { relayedAt: now, relayedBy: (actor as UserActor).userId });
      await r.requests.consultations.update(id, { updatedAt: now });
      await audit(r, deps, actor, meta, 'consultation.relay', { type: 'consultation', id }, { messageId });
      await noticeConsulter(r, deps, actor, c);
    }
    return detailOf(r, c);
  });
}

/**
 * Turn a consultation into a report (情報提供) of the converting user's organisation, marked as a consultation, at the
 * Type 1 group stage. The text and observables may not identify the consulter. One report per consultation.
 */
export async function convertConsultation(deps: Deps, actor: Actor, id: string, input: ConvertInput, meta: RequestMeta): Promise<{ reportId: string }> {
  return deps.store.tx(async (r) => {
    const c = await readable(r, actor, id);
    authorize(actor, 'consultation.answer');
    authorize(actor, 'report.create');
    if (c.reportId) throw new Conflict('consultation_already_converted');
    const observables = normaliseObservables(input.observables ?? c.observables);
    const identifying = identifyingTerms(c, [input.title, input.description, ...observables.map((o) => o.value)]);
    if (identifying.length) throw new Invalid('text_identifies_consulter', {}, identifying);
    const me = actor as UserActor;
    const now = iso(deps.now());
    const report: ReportRecord = {
      id: newId(),
      orgId: me.orgId,
      userId: me.userId,
      stage: 'type1',
      tlp: input.tlp,
      kind: input.kind,
      certainty: input.certainty,
      confidence: input.confidence,
      isConsultation: true,
      isOriginal: false,
      providerNamed: false,
      title: input.title,
      description: input.description,
      attackSource: null,
      technique: null,
      objective: null,
      status: 'open',
      createdAt: now,
      updatedAt: now,
    };
    await r.sharing.reports.insert(report);
    if (!(await r.requests.consultations.markConverted(id, report.id, now))) throw new Conflict('consultation_already_converted');
    await r.sharing.observables.replace('report', report.id, observables, now);
    await audit(r, deps, actor, meta, 'report.create', { type: 'report', id: report.id }, {
      kind: report.kind,
      tlp: report.tlp,
      observables: observables.length,
      consultationId: id,
    });
    await audit(r, deps, actor, meta, 'consultation.convert', { type: 'consultation', id }, { reportId: report.id });
    await noticeReport(r, deps, actor, report);
    return { reportId: report.id };
  });
}

// ------------------------------------------------------------------ the wider council

/** The widening stages the actor is in the audience of (search uses it too). */
export function questionStages(actor: Actor): WidenStage[] {
  const visible = audienceStages(actor);
  return widenStages.filter((s) => visible.includes(s));
}

async function readableQuestion(r: Repos, actor: Actor, id: string): Promise<ConsultationRecord> {
  authorize(actor, 'consultation.question');
  const c = await r.requests.consultations.byId(id);
  if (!c?.widenedStage || !questionStages(actor).includes(c.widenedStage)) throw new NotFound('not_found');
  return c;
}

async function questionView(r: Repos, actor: Actor, c: ConsultationRecord): Promise<ConsultationQuestion> {
  const orgId = actor.kind === 'user' ? actor.orgId : undefined;
  const mine = (await r.requests.consultationMessages.list(c.id)).filter((m) => m.author === 'member' && m.orgId === orgId);
  return {
    id: c.id,
    summary: c.summary ?? '',
    stage: c.widenedStage as WidenStage,
    status: c.status,
    widenedAt: c.widenedAt as string,
    myAnswers: mine.map((m) => ({ id: m.id, body: m.body, relayed: m.relayedAt !== null, createdAt: m.createdAt })),
  };
}

/** Consultations the wider council is asked about, as members see them: the summary only. */
export async function listQuestions(deps: Deps, actor: Actor, q: { cursor?: string | undefined; limit: number }): Promise<Page<ConsultationQuestion>> {
  authorize(actor, 'consultation.question');
  const stages = questionStages(actor);
  if (stages.length === 0) return { items: [], next: null };
  const r = deps.store.read;
  const rows = await r.requests.consultations.listWidened({ stages, before: decodeCursor(q.cursor), limit: q.limit + 1 });
  const page = toPage(rows, q.limit, (c) => c.id);
  const items: ConsultationQuestion[] = [];
  for (const c of page.items) items.push(await questionView(r, actor, c));
  return { items, next: page.next };
}

export async function getQuestion(deps: Deps, actor: Actor, id: string, meta: RequestMeta): Promise<ConsultationQuestion> {
  const r = deps.store.read;
  const c = await readableQuestion(r, actor, id);
  const view = await questionView(r, actor, c);
  await deps.store.tx((t) => audit(t, deps, actor, meta, 'consultation.question.view', { type: 'consultation', id }));
  return view;
}

/** A member answers the widened question: seen by the Type 1 group (and its own organisation) until relayed. */
export async function answerQuestion(deps: Deps, actor: Actor, id: string, body: string, meta: RequestMeta): Promise<ConsultationQuestion> {
  return deps.store.tx(async (r) => {
    const c = await readableQuestion(r, actor, id);
    authorize(actor, 'consultation.contribute');
    if (c.status !== 'open') throw new Conflict('consultation_closed');
    const me = actor as UserActor;
    const now = iso(deps.now());
    const messageId = newId();
    await r.requests.consultationMessages.insert({
      id: messageId,
      consultationId: id,
      author: 'member',
      orgId: me.orgId,
      userId: me.userId,
      body,
      relayedAt: null,
      relayedBy: null,
      createdAt: now,
    });
    await r.requests.consultations.update(id, { updatedAt: now });
    await recordLedger(r, deps, { orgId: me.orgId, kind: 'consultation_answered', refId: id });
    await audit(r, deps, actor, meta, 'consultation.question.answer', { type: 'consultation', id }, { messageId });
    await noticeContribution(r, deps, actor, c);
    return questionView(r, actor, c);
  });
}
