/**
 * The TAXII collections: one per audience (Type 1 group, task force, all members, public), holding what has been
 * released to that audience or further, and one inbox per organisation, where its tools post STIX that becomes a
 * report to the Type 1 group. Who may read or write which is asked of the policy.
 */
import { v5 as uuidv5 } from 'uuid';
import type { Actor } from '../actor.js';
import { audienceStages, can, releasedTo } from '../policy.js';
import type { Stage } from '../sharing/model.js';
import type { StixSource } from './ports.js';

export const audiences = ['type1', 'type2', 'members', 'public'] as const satisfies readonly Stage[];
export type Audience = (typeof audiences)[number];

/** Collection ids are UUIDs (TAXII 2.1), derived from a fixed namespace so they never change. */
const COLLECTIONS = '0b9e3f0e-6c1e-4a57-9d1e-2f6b8c4d7a10';
export const audienceCollectionId = (audience: Audience): string => uuidv5(`collection:${audience}`, COLLECTIONS);
export const inboxCollectionId = (orgId: string): string => uuidv5(`inbox:${orgId}`, COLLECTIONS);

/** The audience collections an item at this stage is in (drafts are in none). */
export const collectionsReached = (stage: Stage): Audience[] => audiences.filter((a) => releasedTo(a).includes(stage));

export interface CollectionAccess {
  id: string;
  /** Set for an audience collection. */
  audience?: Audience;
  /** Set for an inbox: whose it is. */
  inboxOrgId?: string;
  canRead: boolean;
  canWrite: boolean;
}

/**
 * The collections the actor may read or write, in a fixed order. Audience collections are filled by releases, never
 * by TAXII clients; an organisation reads back what it posted to its own inbox and may post there when it may send a
 * report.
 */
export function collectionsOf(actor: Actor): CollectionAccess[] {
  const reads = audienceStages(actor);
  const out: CollectionAccess[] = audiences
    .filter((a) => reads.includes(a))
    .map((a) => ({ id: audienceCollectionId(a), audience: a, canRead: true, canWrite: false }));
  if (actor.kind === 'user') {
    out.push({ id: inboxCollectionId(actor.orgId), inboxOrgId: actor.orgId, canRead: true, canWrite: can(actor, 'report.create') });
  }
  return out;
}

/** One collection as the actor may use it; undefined when it may neither read nor write it (or there is none). */
export function collectionFor(actor: Actor, id: string): CollectionAccess | undefined {
  return collectionsOf(actor).find((c) => c.id === id);
}

/** Other organisations' answers are the tally: only those who may see the tally get feedback objects. */
export const hiddenSources = (actor: Actor): { withoutSources?: StixSource[] } => (can(actor, 'feedback.tally') ? {} : { withoutSources: ['feedback'] });
