/**
 * The TAXII 2.1 server's use cases: discovery, the API root, collections, objects (read, add, delete), manifests,
 * versions and status resources. HTTP (media types, headers, the error resource) is src/server/taxii; who may read
 * or write a collection is the policy's answer (collections.ts), and every object answered passes the same read
 * filter as the web UI.
 *
 * Pages are keyed by date_added (unique per object version, see src/store/interop-repos.ts): `next` is the last
 * date_added of a page, so each page is one index range scan however large the collection grows.
 */
import type { Actor, UserActor } from '../actor.js';
import { audit, encodeCursor, newId, type Deps, type RequestMeta } from '../context.js';
import { DomainError, Forbidden, NotFound, Unauthenticated } from '../errors.js';
import { translate } from '../messages.js';
import { getCouncilSettings } from '../membership/settings.js';
import { readFilter } from '../policy.js';
import type { Repos } from '../ports.js';
import type { ReportRecord } from '../sharing/ports.js';
import { createReport } from '../sharing/reports.js';
import { collectionFor, collectionsOf, hiddenSources, type CollectionAccess } from './collections.js';
import type { StatusDetail, StixBody, StixQuery, StixRecord, TaxiiStatusRecord } from './ports.js';
import { nowMicros, stixEntry } from './publish.js';
import { checkObjects, localeOf, objectsOfBundle, reportInputOf } from './stix.js';
import { formatMicros, parseTimestamp, STIX_MEDIA_TYPE, type StixObject } from './stix-objects.js';
import { versionOf } from './stix-validate.js';
import { parseTaxiiQuery, type TaxiiParameter, type TaxiiQuery } from './taxii-query.js';

export const TAXII_MEDIA_TYPE = 'application/taxii+json;version=2.1';
/** Largest POST body, announced in the API root (a bundle of ten thousand indicators is a few megabytes). */
export const MAX_CONTENT_LENGTH = 32 * 1024 * 1024;

/** 422: the envelope was read, but nothing in it could be processed. */
export class Unprocessable extends DomainError {
  readonly status = 422;
}

function signedIn(actor: Actor): UserActor {
  if (actor.kind !== 'user') throw new Unauthenticated('unauthenticated');
  return actor;
}

async function councilName(deps: Deps, actor: UserActor): Promise<string> {
  return (await getCouncilSettings(deps)).councilName[actor.locale];
}

export async function discovery(deps: Deps, actor: Actor, apiRootUrl: string) {
  const me = signedIn(actor);
  return {
    title: translate(me.locale, 'taxii_discovery_title', { council: await councilName(deps, me) }),
    description: translate(me.locale, 'taxii_discovery_description'),
    default: apiRootUrl,
    api_roots: [apiRootUrl],
  };
}

export async function apiRoot(deps: Deps, actor: Actor) {
  const me = signedIn(actor);
  return {
    title: translate(me.locale, 'taxii_api_root_title', { council: await councilName(deps, me) }),
    description: translate(me.locale, 'taxii_api_root_description'),
    versions: [TAXII_MEDIA_TYPE],
    max_content_length: MAX_CONTENT_LENGTH,
  };
}

async function collectionResource(deps: Deps, me: UserActor, c: CollectionAccess) {
  let title: string;
  let description: string;
  if (c.audience) {
    title = translate(me.locale, `taxii_collection_${c.audience}_title`);
    description = translate(me.locale, `taxii_collection_${c.audience}_description`);
  } else {
    const org = await deps.store.read.organizations.byId(me.orgId);
    title = translate(me.locale, 'taxii_collection_inbox_title', { organization: (me.locale === 'ja' ? org?.nameJa : org?.nameEn) ?? '' });
    description = translate(me.locale, 'taxii_collection_inbox_description');
  }
  return {
    id: c.id,
    title,
    description,
    ...(c.audience ? { alias: c.audience } : {}),
    can_read: c.canRead,
    can_write: c.canWrite,
    media_types: [STIX_MEDIA_TYPE],
  };
}

