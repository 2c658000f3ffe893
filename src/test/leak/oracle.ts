/**
 * What the policy says each principal may see: every answer of the leak test is checked against this, and this asks
 * only src/core/policy.ts, with the facts of the council as written. Where a channel asks the policy twice (may the
 * actor read the item, and may it take the action on it), the oracle asks the same two questions; it never decides
 * anything itself.
 */
import type { Actor } from '../../core/actor.js';
import { audienceStages, can, canRead, canReadAsOrganization, feedFilter, matches, mayKnowAuthor, mayKnowProvider, seesAnalysis, type Action, type ItemFacts } from '../../core/policy.js';
import type { Stage } from '../../core/sharing/model.js';
import type { Council, Principal, Ref } from './council.js';

function find<T extends { id: string }>(list: readonly T[], id: string): T {
  const found = list.find((x) => x.id === id);
  if (!found) throw new Error(`the leak test knows no ${id}: a channel revealed something the council does not hold`);
  return found;
}

const facts = (x: { stage: ItemFacts['stage']; tlp: ItemFacts['tlp']; orgId: string; recipients: string[] }): ItemFacts => ({
  stage: x.stage,
  tlp: x.tlp,
  ownerOrgId: x.orgId,
  recipientUserIds: x.recipients,
});

const ownOrg = (actor: Actor, orgId: string): boolean => actor.kind === 'user' && actor.orgId === orgId;

/** Gate refs are `gate:<action>` with the target organisation (or `-`) as id: answered at all only when `can`. */
export const gate = (action: Action, orgId = '-'): Ref => ({ kind: `gate:${action}`, id: orgId });

export function allowed(principal: Principal, ref: Ref, council: Council): boolean {
  const actor = principal.actor;
  if (actor === 'refused') return false;
  const report = (id: string) => canRead(actor, facts(find(council.reports, id)));
  const advisory = (id: string) => canRead(actor, facts(find(council.advisories, id)));
  const question = (id: string) => {
    const stage = find(council.consultations, id).widenedStage;
    return stage !== null && can(actor, 'consultation.question') && audienceStages(actor).includes(stage);
  };
  const request = (id: string) => {
    const addressed = actor.kind === 'user' && find(council.requests, id).recipients.includes(actor.orgId);
    return can(actor, 'request.read') && (addressed || can(actor, 'request.status'));
  };

  switch (ref.kind) {
    case 'report':
      return report(ref.id);
    case 'comment': {
      const c = find(council.comments, ref.id);
      return report(c.reportId) && (c.audience === 'provider' || seesAnalysis(actor));
    }
    case 'attachment':
      return report(find(council.attachments, ref.id).reportId);
    case 'provider': {
      const r = find(council.reports, ref.id);
      return report(r.id) && mayKnowProvider(actor, { ownerOrgId: r.orgId, providerNamed: r.providerNamed });
    }
    case 'advisory':
      return advisory(ref.id);
    case 'author':
      return advisory(ref.id) && mayKnowAuthor(actor, { ownerOrgId: find(council.advisories, ref.id).orgId });
    // The tally and the personal-data check before a release: read the item, then the action on it.
    case 'tally':
      return advisory(ref.id) && can(actor, 'feedback.tally', { orgId: find(council.advisories, ref.id).orgId });
    case 'releasecheck':
      return advisory(ref.id) && can(actor, 'advisory.release', { orgId: find(council.advisories, ref.id).orgId });
    case 'feedback': {
      // The tally shows every answer; the item's detail shows the caller's organisation its own.
      const f = find(council.feedback, ref.id);
      const a = find(council.advisories, f.advisoryId);
      return advisory(a.id) && (can(actor, 'feedback.tally', { orgId: a.orgId }) || ownOrg(actor, f.orgId));
    }
    case 'consultation':
      return can(actor, 'consultation.read');
    case 'question':
      return can(actor, 'consultation.read') || question(ref.id);
    case 'memberanswer': {
      // The Type 1 group sees the whole thread; a member its own organisation's answers to a question it sees.
      const m = find(council.memberAnswers, ref.id);
      return can(actor, 'consultation.read') || (question(m.consultationId) && ownOrg(actor, m.orgId));
    }
    case 'campaign':
      return can(actor, 'campaign.read');
    case 'request':
      return request(ref.id);
    case 'requestanswer': {
      const a = find(council.requestAnswers, ref.id);
      return can(actor, 'request.status') || (request(a.requestId) && ownOrg(actor, a.orgId));
    }
    case 'collection':
      return audienceStages(actor).includes(ref.id as Stage);
    default: {
      const action = ref.kind.slice('gate:'.length) as Action;
      return can(actor, action, ref.id === '-' ? {} : { orgId: ref.id });
    }
  }
}

/**
 * Must an audience's feed (a TAXII collection, a MISP feed) carry this report or advisory to the principal? Reports
 * go only to the Type 1 group's collection (publishReport); the feed filter does the rest. Feeds are narrower than
 * the API (no TLP:RED, no own drafts), so this decides what a feed must show, and `allowed` still what it may.
 */
export function feedShows(principal: Principal, audience: Stage, ref: Ref, council: Council, withReports: boolean): boolean {
  const actor = principal.actor;
  if (actor === 'refused' || actor.kind !== 'user') return false;
  const item = ref.kind === 'advisory' ? council.advisories.find((x) => x.id === ref.id) : ref.kind === 'report' && withReports && audience === 'type1' ? council.reports.find((x) => x.id === ref.id) : undefined;
  return item !== undefined && matches(feedFilter(actor, audience), facts(item), actor.userId);
}

/** An organisation's webhook speaks for it with the rights of the user who registered it, never as a named person (no TLP:RED addressed to that user). */
export const allowedToOrganization = (registrant: Principal, orgId: string, ref: Ref, c: Council): boolean =>
  registrant.actor !== 'refused' && can(registrant.actor, 'webhook.read', { orgId }) && allowed(registrant, ref, { ...c, reports: c.reports.map(unnamed), advisories: c.advisories.map(unnamed) });
const unnamed = <T extends { recipients: string[] }>(x: T): T => ({ ...x, recipients: [] });

/**
 * Was the principal (or, `asOrganization`, its organisation's webhook) certainly told of this countermeasure
 * information? Its releases tell each new audience: whoever may read it now but could not as a draft, except its
 * author, who released it. Must a delivery channel carry it, that is; `allowed` still says what it may carry.
 */
export function toldOfRelease(principal: Principal, advisoryId: string, council: Council, asOrganization = false): boolean {
  const actor = principal.actor;
  if (actor === 'refused' || actor.kind !== 'user') return false;
  const a = find(council.advisories, advisoryId);
  const read = (stage: Stage) => (asOrganization ? canReadAsOrganization : canRead)(actor, { ...facts(a), stage });
  return a.stage !== 'draft' && a.userId !== actor.userId && read(a.stage) && !read('draft');
}
