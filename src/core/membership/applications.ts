/**
 * Applications (加入申込書): submitted by anyone without an account inside an open period, checked by the
 * secretariat (who may return them with questions), decided by the steering committee. Approval creates the
 * organisation and its first administrator, who sets a password through a one-time link. Each step is one
 * transaction with an audit row and a history entry the applicant can follow through a private link.
 */
import { anonymous, type Actor } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { randomToken, sha256 } from '../crypto.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import type { Organization, Page, UserRole } from '../model.js';
import { authorize } from '../policy.js';
import type { Repos } from '../ports.js';
import { checkOrganization } from '../usecases/organizations.js';
import { membershipEvent, statusParams, textOrNull, who } from './common.js';
import type {
  ApplicantView,
  Application,
  ApplicationCorrections,
  ApplicationCreate,
  ApplicationDetail,
  ApplicationEvent,
  ApplicationEventKind,
  ApplicationFields,
  ApplicationQuery,
  ApprovalResult,
  ApproveInput,
  EventRole,
} from './model.js';
import { membershipDefaults } from './model.js';
import { normalizeName, organisationDomain } from './normalize.js';
import { issuePasswordSetup, UNSET_PASSWORD } from './accounts.js';
import { periodForApplication } from './periods.js';
import type { ApplicationEventRecord, ApplicationRecord } from './ports.js';
import { toUtc } from './time.js';
import { noticeApplicationDecided } from '../notifications/notices.js';

const DECIDED = new Set(['approved', 'rejected', 'withdrawn']);

/** Rules across fields that a schema alone cannot say. */
function checkFields(f: Omit<ApplicationFields, 'contacts' | 'nameJa' | 'nameEn' | 'reason'>): void {
  if (f.category === 'critical_infrastructure' && !f.sector) throw new Invalid('sector_required');
  if (f.category !== 'critical_infrastructure' && f.sector) throw new Invalid('sector_not_applicable');
  if (f.foreignCapital && (f.foreignCapitalShare === null || f.foreignCapitalShare === undefined)) {
    throw new Invalid('foreign_capital_share_required');
  }
  if (f.requestedClass === 'type1' && !f.capabilities?.trim()) throw new Invalid('capabilities_required');
  if (f.requestedClass === 'type2' && !f.quickFeedbackCommitment) throw new Invalid('feedback_commitment_required');
}

function fieldsOf(a: ApplicationRecord): ApplicationFields {
  return {
    nameJa: a.nameJa,
    nameEn: a.nameEn,
    category: a.category,
    sector: a.sector,
    ...(a.address !== null ? { address: a.address } : {}),
    foreignCapital: a.foreignCapital,
    foreignCapitalShare: a.foreignCapitalShare,
    requestedClass: a.requestedClass,
    contacts: a.contacts,
    reason: a.reason,
    ...(a.capabilities !== null ? { capabilities: a.capabilities } : {}),
    quickFeedbackCommitment: a.quickFeedbackCommitment,
    rosterConsent: a.rosterConsent,
  };
}

/** The stored columns derived from the fields (normalised names, domain). */
function recordFields(f: ApplicationFields) {
  const contact = f.contacts[0];
  return {
    nameJa: f.nameJa,
    nameEn: f.nameEn,
    nameJaNorm: normalizeName(f.nameJa),
    nameEnNorm: normalizeName(f.nameEn),
    emailDomain: contact ? organisationDomain(contact.email) : null,
    category: f.category,
    sector: f.sector ?? null,
    address: textOrNull(f.address),
    foreignCapital: f.foreignCapital,
    foreignCapitalShare: f.foreignCapitalShare ?? null,
    requestedClass: f.requestedClass,
    contacts: f.contacts,
    reason: f.reason,
    capabilities: textOrNull(f.capabilities),
    quickFeedbackCommitment: f.quickFeedbackCommitment,
    rosterConsent: f.rosterConsent,
  };
}