export async function listCollections(deps: Deps, actor: Actor) {
  const me = signedIn(actor);
  const collections = await Promise.all(collectionsOf(me).map((c) => collectionResource(deps, me, c)));
  // TAXII omits empty lists.
  return collections.length ? { collections } : {};
}

export async function getCollection(deps: Deps, actor: Actor, id: string) {
  const me = signedIn(actor);
  const c = collectionFor(me, id);
  if (!c) throw new NotFound('not_found');
  return collectionResource(deps, me, c);
}

function readable(me: UserActor, id: string): CollectionAccess {
  const c = collectionFor(me, id);
  if (!c) throw new NotFound('not_found');
  if (!c.canRead) throw new Forbidden('taxii_collection_not_readable');
  return c;
}

/** One page of a collection's objects (manifest, versions), and what TAXII says about the rest. */
export interface TaxiiPage<T extends { addedUs: number }> {
  items: T[];
  more: boolean;
  next?: string;
}

/** The store's query for one page of what `me` may read in `c`: one more row than the page, to know of `more`. */
function pageQuery(me: UserActor, c: CollectionAccess, q: TaxiiQuery, extra: Partial<StixQuery> = {}): StixQuery {
  return {
    collection: c.id,
    filter: readFilter(me),
    userId: me.userId,
    versions: q.versions,
    limit: q.limit + 1,
    ...(q.afterUs === undefined ? {} : { afterUs: q.afterUs }),
    ...(q.ids ? { ids: q.ids } : {}),
    ...(q.types ? { types: q.types } : {}),
    ...(q.specVersions ? { specVersions: q.specVersions } : {}),
    ...hiddenSources(me),
    ...extra,
  };
}

function pageOf<T extends { addedUs: number }>(rows: T[], limit: number): TaxiiPage<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  // `next` always accompanies `more`: a client that pages on `more` alone would otherwise loop for ever.
  return rows.length > limit && last ? { items, more: true, next: encodeCursor(last.addedUs) } : { items, more: false };
}

/** Every read of non-public objects is on the record (one row per answer, with how many objects it held). */
async function auditRead(deps: Deps, me: UserActor, c: CollectionAccess, p: TaxiiPage<StixBody>, meta: RequestMeta, objectId?: string): Promise<void> {
  if (!c.audience || c.audience === 'public' || p.items.length === 0) return;
  await deps.store.tx((r) => audit(r, deps, me, meta, 'taxii.read', { type: 'taxii_collection', id: c.id }, { audience: c.audience, objects: p.items.length, ...(objectId ? { objectId } : {}) }));
}

const listParameters: TaxiiParameter[] = ['limit', 'next', 'added_after', 'match[id]', 'match[type]', 'match[version]', 'match[spec_version]'];
const objectParameters: TaxiiParameter[] = ['limit', 'next', 'added_after', 'match[version]', 'match[spec_version]'];

export async function getObjects(deps: Deps, actor: Actor, collectionId: string, raw: Record<string, unknown>, meta: RequestMeta): Promise<TaxiiPage<StixBody>> {
  const me = signedIn(actor);
  const c = readable(me, collectionId);
  const q = parseTaxiiQuery(raw, listParameters, 'last');
  const p = pageOf(await deps.store.read.interop.stix.bodies(pageQuery(me, c, q)), q.limit);
  await auditRead(deps, me, c, p, meta);
  return p;
}

export async function getManifest(deps: Deps, actor: Actor, collectionId: string, raw: Record<string, unknown>): Promise<TaxiiPage<StixRecord>> {
  const me = signedIn(actor);
  const c = readable(me, collectionId);
  const q = parseTaxiiQuery(raw, listParameters, 'last');
  return pageOf(await deps.store.read.interop.stix.list(pageQuery(me, c, q)), q.limit);
}

