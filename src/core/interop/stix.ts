/**
 * STIX 2.1 in and out of the council, for files (`kyogikai import` / `export`), the API and TAXII.
 *
 * - `exportStixBundle(deps, actor, { audience })` streams the STIX objects of one audience's collection that the
 *   actor may read: the latest version of each, oldest first, TLP:RED never (a file leaves the platform; the policy's
 *   `feedFilter`). Wrap them in a bundle yourself: `{ type: 'bundle', id: 'bundle--' + uuid, objects }`.
 * - `importStixBundle(deps, actor, bundle, meta)` turns a STIX bundle (or a TAXII envelope) into one report to the
 *   Type 1 group's queue, its indicators read into observables where the pattern allows; every object that is not
 *   valid STIX 2.1 is rejected with its reason, in the actor's language.
 *
 * The mapping itself is in stix-objects.ts, validation in stix-validate.ts, patterns in stix-pattern.ts.
 */
import type { Actor } from '../actor.js';
import { audit, type Deps, type RequestMeta } from '../context.js';
import { Forbidden, Invalid } from '../errors.js';
import { translate, type Locale } from '../messages.js';
import { authorize, feedFilter } from '../policy.js';
import type { ReportCreate, Stage } from '../sharing/model.js';
import { createReport } from '../sharing/reports.js';
import { audienceCollectionId, audiences, hiddenSources, type Audience } from './collections.js';
import { readStixContent, type StixObject } from './stix-objects.js';
import { validateStixObject, versionOf } from './stix-validate.js';

export type { StixObject } from './stix-objects.js';

export const localeOf = (actor: Actor): Locale => (actor.kind === 'user' ? actor.locale : 'ja');

export interface RejectedObject {
  /** The object's id, when it had one. */
  id?: string;
  /** Its position in the bundle (0-based). */
  index: number;
  reason: string;
}

export interface CheckedObjects {
  valid: { index: number; object: StixObject }[];
  rejected: RejectedObject[];
}

/** Validate each object; a second copy of the same id and version in one bundle is rejected too. */
export function checkObjects(objects: readonly unknown[], locale: Locale): CheckedObjects {
  const valid: CheckedObjects['valid'] = [];
  const rejected: RejectedObject[] = [];
  const seen = new Set<string>();
  objects.forEach((input, index) => {
    const rawId = input !== null && typeof input === 'object' ? (input as { id?: unknown }).id : undefined;
    const id = typeof rawId === 'string' ? rawId.slice(0, 300) : undefined;
    const checked = validateStixObject(input);
    if (!checked.ok) {
      rejected.push({ ...(id ? { id } : {}), index, reason: translate(locale, checked.reason.code, checked.reason.params) });
      return;
    }
    const key = `${checked.object.id}\u0000${versionOf(checked.object) ?? ''}`;
    if (seen.has(key)) {
      rejected.push({ id: checked.object.id, index, reason: translate(locale, 'stix_duplicate_object') });
      return;
    }
    seen.add(key);
    valid.push({ index, object: checked.object });
  });
  return { valid, rejected };
}

/** The objects of a STIX bundle or TAXII envelope, or a 400 when it is neither. */
export function objectsOfBundle(bundle: unknown): unknown[] {
  const objects = bundle !== null && typeof bundle === 'object' ? (bundle as { objects?: unknown }).objects : undefined;
  if (!Array.isArray(objects)) throw new Invalid('stix_bundle_invalid');
  return objects;
}

/**
 * The report a set of valid STIX objects becomes: title and text from the STIX report (or the first indicator),
 * observables from indicators, vulnerabilities and observable objects, the most restrictive TLP marking (AMBER when
 * none), the provider anonymous.
 */
export function reportInputOf(objects: readonly StixObject[], locale: Locale): ReportCreate {
  const c = readStixContent(objects);
  const sections = [
    c.summary,
    c.threat && `${translate(locale, 'stix_heading_threat')}\n${c.threat}`,
    c.actions && `${translate(locale, 'stix_heading_actions')}\n${c.actions}`,
  ].filter((s): s is string => typeof s === 'string');
  const has = (type: string) => objects.some((o) => o.type === type);
  const kind = c.reportKind ?? (has('malware') ? 'malware' : has('vulnerability') && !has('indicator') ? 'vulnerability' : 'other');
  return {
    title: (c.title ?? translate(locale, 'stix_import_title')).trim().slice(0, 200),
    description: (sections.join('\n\n') || translate(locale, 'stix_import_description', { count: objects.length })).slice(0, 20_000),
    kind,
    certainty: c.certainty ?? 'suspected',
    confidence: c.confidence ?? 'medium',
    tlp: c.tlp ?? 'amber',
    isConsultation: false,
    isOriginal: false,
    providerNamed: false,
    observables: c.indicators,
    recipientUserIds: [],
  };
}

export interface ImportResult {
  reportId: string | null;
  imported: number;
  rejected: RejectedObject[];
}

/** A STIX bundle becomes a report in the Type 1 group's queue (nothing is written when no object is valid). */
export async function importStixBundle(deps: Deps, actor: Actor, bundle: unknown, meta: RequestMeta): Promise<ImportResult> {
  // Who may send comes before what was sent: a read-only token learns nothing from validating its bundle.
  authorize(actor, 'report.create');
  const locale = localeOf(actor);
  const { valid, rejected } = checkObjects(objectsOfBundle(bundle), locale);
  if (valid.length === 0) return { reportId: null, imported: 0, rejected };
  const objects = valid.map((v) => v.object);
  const report = await createReport(deps, actor, reportInputOf(objects, locale), meta, (r, record) =>
    audit(r, deps, actor, meta, 'stix.import', { type: 'report', id: record.id }, { objects: objects.length, rejected: rejected.length }),
  );
  return { reportId: report.id, imported: objects.length, rejected };
}

const PAGE = 500;

/** The STIX objects of one audience's collection the actor may read, latest versions, oldest first; never TLP:RED. */
export async function* exportStixBundle(deps: Deps, actor: Actor, opts: { audience: Stage }): AsyncIterable<StixObject> {
  const audience = audiences.find((a) => a === opts.audience) as Audience | undefined;
  if (!audience) throw new Invalid('stix_audience_invalid');
  const filter = feedFilter(actor, audience);
  if (filter.length === 0) throw new Forbidden('forbidden');
  // Every export of non-public information is on the record.
  if (audience !== 'public') await deps.store.tx((r) => audit(r, deps, actor, { ip: null }, 'stix.export', null, { audience }));
  const collection = audienceCollectionId(audience);
  let afterUs: number | undefined;
  for (;;) {
    const rows = await deps.store.read.interop.stix.bodies({
      collection,
      filter,
      userId: actor.kind === 'user' ? actor.userId : undefined,
      versions: { all: false, first: false, last: true, at: [] },
      limit: PAGE,
      ...(afterUs === undefined ? {} : { afterUs }),
      ...hiddenSources(actor),
    });
    for (const row of rows) yield JSON.parse(row.body) as StixObject;
    const last = rows.at(-1);
    if (rows.length < PAGE || !last) return;
    afterUs = last.addedUs;
  }
}
