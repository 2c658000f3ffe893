/** Small helpers the membership use cases share. */
import type { Actor } from '../actor.js';
import { iso, newId, type Deps } from '../context.js';
import { translate } from '../messages.js';
import type { MemberClass, Organization } from '../model.js';
import type { Repos } from '../ports.js';
import { NotFound, Invalid } from '../errors.js';
import { actorLabel } from '../actor.js';
import type { MembershipEventKind } from './model.js';

/** Parameters naming a status in both languages, for messages such as `application_already_decided`. */
export function statusParams(status: string): Record<string, string> {
  return { status, statusJa: translate('ja', `status_${status}`), statusEn: translate('en', `status_${status}`) };
}

/** A member organisation (never the secretariat's own), or 404. */
export async function memberOrganization(r: Repos, orgId: string): Promise<Organization> {
  const org = await r.organizations.byId(orgId);
  if (!org) throw new NotFound('not_found');
  if (org.isSecretariat) throw new Invalid('secretariat_immutable');
  return org;
}

/** Record a step of an organisation's membership (history and statistics). */
export async function membershipEvent(
  r: Repos,
  deps: Deps,
  actor: Actor,
  org: Pick<Organization, 'id'>,
  kind: MembershipEventKind,
  e: { fromClass?: MemberClass | null; toClass?: MemberClass | null; periodNumber?: number | null; reason?: string | null } = {},
): Promise<void> {
  await r.membershipEvents.insert({
    id: newId(),
    orgId: org.id,
    at: iso(deps.now()),
    kind,
    fromClass: e.fromClass ?? null,
    toClass: e.toClass ?? null,
    periodNumber: e.periodNumber ?? null,
    reason: e.reason ?? null,
    actorLabel: who(actor),
  });
}

/** Who acted, as shown in histories and request lists: the login (the audit log keeps the token too). */
export const who = (actor: Actor): string => (actor.kind === 'user' ? actor.login : actorLabel(actor));

/** Trimmed text, or null when empty. */
export const textOrNull = (s: string | undefined | null): string | null => (s && s.trim() ? s.trim() : null);