/** 404 unless the collection holds a version of the object the actor may read. */
async function existing(deps: Deps, me: UserActor, c: CollectionAccess, objectId: string): Promise<void> {
  const any = await deps.store.read.interop.stix.list({
    collection: c.id,
    filter: readFilter(me),
    userId: me.userId,
    ids: [objectId],
    versions: { all: true, first: false, last: false, at: [] },
    limit: 1,
    ...hiddenSources(me),
  });
  if (any.length === 0) throw new NotFound('not_found');
}

export async function getObject(deps: Deps, actor: Actor, collectionId: string, objectId: string, raw: Record<string, unknown>, meta: RequestMeta): Promise<TaxiiPage<StixBody>> {
  const me = signedIn(actor);
  const c = readable(me, collectionId);
  const q = parseTaxiiQuery(raw, objectParameters, 'last');
  await existing(deps, me, c, objectId);
  const p = pageOf(await deps.store.read.interop.stix.bodies(pageQuery(me, c, q, { ids: [objectId] })), q.limit);
  await auditRead(deps, me, c, p, meta, objectId);
  return p;
}

export async function getVersions(deps: Deps, actor: Actor, collectionId: string, objectId: string, raw: Record<string, unknown>): Promise<TaxiiPage<StixRecord>> {
  const me = signedIn(actor);
  const c = readable(me, collectionId);
  const q = parseTaxiiQuery(raw, ['limit', 'next', 'added_after', 'match[spec_version]'], 'all');
  await existing(deps, me, c, objectId);
  return pageOf(await deps.store.read.interop.stix.list(pageQuery(me, c, q, { ids: [objectId] })), q.limit);
}

/**
 * Delete an object (all versions, or those match[version] names). Only where the actor may both read and write:
 * its own inbox. A collection it can neither read nor write is "not found"; one of the two is "forbidden".
 */
export async function deleteObject(deps: Deps, actor: Actor, collectionId: string, objectId: string, raw: Record<string, unknown>, meta: RequestMeta): Promise<void> {
  const me = signedIn(actor);
  const c = collectionFor(me, collectionId);
  if (!c) throw new NotFound('not_found');
  if (!c.canRead || !c.canWrite) throw new Forbidden(c.canRead ? 'taxii_collection_not_writable' : 'taxii_collection_not_readable');
  const q = parseTaxiiQuery(raw, ['match[version]', 'match[spec_version]'], 'all');
  await deps.store.tx(async (r) => {
    const removed = await r.interop.stix.remove({
      collection: c.id,
      stixId: objectId,
      filter: readFilter(me),
      userId: me.userId,
      versions: q.versions,
      ...(q.specVersions ? { specVersions: q.specVersions } : {}),
    });
    if (removed === 0) throw new NotFound('not_found');
    await audit(r, deps, me, meta, 'taxii.delete', { type: 'taxii_collection', id: c.id }, { objectId, versions: removed });
  });
}

/** The status resource as TAXII writes it: empty lists left out. */
export function statusResource(s: TaxiiStatusRecord) {
  return {
    id: s.id,
    status: s.status,
    request_timestamp: formatMicros(s.requestUs),
    total_count: s.totalCount,
    success_count: s.successCount,
    ...(s.successes.length ? { successes: s.successes } : {}),
    failure_count: s.failureCount,
    ...(s.failures.length ? { failures: s.failures } : {}),
    pending_count: s.pendingCount,
  };
}

export async function getStatus(deps: Deps, actor: Actor, statusId: string) {
  const me = signedIn(actor);
  const s = await deps.store.read.interop.statuses.byId(statusId);
  // The posting organisation's status: another's is not found, like the inbox it went to.
  if (!s || s.orgId !== me.orgId) throw new NotFound('not_found');
  return statusResource(s);
}

/** Which of these object versions the collection holds already (a client that posts again is not an error). */
async function alreadyHeld(r: Repos, collection: string, objects: readonly StixObject[]): Promise<Set<string>> {
  const held = new Set<string>();
  const ids = [...new Set(objects.map((o) => o.id))];
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await r.interop.stix.list({
      collection,
      filter: [{}],
      userId: undefined,
      ids: ids.slice(i, i + 500),
      versions: { all: true, first: false, last: false, at: [] },
      limit: 1_000_000,
    });
    for (const row of rows) {
      held.add(row.stixId);
      held.add(`${row.stixId}\u0000${String(parseTimestamp(row.version))}`);
    }
  }
  return held;
}