export function applicationView(a: ApplicationRecord): Application {
  return {
    id: a.id,
    periodNumber: a.periodNumber,
    status: a.status,
    nameJa: a.nameJa,
    nameEn: a.nameEn,
    category: a.category,
    sector: a.sector,
    address: a.address,
    foreignCapital: a.foreignCapital,
    foreignCapitalShare: a.foreignCapitalShare,
    requestedClass: a.requestedClass,
    contacts: a.contacts,
    reason: a.reason,
    capabilities: a.capabilities,
    quickFeedbackCommitment: a.quickFeedbackCommitment,
    rosterConsent: a.rosterConsent,
    locale: a.locale,
    decidedClass: a.decidedClass,
    decisionReason: a.decisionReason,
    decidedAt: a.decidedAt,
    orgId: a.orgId,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
  };
}

const eventView = (e: ApplicationEventRecord): ApplicationEvent => ({
  id: e.id,
  at: e.at,
  kind: e.kind,
  role: e.role,
  message: e.message,
  actorLabel: e.actorLabel,
  detail: e.detail,
});

async function detailOf(r: Repos, a: ApplicationRecord): Promise<ApplicationDetail> {
  return { ...applicationView(a), history: (await r.applicationEvents.list(a.id)).map(eventView) };
}

async function applicantViewOf(r: Repos, a: ApplicationRecord): Promise<ApplicantView> {
  const history = (await r.applicationEvents.list(a.id)).map((e) => ({
    id: e.id,
    at: e.at,
    kind: e.kind,
    role: e.role,
    message: e.message,
  }));
  let administrator: ApplicantView['administrator'] = null;
  if (a.adminUserId) {
    const user = await r.users.byId(a.adminUserId);
    if (user) administrator = { login: user.login, passwordSet: await r.passwordSetup.completed(user.id) };
  }
  return {
    id: a.id,
    periodNumber: a.periodNumber,
    status: a.status,
    nameJa: a.nameJa,
    nameEn: a.nameEn,
    requestedClass: a.requestedClass,
    decidedClass: a.decidedClass,
    decisionReason: a.decisionReason,
    createdAt: a.createdAt,
    updatedAt: a.updatedAt,
    administrator,
    history,
    fields: fieldsOf(a),
  };
}

async function addEvent(
  r: Repos,
  deps: Deps,
  actor: Actor,
  applicationId: string,
  kind: ApplicationEventKind,
  role: EventRole,
  message: string | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await r.applicationEvents.insert({
    id: newId(),
    applicationId,
    at: iso(deps.now()),
    kind,
    role,
    actorLabel: who(actor),
    message,
    detail,
  });
}

async function duplicateCheck(r: Repos, a: Pick<ApplicationRecord, 'periodNumber' | 'nameJaNorm' | 'nameEnNorm' | 'emailDomain'>, exceptId?: string) {
  const dup = await r.applications.findDuplicate({ ...a, ...(exceptId ? { exceptId } : {}) });
  if (dup) throw new Conflict('duplicate_application');
}

// ---------------------------------------------------------------- the applicant (no account)

/**
 * Public: submit an application in the open period. Returns the private status-link token once; only its hash is
 * kept. Refused outside an open period (naming the period and deadline) and when the organisation already applied.
 */
export async function submitApplication(
  deps: Deps,
  input: ApplicationCreate,
  meta: RequestMeta,
): Promise<{ application: ApplicantView; accessToken: string }> {
  checkFields(input);
  const accessToken = randomToken();
  return deps.store.tx(async (r) => {
    const period = await periodForApplication(r, deps.now(), input.periodNumber);
    const now = iso(deps.now());
    const record: ApplicationRecord = {
      id: newId(),
      periodNumber: period.number,
      status: 'submitted',
      accessTokenHash: sha256(accessToken),
      ...recordFields(input),
      locale: input.locale,
      decidedClass: null,
      decisionReason: null,
      decidedAt: null,
      orgId: null,
      adminUserId: null,
      createdAt: now,
      updatedAt: now,
    };
    await duplicateCheck(r, record);
    await r.applications.insert(record);
    await addEvent(r, deps, anonymous, record.id, 'submitted', 'applicant', null);
    // No personal data in the audit row: the contacts stay in the application.
    await audit(r, deps, anonymous, meta, 'application.submit', { type: 'application', id: record.id }, {
      periodNumber: record.periodNumber,
      nameJa: record.nameJa,
      requestedClass: record.requestedClass,
    });
    return { application: await applicantViewOf(r, record), accessToken };
  });
}

