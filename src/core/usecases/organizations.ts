/** Organisations (members of the council, and the secretariat itself). */
import type { Actor } from '../actor.js';
import { audit, decodeCursor, iso, newId, toPage, type Deps, type RequestMeta } from '../context.js';
import { Conflict, Invalid, NotFound } from '../errors.js';
import type { Organization, OrganizationCreate, OrganizationUpdate, Page, PageQuery } from '../model.js';
import { authorize } from '../policy.js';
import { membershipDefaults } from '../membership/model.js';
import { assertTaskForceRule } from '../membership/rules.js';

/** Rules every organisation must satisfy, whatever screen or command changed it. */
export function checkOrganization(
  o: Pick<Organization, 'category' | 'sector' | 'designated' | 'memberClass' | 'foreignCapital' | 'specialApproval'>,
): void {
  if (o.category === 'critical_infrastructure' && !o.sector) throw new Invalid('sector_required');
  if (o.category !== 'critical_infrastructure' && o.sector) throw new Invalid('sector_not_applicable');
  if (o.designated && o.memberClass !== 'type1') throw new Invalid('designated_requires_type1');
  assertTaskForceRule(o);
}

export async function createOrganization(
  deps: Deps,
  actor: Actor,
  input: OrganizationCreate,
  meta: RequestMeta,
): Promise<Organization> {
  authorize(actor, 'organization.create');
  const now = iso(deps.now());
  const org: Organization = {
    id: newId(),
    nameJa: input.nameJa,
    nameEn: input.nameEn,
    category: input.category,
    sector: input.sector ?? null,
    foreignCapital: input.foreignCapital,
    memberClass: input.memberClass,
    designated: input.designated,
    isSecretariat: false,
    active: true,
    createdAt: now,
    updatedAt: now,
    ...membershipDefaults(),
    foreignCapitalShare: input.foreignCapitalShare ?? null,
    rosterConsent: input.rosterConsent,
  };
  checkOrganization(org);
  await deps.store.tx(async (r) => {
    await r.organizations.insert(org);
    await audit(r, deps, actor, meta, 'organization.create', { type: 'organization', id: org.id }, { ...input });
  });
  return org;
}

export async function updateOrganization(
  deps: Deps,
  actor: Actor,
  id: string,
  patch: OrganizationUpdate,
  meta: RequestMeta,
): Promise<Organization> {
  authorize(actor, 'organization.update', { orgId: id });
  return deps.store.tx(async (r) => {
    const before = await r.organizations.byId(id);
    if (!before) throw new NotFound('not_found');
    if (before.isSecretariat) throw new Invalid('secretariat_immutable');
    // A withdrawn or expelled organisation comes back only through a new application.
    if (patch.active === true && (before.status === 'withdrawn' || before.status === 'expelled')) {
      throw new Conflict('organization_not_member');
    }
    const after: Organization = { ...before, ...definedOnly(patch), updatedAt: iso(deps.now()) };
    if (patch.category && patch.category !== 'critical_infrastructure' && patch.sector === undefined) after.sector = null;
    checkOrganization(after);
    await r.organizations.update(id, after);
    await audit(r, deps, actor, meta, 'organization.update', { type: 'organization', id }, { changes: patch });
    return after;
  });
}

export async function getOrganization(deps: Deps, actor: Actor, id: string): Promise<Organization> {
  authorize(actor, 'organization.read', { orgId: id }, { hide: true });
  const org = await deps.store.read.organizations.byId(id);
  if (!org) throw new NotFound('not_found');
  return org;
}

export async function listOrganizations(deps: Deps, actor: Actor, q: PageQuery): Promise<Page<Organization>> {
  authorize(actor, 'organization.list');
  const rows = await deps.store.read.organizations.list({ after: decodeCursor(q.cursor), limit: q.limit + 1 });
  return toPage(rows, q.limit, (o) => o.id);
}

export function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
