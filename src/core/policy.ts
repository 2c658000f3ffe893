/**
 * The access policy: the one place that decides who may do what. Routes, CLI and every other
 * channel ask `authorize` (or `can`) before doing anything; nothing else encodes these rules.
 */
import type { Actor, UserActor } from './actor.js';
import { stages, type Stage, type Tlp } from './sharing/model.js';
import { Forbidden, NotFound, Unauthenticated } from './errors.js';

export type Action =
  | 'organization.list'
  | 'organization.read'
  | 'organization.create'
  | 'organization.update'
  | 'user.list'
  | 'user.create'
  | 'user.update'
  | 'audit.read'
  | 'self.read'
  | 'self.update'
  | 'token.manage'
  // Membership (src/core/membership)
  | 'period.manage'
  | 'application.read'
  | 'application.review'
  | 'application.decide'
  | 'change.submit'
  | 'change.review'
  | 'class.request'
  | 'class.decide'
  | 'membership.read'
  | 'membership.withdraw'
  | 'sanction.decide'
  | 'special_approval.decide'
  | 'roster.publish'
  | 'rulebook.manage'
  | 'rulebook.accept'
  | 'membership.stats'
  | 'settings.manage'
  | 'committee.manage'
  // Information sharing (target: the item's owner organisation where it matters)
  | 'report.create'
  | 'report.comment'
  | 'report.reply'
  | 'report.corroborate'
  | 'report.manage'
  | 'advisory.create'
  | 'advisory.revise'
  | 'advisory.release'
  | 'feedback.submit'
  | 'feedback.tally'
  // Large-scale attack mode, information requests, consultations, give and take (src/core/sharing/requests.ts,
  // consultations.ts, ledger.ts)
  | 'campaign.read'
  | 'campaign.manage'
  | 'request.issue'
  | 'request.read'
  | 'request.answer'
  | 'request.status'
  | 'consultation.read'
  | 'consultation.answer'
  | 'consultation.question'
  | 'consultation.contribute'
  | 'ledger.read'
  | 'ledger.ranking'
  // Dashboards and the home page (src/core/insight): every number in them is also filtered by `readFilter`.
  | 'insight.home'
  | 'insight.organization'
  | 'insight.type1'
  | 'insight.council'
  // Webhooks of an organisation (src/core/notifications/webhooks.ts)
  | 'webhook.read'
  | 'webhook.manage';

/** Actions that change state: refused to read-only API tokens. */
const writes: ReadonlySet<Action> = new Set<Action>([
  'organization.create',
  'organization.update',
  'user.create',
  'user.update',
  'self.update',
  'token.manage',
  'period.manage',
  'application.review',
  'application.decide',
  'change.submit',
  'change.review',
  'class.request',
  'class.decide',
  'membership.withdraw',
  'sanction.decide',
  'special_approval.decide',
  'roster.publish',
  'rulebook.manage',
  'rulebook.accept',
  'settings.manage',
  'committee.manage',
  'report.create',
  'report.comment',
  'report.reply',
  'report.corroborate',
  'report.manage',
  'advisory.create',
  'advisory.revise',
  'advisory.release',
  'feedback.submit',
  'campaign.manage',
  'request.issue',
  'request.answer',
  'consultation.answer',
  'consultation.contribute',
  'webhook.manage',
]);

export interface Target {
  /** The organisation the target belongs to (or is). */
  orgId?: string;
  /** The user the target is (for self-service actions). */
  userId?: string;
}

export function isWrite(action: Action): boolean {
  return writes.has(action);
}