async function byToken(r: Repos, token: string): Promise<ApplicationRecord> {
  const a = await r.applications.byTokenHash(sha256(token));
  if (!a) throw new NotFound('not_found');
  return a;
}

/** Public, with the private link: the application's status and its questions and answers. */
export async function applicationStatus(deps: Deps, token: string): Promise<ApplicantView> {
  const r = deps.store.read;
  return applicantViewOf(r, await byToken(r, token));
}

/** The applicant answers the secretariat's questions, optionally correcting fields; the application goes back to review. */
export async function answerQuestions(
  deps: Deps,
  token: string,
  input: { message: string; corrections?: ApplicationCorrections | undefined },
  meta: RequestMeta,
): Promise<ApplicantView> {
  return deps.store.tx(async (r) => {
    const a = await byToken(r, token);
    if (DECIDED.has(a.status)) throw new Conflict('application_already_decided', statusParams(a.status));
    if (a.status !== 'returned') throw new Conflict('application_not_returned');
    const corrections = Object.fromEntries(Object.entries(input.corrections ?? {}).filter(([, v]) => v !== undefined));
    const fields: ApplicationFields = { ...fieldsOf(a), ...corrections };
    checkFields(fields);
    const next: ApplicationRecord = { ...a, ...recordFields(fields), status: 'submitted', updatedAt: iso(deps.now()) };
    await duplicateCheck(r, next, a.id);
    await r.applications.update(a.id, next);
    await addEvent(r, deps, anonymous, a.id, 'answered', 'applicant', input.message, { corrected: Object.keys(corrections) });
    await audit(r, deps, anonymous, meta, 'application.answer', { type: 'application', id: a.id }, {
      corrected: Object.keys(corrections),
    });
    return applicantViewOf(r, next);
  });
}

/** The applicant withdraws the application before a decision. */
export async function withdrawApplication(
  deps: Deps,
  token: string,
  input: { reason?: string | undefined },
  meta: RequestMeta,
): Promise<ApplicantView> {
  return deps.store.tx(async (r) => {
    const a = await byToken(r, token);
    if (DECIDED.has(a.status)) throw new Conflict('application_already_decided', statusParams(a.status));
    const next: ApplicationRecord = { ...a, status: 'withdrawn', updatedAt: iso(deps.now()) };
    await r.applications.update(a.id, { status: next.status, updatedAt: next.updatedAt });
    await addEvent(r, deps, anonymous, a.id, 'withdrawn', 'applicant', textOrNull(input.reason));
    await audit(r, deps, anonymous, meta, 'application.withdraw', { type: 'application', id: a.id });
    return applicantViewOf(r, next);
  });
}

/**
 * The holder of the private link of an approved application gets a fresh one-time link to set the first
 * administrator's password, as long as no password has been set yet (older links stop working).
 */
export async function passwordLinkForApplicant(
  deps: Deps,
  token: string,
  meta: RequestMeta,
): Promise<{ login: string; passwordSetupToken: string; expiresAt: string }> {
  return deps.store.tx(async (r) => {
    const a = await byToken(r, token);
    if (a.status !== 'approved' || !a.adminUserId) throw new Conflict('invalid_status_transition', statusParams(a.status));
    const user = await r.users.byId(a.adminUserId);
    if (!user) throw new NotFound('not_found');
    if (await r.passwordSetup.completed(user.id)) throw new Conflict('password_already_set');
    const link = await issuePasswordSetup(r, deps, user.id);
    await audit(r, deps, anonymous, meta, 'password_setup.issue', { type: 'user', id: user.id }, { via: 'application_link' });
    return { login: user.login, passwordSetupToken: link.token, expiresAt: link.expiresAt };
  });
}

// ---------------------------------------------------------------- secretariat and committee