const heldKey = (o: StixObject): string => {
  const version = versionOf(o);
  // An object without a version of its own (an SCO) is the same object whenever its id is.
  return version === null ? o.id : `${o.id}\u0000${String(parseTimestamp(version))}`;
};

/**
 * Add objects to the actor's inbox. The valid ones are stored in the inbox, each with its own date_added, and
 * become one report to the Type 1 group (objects already there are counted as successes, not stored again); the
 * invalid ones are failures with their reason. Done within the request, so the status is `complete` at once.
 */
export async function addObjects(deps: Deps, actor: Actor, collectionId: string, envelope: unknown, meta: RequestMeta) {
  const me = signedIn(actor);
  const c = collectionFor(me, collectionId);
  if (!c) throw new NotFound('not_found');
  if (!c.canWrite) throw new Forbidden('taxii_collection_not_writable');
  const locale = localeOf(me);
  const objects = objectsOfBundle(envelope);
  const { valid, rejected } = checkObjects(objects, locale);
  if (valid.length === 0) throw new Unprocessable('taxii_nothing_valid', {}, { failures: rejected });

  const held = await alreadyHeld(deps.store.read, c.id, valid.map((v) => v.object));
  const fresh = valid.map((v) => v.object).filter((o) => !held.has(heldKey(o)));
  const requestUs = nowMicros(deps);
  const failures: StatusDetail[] = rejected.map((x) => {
    const raw = objects[x.index] as Record<string, unknown> | null;
    const version = raw && typeof raw === 'object' ? (raw.modified ?? raw.created) : undefined;
    return { id: x.id ?? '', version: typeof version === 'string' ? version : '', message: x.reason };
  });

  /** Stores the fresh objects (when a report took them) and the status, in the transaction given. */
  const record = async (r: Repos, report: ReportRecord | null) => {
    const dateAdded = new Map<string, number | null>();
    if (report) {
      const entries = fresh.map((o) =>
        stixEntry(c.id, o, { source: 'inbox', itemId: report.id, stage: report.stage, tlp: report.tlp, orgId: report.orgId }),
      );
      const added = await r.interop.stix.add(entries, requestUs);
      fresh.forEach((o, i) => dateAdded.set(o.id, added[i] ?? null));
    }
    const successes: StatusDetail[] = valid.map(({ object }) => {
      const version = versionOf(object);
      const addedUs = dateAdded.get(object.id);
      const fromStore = version ?? (addedUs ? formatMicros(addedUs) : '');
      return held.has(heldKey(object))
        ? { id: object.id, version: fromStore, message: translate(locale, 'stix_object_present') }
        : { id: object.id, version: fromStore };
    });
    const status: TaxiiStatusRecord = {
      id: newId(),
      collection: c.id,
      orgId: me.orgId,
      userId: me.userId,
      status: 'complete',
      requestUs,
      totalCount: objects.length,
      successCount: successes.length,
      failureCount: failures.length,
      pendingCount: 0,
      successes,
      failures,
      reportId: report?.id ?? null,
    };
    await r.interop.statuses.insert(status);
    await audit(r, deps, me, meta, 'taxii.add', { type: 'taxii_collection', id: c.id }, {
      statusId: status.id,
      reportId: status.reportId,
      added: fresh.length,
      present: valid.length - fresh.length,
      rejected: failures.length,
    });
    return status;
  };

  if (fresh.length === 0) return statusResource(await deps.store.tx((r) => record(r, null)));
  let status: TaxiiStatusRecord | undefined;
  await createReport(deps, me, reportInputOf(fresh, locale), meta, async (r, report) => {
    status = await record(r, report);
  });
  return statusResource(status as TaxiiStatusRecord);
}
