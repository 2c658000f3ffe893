/**
 * Who hears of an event. An event carries its audience as data — the policy facts of the item it is about, an action
 * the recipient must be allowed, explicit users or organisations — and every channel (inbox, e-mail, webhooks, the
 * live stream, the replay) asks the same `isRecipient`, which only combines questions of the access policy.
 */
import type { UserActor } from '../actor.js';
import type { Locale } from '../messages.js';
import { audienceStages, can, matches, readFilter, type Action, type ItemFacts, type ReadFilter, type Target } from '../policy.js';
import type { Stage } from '../sharing/model.js';

export interface Audience {
  /** Only those who may read this item (`canRead`). */
  item?: ItemFacts;
  /**
   * …and may read it as it is now. Not stored with the event: set when a notice is delivered later than the event
   * (mail, digest, webhook, stream replay), since a revision may have narrowed the item in between.
   */
  itemNow?: ItemFacts;
  /** …and could not read it as it was before (a release notifies its new audience only). */
  previously?: ItemFacts;
  /** Only those whose organisation is in the audience of this stage (`audienceStages`). */
  stage?: Stage;
  /** Only those the policy lets do this (`can`). */
  may?: { action: Action; target?: Target };
  /** Only these users. */
  userIds?: string[];
  /** Only users of these organisations. */
  orgIds?: string[];
  exceptOrgIds?: string[];
  /** The one who caused the event is not told of it. */
  exceptUserId?: string;
  /** People outside the council (a consulter, an applicant): e-mail only. */
  emails?: { address: string; locale: Locale }[];
}

/** A recipient as the policy sees it, with its read filter worked out once (the stream asks it for every event). */
export interface Viewer {
  actor: UserActor;
  filter: ReadFilter;
  /** The named TLP:RED recipient this viewer is; none for an organisation's automated channel. */
  namedUserId: string | undefined;
  stages: readonly Stage[];
}

/** A person: inbox, e-mail, the live stream. */
export const personViewer = (actor: UserActor): Viewer => ({
  actor,
  filter: readFilter(actor),
  namedUserId: actor.userId,
  stages: audienceStages(actor),
});

/**
 * An organisation's automated channel (a webhook), acting with the rights of the administrator who registered it —
 * but not as a named person: as `canReadAsOrganization`, TLP:RED reaches it only for the organisation's own items.
 */
export const organizationViewer = (actor: UserActor): Viewer => ({ ...personViewer(actor), namedUserId: undefined });

/** An audience with its lists turned into sets, so that checking one of 10,000 subscribers stays cheap. */
export interface CompiledAudience {
  audience: Audience;
  userIds?: ReadonlySet<string>;
  orgIds?: ReadonlySet<string>;
  exceptOrgIds?: ReadonlySet<string>;
}

export function compileAudience(audience: Audience): CompiledAudience {
  return {
    audience,
    ...(audience.userIds ? { userIds: new Set(audience.userIds) } : {}),
    ...(audience.orgIds ? { orgIds: new Set(audience.orgIds) } : {}),
    ...(audience.exceptOrgIds ? { exceptOrgIds: new Set(audience.exceptOrgIds) } : {}),
  };
}

/** Is this viewer among the event's recipients? Every condition the audience sets must hold. */
export function isRecipient(viewer: Viewer, compiled: CompiledAudience): boolean {
  const { audience: a } = compiled;
  const { actor } = viewer;
  if (!reachesUsers(a)) return false;
  if (a.exceptUserId === actor.userId) return false;
  if (compiled.userIds && !compiled.userIds.has(actor.userId)) return false;
  if (compiled.orgIds && !compiled.orgIds.has(actor.orgId)) return false;
  if (compiled.exceptOrgIds?.has(actor.orgId)) return false;
  if (a.item && !matches(viewer.filter, a.item, viewer.namedUserId)) return false;
  if (a.itemNow && !matches(viewer.filter, a.itemNow, viewer.namedUserId)) return false;
  if (a.previously && matches(viewer.filter, a.previously, viewer.namedUserId)) return false;
  if (a.stage && !viewer.stages.includes(a.stage)) return false;
  if (a.may && !can(actor, a.may.action, a.may.target)) return false;
  return true;
}

/** Does the audience reach council users at all, rather than outside e-mail addresses only? */
export function reachesUsers(a: Audience): boolean {
  return Boolean(a.item || a.may || a.userIds || a.orgIds || a.stage) || !a.emails;
}

/**
 * The audience of an event delivered now: also those who may read its item as it is now (`undefined`: the event is
 * not about an item; `null`: the item is gone, and nobody hears of it any more).
 */
export function audienceNow(a: Audience, now: ItemFacts | null | undefined): Audience {
  if (!a.item || now === undefined) return a;
  return now === null ? { ...a, userIds: [] } : { ...a, itemNow: now };
}