/** Sharing actions: who may write, analyse, release and answer. Reading is `canRead` below. */
function canShare(actor: UserActor, action: Action, target: Target): boolean {
  if (actor.suspended || !actor.rulesAccepted) return false;
  const writer = actor.role !== 'viewer';
  const analyst = writer && inType1Group(actor) && actor.totpEnabled;
  switch (action) {
    case 'report.create':
      return writer && (actor.memberClass !== 'none' || actor.isSecretariat);
    case 'report.reply':
      // The provider answers questions on its own report; the Type 1 group answers the provider.
      return writer && (target.orgId === actor.orgId || analyst);
    case 'report.comment':
    case 'report.corroborate':
    case 'report.manage':
    case 'advisory.create':
    case 'advisory.revise':
    case 'advisory.release':
      return analyst;
    case 'feedback.submit':
      return writer && actor.memberClass !== 'none';
    case 'feedback.tally':
      return (inType1Group(actor) || actor.isSecretariat) && actor.totpEnabled;
    // Large-scale attack mode: every member sees it; the secretariat declares it and issues the requests.
    case 'campaign.read':
    case 'request.read':
      return actor.memberClass !== 'none' || actor.isSecretariat;
    case 'campaign.manage':
    case 'request.issue':
      return writer && actor.isSecretariat;
    // Addressed organisations answer (the use case checks the addressing).
    case 'request.answer':
      return writer && actor.memberClass !== 'none';
    // Who answered and who refused with what reason: those who may know who provided what.
    case 'request.status':
      return actor.isSecretariat || (actor.designated && inType1Group(actor) && actor.totpEnabled);
    // Consultations from non-members, with their personal data: the Type 1 group only.
    case 'consultation.read':
      return inType1Group(actor) && actor.totpEnabled;
    case 'consultation.answer':
      return analyst;
    // The widened question (the use case checks its stage against the audience): members, without personal data.
    case 'consultation.question':
      return actor.memberClass !== 'none' || actor.isSecretariat;
    case 'consultation.contribute':
      return writer && actor.memberClass !== 'none';
    // Give and take: an organisation its own; the steering committee and the secretariat everyone's.
    case 'ledger.read':
      return target.orgId === actor.orgId || actor.isSecretariat || actor.isCommittee;
    case 'ledger.ranking':
      return actor.isSecretariat || actor.isCommittee;
    // Dashboards: an organisation its own; the Type 1 group's (as the feedback tally); the council's (as the ranking).
    case 'insight.organization':
      return target.orgId === actor.orgId;
    case 'insight.type1':
      return (inType1Group(actor) || actor.isSecretariat) && actor.totpEnabled;
    case 'insight.council':
      return actor.isSecretariat || actor.isCommittee;
    default:
      return false;
  }
}

/** Decide whether `actor` may perform `action` on `target`. Pure: no I/O. */
export function can(actor: Actor, action: Action, target: Target = {}): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind === 'anonymous') return false;
  if (actor.readOnly && isWrite(action)) return false;
  if (!actor.rulesAccepted && !allowedBeforeRules(actor, action, target)) return false;
  if (actor.suspended && refusedWhenSuspended.has(action)) return false;

  const secretariatAdmin = actor.isSecretariat && actor.role === 'admin';
  const ownOrgAdmin = actor.role === 'admin' && target.orgId === actor.orgId;

  switch (action) {
    case 'organization.create':
    case 'organization.update':
      return secretariatAdmin;
    // The steering committee decides sanctions and special approvals, so it reads every organisation.
    case 'organization.list':
      return secretariatAdmin || actor.isCommittee;
    case 'organization.read':
      return actor.isSecretariat || actor.isCommittee || target.orgId === actor.orgId;
    case 'user.list':
      return actor.isSecretariat || target.orgId === actor.orgId;
    case 'user.create':
    case 'user.update':
      return secretariatAdmin || ownOrgAdmin;
    case 'audit.read':
      return actor.isSecretariat && actor.role !== 'viewer';
    case 'self.read':
    case 'self.update':
    case 'token.manage':
      return target.userId === actor.userId;
    // Membership: the secretariat runs it, the steering committee decides, members ask for their own organisation.
    case 'period.manage':
    case 'roster.publish':
    case 'rulebook.manage':
    case 'settings.manage':
    case 'committee.manage':
      return secretariatAdmin;
    case 'application.read':
    case 'membership.stats':
      return actor.isSecretariat || actor.isCommittee;
    case 'application.review':
    case 'change.review':
      return actor.isSecretariat && actor.role !== 'viewer';
    case 'application.decide':
    case 'class.decide':
    case 'sanction.decide':
    case 'special_approval.decide':
      return actor.isCommittee;
    case 'change.submit':
      return ownOrgAdmin;
    case 'class.request':
      return ownOrgAdmin || (actor.isSecretariat && actor.role !== 'viewer');
    case 'membership.read':
      return actor.isSecretariat || actor.isCommittee || target.orgId === actor.orgId;
    case 'membership.withdraw':
      return ownOrgAdmin || secretariatAdmin;
    case 'rulebook.accept':
      return target.userId === actor.userId;
    // An organisation's webhooks carry what its administrators may read: they register them for their own organisation.
    case 'webhook.read':
    case 'webhook.manage':
      return ownOrgAdmin;
    // What needs attention: every signed-in user (a suspended organisation's just finds nothing there).
    case 'insight.home':
      return true;
    default:
      return canShare(actor, action, target);
  }
}