export async function listApplications(deps: Deps, actor: Actor, q: ApplicationQuery): Promise<Page<Application>> {
  authorize(actor, 'application.read');
  const before = decodeCursor(q.cursor);
  const rows = await deps.store.read.applications.list({
    ...(q.status ? { status: q.status } : {}),
    ...(q.periodNumber !== undefined ? { periodNumber: q.periodNumber } : {}),
    ...(q.requestedClass ? { requestedClass: q.requestedClass } : {}),
    ...(q.q && normalizeName(q.q) ? { nameLike: normalizeName(q.q) } : {}),
    ...(before ? { beforeId: before } : {}),
    limit: q.limit + 1,
  });
  const page = toPage(rows, q.limit, (a) => a.id);
  return { items: page.items.map(applicationView), next: page.next };
}

export async function getApplication(deps: Deps, actor: Actor, id: string): Promise<ApplicationDetail> {
  authorize(actor, 'application.read');
  const r = deps.store.read;
  const a = await r.applications.byId(id);
  if (!a) throw new NotFound('not_found');
  return detailOf(r, a);
}

async function undecided(r: Repos, id: string): Promise<ApplicationRecord> {
  const a = await r.applications.byId(id);
  if (!a) throw new NotFound('not_found');
  if (DECIDED.has(a.status)) throw new Conflict('application_already_decided', statusParams(a.status));
  return a;
}

/** The secretariat returns the application to the applicant with questions (差戻し). */
export async function returnApplication(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { message: string },
  meta: RequestMeta,
): Promise<ApplicationDetail> {
  authorize(actor, 'application.review');
  return deps.store.tx(async (r) => {
    const a = await undecided(r, id);
    if (a.status === 'returned') throw new Conflict('application_awaiting_answer');
    const next: ApplicationRecord = { ...a, status: 'returned', updatedAt: iso(deps.now()) };
    await r.applications.update(id, { status: next.status, updatedAt: next.updatedAt });
    await addEvent(r, deps, actor, id, 'returned', 'secretariat', input.message);
    await audit(r, deps, actor, meta, 'application.return', { type: 'application', id });
    return detailOf(r, next);
  });
}

/** The secretariat marks the application complete: it now awaits the committee's decision. */
export async function checkApplication(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { note?: string | undefined },
  meta: RequestMeta,
): Promise<ApplicationDetail> {
  authorize(actor, 'application.review');
  return deps.store.tx(async (r) => {
    const a = await undecided(r, id);
    if (a.status === 'returned') throw new Conflict('application_awaiting_answer');
    if (a.status !== 'submitted') throw new Conflict('invalid_status_transition', statusParams(a.status));
    const next: ApplicationRecord = { ...a, status: 'checked', updatedAt: iso(deps.now()) };
    await r.applications.update(id, { status: next.status, updatedAt: next.updatedAt });
    await addEvent(r, deps, actor, id, 'checked', 'secretariat', textOrNull(input.note));
    await audit(r, deps, actor, meta, 'application.check', { type: 'application', id });
    return detailOf(r, next);
  });
}