/**
 * Rules gate: until a user has accepted the current rulebooks that apply to them, they may only look after
 * their own account, read their own organisation's standing, and read and accept the rules.
 */
const beforeRules: ReadonlySet<Action> = new Set<Action>(['self.read', 'self.update', 'token.manage', 'rulebook.accept']);

export function allowedBeforeRules(actor: UserActor, action: Action, target: Target): boolean {
  if (action === 'organization.read' || action === 'membership.read') return target.orgId === actor.orgId;
  // The secretariat publishes a whole set of rulebooks before accepting them itself.
  if (action === 'rulebook.manage') return actor.isSecretariat && actor.role === 'admin';
  return beforeRules.has(action);
}

/** A suspended organisation keeps its accounts but may not ask for anything (it may still read its own standing). */
const refusedWhenSuspended: ReadonlySet<Action> = new Set<Action>(['change.submit', 'class.request']);

/**
 * Throw unless `can` allows. Anonymous callers get 401; read-only tokens a specific 403;
 * `hide: true` answers "not found" where the target's existence is itself confidential (never for the caller's own
 * organisation, whose existence they know: there a refusal is a plain 403).
 */
export function authorize(actor: Actor, action: Action, target: Target = {}, opts: { hide?: boolean } = {}): void {
  if (can(actor, action, target)) return;
  if (actor.kind === 'anonymous') throw new Unauthenticated('unauthenticated');
  if (actor.kind === 'user' && actor.readOnly && isWrite(action)) throw new Forbidden('read_only_token');
  if (actor.kind === 'user' && !actor.rulesAccepted && !allowedBeforeRules(actor, action, target)) {
    throw new Forbidden('rules_not_accepted');
  }
  if (actor.kind === 'user' && actor.suspended && refusedWhenSuspended.has(action)) throw new Forbidden('organization_suspended');
  // Hiding is pointless inside the caller's own organisation: they may already see that it and its people exist.
  const ownOrg = actor.kind === 'user' && target.orgId !== undefined && target.orgId === actor.orgId;
  if (opts.hide && !ownOrg) throw new NotFound('not_found');
  throw new Forbidden('forbidden');
}

// ---------------------------------------------------------------------------------------------
// Need to know: who may read shared information (reports, countermeasure information, feedback).
// The same rules give `canRead` for one item and `readFilter` for list queries, so they cannot
// disagree: `canRead` evaluates the filter against the item (the table test checks the store's
// SQL translation of the filter against it too).
// ---------------------------------------------------------------------------------------------

/** What the policy needs to know about a shared item. */
export interface ItemFacts {
  stage: Stage;
  tlp: Tlp;
  /** The organisation that wrote or provided it. */
  ownerOrgId: string;
  /** Named people for TLP:RED. */
  recipientUserIds: readonly string[];
}

/**
 * An item is visible when it matches any clause; a clause matches when every field it sets matches.
 * An empty filter shows nothing.
 */
export interface Clause {
  stages?: readonly Stage[];
  tlps?: readonly Tlp[];
  ownerOrgId?: string;
  /** The item names this user as a TLP:RED recipient. */
  recipientUserId?: string;
}
export type ReadFilter = readonly Clause[];

const NOT_RED: readonly Tlp[] = ['clear', 'green', 'amber', 'amber+strict'];

/** The organisation may take part in the task force (第一類・第二類): class, and the foreign-capital rule. */
export function inTaskForce(actor: UserActor): boolean {
  const tfClass = actor.memberClass === 'type1' || actor.memberClass === 'type2' || actor.designated;
  return tfClass && (!actor.foreignCapital || actor.specialApproval);
}

/** Type 1 group (第一類構成員G): Type 1 members and the designated corporation. */
export function inType1Group(actor: UserActor): boolean {
  return inTaskForce(actor) && (actor.memberClass === 'type1' || actor.designated);
}

/** The stages whose audience includes the actor's organisation (drafts are handled apart). */
export function audienceStages(actor: Actor): Stage[] {
  if (actor.kind === 'system') return [...stages];
  if (actor.kind === 'anonymous' || actor.suspended || !actor.rulesAccepted) return ['public'];
  const out: Stage[] = ['public'];
  const member = actor.memberClass !== 'none' || actor.isSecretariat;
  if (member) out.push('members');
  // Task-force information needs a second factor on the account.
  if (actor.totpEnabled) {
    if (inTaskForce(actor) || actor.isSecretariat) out.push('type2');
    if (inType1Group(actor) || actor.isSecretariat) out.push('type1');
  }
  return out;
}