/** A login for the first administrator: the contact's e-mail address, made unique if needed. */
async function freeLogin(r: Repos, email: string): Promise<string> {
  const base = email.trim().toLowerCase();
  const usable = /^[a-z0-9._@-]{3,64}$/.test(base) ? base : `admin-${randomToken(4).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
  if (!(await r.users.byLogin(usable))) return usable;
  for (let i = 2; ; i++) {
    const candidate = `${usable.slice(0, 60)}-${i}`;
    if (!(await r.users.byLogin(candidate))) return candidate;
  }
}

/**
 * The committee approves, possibly into another class than requested, and may record a special approval with it.
 * The organisation and its first administrator are created; the administrator sets a password through the
 * returned one-time link (also obtainable by the applicant through the status link).
 */
export async function approveApplication(
  deps: Deps,
  actor: Actor,
  id: string,
  input: ApproveInput,
  meta: RequestMeta,
): Promise<ApprovalResult> {
  authorize(actor, 'application.decide');
  return deps.store.tx(async (r) => {
    const a = await undecided(r, id);
    if (a.status !== 'checked') throw new Conflict('application_not_checked');
    const now = iso(deps.now());
    const specialApproval = input.specialApproval
      ? { at: input.specialApproval.at ? toUtc(input.specialApproval.at) : now, reason: input.specialApproval.reason }
      : null;
    const org: Organization = {
      id: newId(),
      nameJa: a.nameJa,
      nameEn: a.nameEn,
      category: a.category,
      sector: a.sector,
      foreignCapital: a.foreignCapital,
      memberClass: input.memberClass,
      designated: false,
      isSecretariat: false,
      active: true,
      createdAt: now,
      updatedAt: now,
      ...membershipDefaults(),
      specialApproval,
      foreignCapitalShare: a.foreignCapitalShare,
      rosterConsent: a.rosterConsent,
      periodJoined: a.periodNumber,
      contacts: a.contacts,
    };
    // The task-force rule and the organisation's other invariants, as on every other path.
    checkOrganization(org);
    await r.organizations.insert(org);

    const contact = a.contacts[0];
    if (!contact) throw new Invalid('invalid_input');
    const role: UserRole = 'admin';
    const user = {
      id: newId(),
      orgId: org.id,
      login: await freeLogin(r, contact.email),
      displayName: contact.name,
      email: contact.email,
      role,
      locale: a.locale,
      totpEnabled: false,
      active: true,
      lastLoginAt: null,
      createdAt: now,
      // No password until the administrator sets one through the link: this hash matches nothing.
      passwordHash: UNSET_PASSWORD,
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: null,
      isCommittee: false,
    };
    await r.users.insert(user);
    const link = await issuePasswordSetup(r, deps, user.id);

    const next: ApplicationRecord = {
      ...a,
      status: 'approved',
      decidedClass: input.memberClass,
      decisionReason: textOrNull(input.reason),
      decidedAt: now,
      orgId: org.id,
      adminUserId: user.id,
      updatedAt: now,
    };
    await r.applications.update(id, next);
    await addEvent(r, deps, actor, id, 'approved', 'committee', next.decisionReason, {
      memberClass: input.memberClass,
      requestedClass: a.requestedClass,
      specialApproval: specialApproval !== null,
    });
    await membershipEvent(r, deps, actor, org, 'joined', { toClass: org.memberClass, periodNumber: a.periodNumber });
    if (specialApproval) {
      await membershipEvent(r, deps, actor, org, 'special_approval_granted', { reason: specialApproval.reason });
    }
    await audit(r, deps, actor, meta, 'application.approve', { type: 'application', id }, {
      memberClass: input.memberClass,
      requestedClass: a.requestedClass,
      orgId: org.id,
      specialApproval,
    });
    await audit(r, deps, actor, meta, 'organization.create', { type: 'organization', id: org.id }, {
      nameJa: org.nameJa,
      memberClass: org.memberClass,
      applicationId: id,
    });
    await audit(r, deps, actor, meta, 'user.create', { type: 'user', id: user.id }, {
      orgId: org.id,
      login: user.login,
      role: user.role,
    });
    await noticeApplicationDecided(r, deps, actor, a);
    return {
      application: await detailOf(r, next),
      organizationId: org.id,
      administrator: { userId: user.id, login: user.login },
      passwordSetupToken: link.token,
      passwordSetupExpiresAt: link.expiresAt,
    };
  });
}

/** The committee rejects an undecided application, with a reason the applicant sees. */
export async function rejectApplication(
  deps: Deps,
  actor: Actor,
  id: string,
  input: { reason: string },
  meta: RequestMeta,
): Promise<ApplicationDetail> {
  authorize(actor, 'application.decide');
  return deps.store.tx(async (r) => {
    const a = await undecided(r, id);
    const now = iso(deps.now());
    const next: ApplicationRecord = { ...a, status: 'rejected', decisionReason: input.reason, decidedAt: now, updatedAt: now };
    await r.applications.update(id, {
      status: next.status,
      decisionReason: next.decisionReason,
      decidedAt: now,
      updatedAt: now,
    });
    await addEvent(r, deps, actor, id, 'rejected', 'committee', input.reason);
    await audit(r, deps, actor, meta, 'application.reject', { type: 'application', id }, { reason: input.reason });
    await noticeApplicationDecided(r, deps, actor, a);
    return detailOf(r, next);
  });
}