/** The filter of everything `actor` may read. */
export function readFilter(actor: Actor): ReadFilter {
  if (actor.kind === 'system') return [{}];
  const publicClause: Clause = { stages: ['public'], tlps: ['clear'] };
  if (actor.kind === 'anonymous') return [publicClause];
  const visible = audienceStages(actor);
  if (visible.length === 1) return [publicClause];
  const clauses: Clause[] = [publicClause];
  // Drafts: the writing organisation, and the designated corporation that coordinates releases.
  const seesDrafts = actor.designated && inType1Group(actor) && actor.totpEnabled;
  const stagesSeen = seesDrafts ? (['draft', ...visible] as Stage[]) : visible;
  clauses.push({ stages: stagesSeen, tlps: NOT_RED });
  clauses.push({ stages: stagesSeen, tlps: ['red'], recipientUserId: actor.userId });
  // An organisation always sees what it wrote itself (subject to the second factor for non-public stages).
  if (actor.totpEnabled || !inTaskForce(actor)) clauses.push({ ownerOrgId: actor.orgId });
  return clauses;
}

/** The stages of items that have reached `audience`: released to it or further (drafts reach no audience). */
export function releasedTo(audience: Stage): Stage[] {
  return audience === 'draft' ? [] : stages.slice(stages.indexOf(audience));
}

/**
 * What a feed for one audience (the MISP feed, `kyogikai export`) shows `actor`: the items released at least to that
 * audience that the actor may read, never TLP:RED (it names its people, so no feed may carry it). Empty — nothing —
 * when the actor is not part of that audience.
 */
export function feedFilter(actor: Actor, audience: Stage): ReadFilter {
  if (!audienceStages(actor).includes(audience)) return [];
  const released = releasedTo(audience);
  return readFilter(actor).flatMap((c) => {
    const inStages = (c.stages ?? stages).filter((s) => released.includes(s));
    const notRed = (c.tlps ?? NOT_RED).filter((t) => t !== 'red');
    return inStages.length && notRed.length ? [{ ...c, stages: inStages, tlps: notRed }] : [];
  });
}

export function matches(filter: ReadFilter, item: ItemFacts, userId: string | undefined): boolean {
  return filter.some(
    (c) =>
      (!c.stages || c.stages.includes(item.stage)) &&
      (!c.tlps || c.tlps.includes(item.tlp)) &&
      (c.ownerOrgId === undefined || c.ownerOrgId === item.ownerOrgId) &&
      (c.recipientUserId === undefined || (userId !== undefined && item.recipientUserIds.includes(c.recipientUserId))),
  );
}

/** May `actor` read this item? Refusals are answered "not found": existence itself is confidential. */
export function canRead(actor: Actor, item: ItemFacts): boolean {
  return matches(readFilter(actor), item, actor.kind === 'user' ? actor.userId : undefined);
}

/**
 * May an organisation's automated channel (a webhook acting with the rights of `actor`, who registered it) receive
 * this item? As `canRead`, except that no channel of an organisation is a named person: TLP:RED reaches it only for
 * the organisation's own items.
 */
export function canReadAsOrganization(actor: Actor, item: ItemFacts): boolean {
  return matches(readFilter(actor), item, undefined);
}

// Who is named and who sees the analysis, among those who may read an item.

/** The Type 1 group's analysis of a report (its comments, who corroborated): its members with a second factor. */
export function seesAnalysis(actor: Actor): boolean {
  if (actor.kind === 'system') return true;
  return actor.kind === 'user' && inType1Group(actor) && actor.totpEnabled;
}

/** A report's provider is named to the secretariat, the designated corporation and itself — to everyone if it agreed. */
export function mayKnowProvider(actor: Actor, report: { ownerOrgId: string; providerNamed: boolean }): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return report.providerNamed;
  return report.providerNamed || actor.isSecretariat || actor.designated || actor.orgId === report.ownerOrgId;
}

/** Countermeasure information is the Type 1 group's product: its writer is named to the group, the secretariat and itself. */
export function mayKnowAuthor(actor: Actor, item: { ownerOrgId: string }): boolean {
  if (actor.kind === 'system') return true;
  if (actor.kind !== 'user') return false;
  return actor.orgId === item.ownerOrgId || actor.isSecretariat || (inType1Group(actor) && actor.totpEnabled);
}
