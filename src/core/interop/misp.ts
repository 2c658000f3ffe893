/**
 * MISP: countermeasure information (対策情報) as a MISP feed — `manifest.json`, `hashes.csv` and one event JSON per
 * item, per audience, in the shape MISP's own feed fetcher reads (app/Model/Feed.php, PyMISP's feed generator) —
 * and MISP events imported as reports (情報提供) into the Type 1 group's queue.
 *
 * Choices the next person should know:
 * - One MISP event per item, not per version: MISP updates an event it already holds when the manifest's
 *   `timestamp` grows, so a new version (new text, new TLP) updates the event instead of adding a second one.
 *   The same version always gives the same event (uuid, timestamp, attribute uuids), so consumers de-duplicate.
 * - MISP accepts only RFC 4122 uuids of versions 1–5; our ids are UUIDv7. The event uuid is the item's id with its
 *   version digit written as 4, so the two convert both ways without a table.
 * - The event's creator (Orgc) is always the council: which member wrote an item is never in a feed.
 * - TLP:RED never goes into a feed (policy `feedFilter`); no `distribution` is set, so the subscribing MISP applies
 *   the one configured for the feed.
 */
import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { z } from 'zod';
import type { Actor } from '../actor.js';
import { audit, type Deps, type RequestMeta } from '../context.js';
import { Invalid, NotFound, Unauthenticated, type MessageParam } from '../errors.js';
import { translate, type Locale } from '../messages.js';
import { getCouncilSettings } from '../membership/settings.js';
import { authorize, feedFilter, matches, type ReadFilter } from '../policy.js';
import { Observable, ReportCreate, tlps, type ObservableType, type ReportKind, type Stage, type Tlp } from '../sharing/model.js';
import { normaliseAs, normaliseObservables } from '../sharing/observables.js';
import type { AdvisoryRecord, VersionRecord } from '../sharing/ports.js';
import { createReport } from '../sharing/reports.js';
import { audiences } from './collections.js';

// ---------------------------------------------------------------------------------------------
// The MISP core format, as much of it as we write and read
// ---------------------------------------------------------------------------------------------

export interface MispOrg {
  name: string;
  uuid: string;
}

export interface MispTag {
  name: string;
  colour: string;
}

export interface MispAttribute {
  uuid: string;
  type: string;
  category: string;
  value: string;
  to_ids: boolean;
  comment: string;
  timestamp: string;
  disable_correlation: boolean;
  deleted: boolean;
}

export interface MispEvent {
  Event: {
    uuid: string;
    info: string;
    date: string;
    timestamp: string;
    published: boolean;
    /** 2: completed — countermeasure information is a finished product. */
    analysis: string;
    /** 4: undefined — the council labels urgency in the text, not as a MISP threat level. */
    threat_level_id: string;
    Orgc: MispOrg;
    Tag: MispTag[];
    Attribute: MispAttribute[];
  };
}

/** One entry of manifest.json, keyed by event uuid (what MISP compares before fetching an event). */
export interface MispManifestEntry {
  Orgc: MispOrg;
  Tag: MispTag[];
  info: string;
  date: string;
  analysis: number;
  threat_level_id: number;
  timestamp: number;
}

/** Colours of MISP's tlp taxonomy. */
const tlpTags: Record<Tlp, MispTag> = {
  clear: { name: 'tlp:clear', colour: '#ffffff' },
  green: { name: 'tlp:green', colour: '#339900' },
  amber: { name: 'tlp:amber', colour: '#ffc000' },
  'amber+strict': { name: 'tlp:amber+strict', colour: '#ffc000' },
  red: { name: 'tlp:red', colour: '#cc0033' },
};

/** MISP tags read as TLP 2.0, including TLP 1.0's `white`. */
const tlpOfTag: Record<string, Tlp> = {
  'tlp:clear': 'clear',
  'tlp:white': 'clear',
  'tlp:green': 'green',
  'tlp:amber': 'amber',
  'tlp:amber+strict': 'amber+strict',
  'tlp:red': 'red',
};

/** How each observable goes out: MISP type, category and IDS flag (MISP's defaults for the type). */
const mispTypes: Record<ObservableType, { type: string; category: string; toIds: boolean }> = {
  ipv4: { type: 'ip-dst', category: 'Network activity', toIds: true },
  ipv6: { type: 'ip-dst', category: 'Network activity', toIds: true },
  domain: { type: 'domain', category: 'Network activity', toIds: true },
  url: { type: 'url', category: 'Network activity', toIds: true },
  email: { type: 'email-src', category: 'Payload delivery', toIds: true },
  md5: { type: 'md5', category: 'Payload delivery', toIds: true },
  sha1: { type: 'sha1', category: 'Payload delivery', toIds: true },
  sha256: { type: 'sha256', category: 'Payload delivery', toIds: true },
  cve: { type: 'vulnerability', category: 'External analysis', toIds: false },
};

/**
 * How each MISP type comes in: the observable type of each `|`-separated part (null: a part we do not keep, such as
 * a port or a file name; 'ip': IPv4 or IPv6, whichever the value is).
 */
const observableParts: Record<string, readonly (ObservableType | 'ip' | null)[]> = {
  'ip-dst': ['ip'],
  'ip-src': ['ip'],
  'ip-dst|port': ['ip', null],
  'ip-src|port': ['ip', null],
  domain: ['domain'],
  hostname: ['domain'],
  'domain|ip': ['domain', 'ip'],
  'hostname|port': ['domain', null],
  url: ['url'],
  md5: ['md5'],
  sha1: ['sha1'],
  sha256: ['sha256'],
  'filename|md5': [null, 'md5'],
  'filename|sha1': [null, 'sha1'],
  'filename|sha256': [null, 'sha256'],
  email: ['email'],
  'email-src': ['email'],
  'email-dst': ['email'],
  'email-reply-to': ['email'],
  vulnerability: ['cve'],
};

/** Free text that belongs in the report's description rather than among its observables. */
const textTypes = new Set(['text', 'comment', 'other']);

// ---------------------------------------------------------------------------------------------
// Identifiers
// ---------------------------------------------------------------------------------------------

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The MISP event uuid of an item: its UUIDv7 id with the version digit written as 4 (MISP refuses version 7). */
export function mispEventUuid(itemId: string): string {
  return `${itemId.slice(0, 14)}4${itemId.slice(15)}`;
}

/** The item id behind a MISP event uuid of ours, or null when it cannot be one. */
export function itemIdOfEvent(eventUuid: string): string | null {
  const uuid = eventUuid.toLowerCase();
  return UUID.test(uuid) && uuid[14] === '4' ? `${uuid.slice(0, 14)}7${uuid.slice(15)}` : null;
}

/** The council as a MISP organisation: named in the council's settings, a uuid fixed for this installation. */
async function councilOrg(deps: Deps): Promise<MispOrg> {
  const secretariat = await deps.store.read.organizations.secretariat();
  if (!secretariat) throw new Error('no secretariat organisation: start the server once first');
  const names = await getCouncilSettings(deps);
  return { name: names.councilName.ja, uuid: uuidv5('kyogikai:council', secretariat.id) };
}

// ---------------------------------------------------------------------------------------------
// Export: an item version as a MISP event, and the feed
// ---------------------------------------------------------------------------------------------

/** The audiences that have a feed (the TAXII collections' audiences: drafts reach none). */
export const FeedAudience = z.enum(audiences);
export type FeedAudience = z.infer<typeof FeedAudience>;

const seconds = (iso: string): string => String(Math.floor(new Date(iso).getTime() / 1000));
/** YYYY-MM-DD in Japan time. */
const jstDate = (iso: string): string => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(new Date(iso));

/** The sections of an item that travel as text attributes, with their label in MISP. */
const textSections = [
  ['summary', '概要 / Summary'],
  ['threat', '脅威 / Threat'],
  ['actions', '対策 / Recommended actions'],
] as const;

/** One version of a countermeasure item as a MISP event. Pure: the same version always gives the same event. */
export function toMispEvent(a: AdvisoryRecord, v: VersionRecord, orgc: MispOrg): MispEvent {
  const uuid = mispEventUuid(a.id);
  const timestamp = seconds(v.createdAt);
  const attribute = (type: string, category: string, value: string, extra: Partial<MispAttribute>): MispAttribute => ({
    uuid: uuidv5(`${type}|${value}`, uuid),
    type,
    category,
    value,
    to_ids: false,
    comment: '',
    timestamp,
    disable_correlation: false,
    deleted: false,
    ...extra,
  });
  const indicators = v.content.indicators.map((o) => {
    const m = mispTypes[o.type];
    return attribute(m.type, m.category, o.value, { to_ids: m.toIds });
  });
  // Text changes between versions: its uuid follows the section, so MISP updates it in place.
  const texts = textSections.map(([field, label]) =>
    attribute('text', 'Other', v.content[field], { uuid: uuidv5(`text|${field}`, uuid), comment: label, disable_correlation: true }),
  );
  return {
    Event: {
      uuid,
      info: v.content.title,
      date: jstDate(a.createdAt),
      timestamp,
      published: true,
      analysis: '2',
      threat_level_id: '4',
      Orgc: orgc,
      Tag: [tlpTags[a.tlp]],
      Attribute: [...indicators, ...texts],
    },
  };
}

export function manifestEntry(e: MispEvent): MispManifestEntry {
  const { Orgc, Tag, info, date, analysis, threat_level_id, timestamp } = e.Event;
  return { Orgc, Tag, info, date, analysis: Number(analysis), threat_level_id: Number(threat_level_id), timestamp: Number(timestamp) };
}

/** hashes.csv lines: MD5 of each indicator value and the event uuid (MISP's feed cache and correlation). */
export function hashLines(e: MispEvent): string[] {
  return e.Event.Attribute.filter((x) => x.type !== 'text').map((x) => `${createHash('md5').update(x.value).digest('hex')},${e.Event.uuid}\n`);
}

const PAGE = 200;

/** The items of a feed, newest first, page by page (keyset on the item id). */
async function* feedItems(deps: Deps, actor: Actor, filter: ReadFilter): AsyncGenerator<AdvisoryRecord> {
  const userId = actor.kind === 'user' ? actor.userId : undefined;
  let before: string | undefined;
  for (;;) {
    const page = await deps.store.read.sharing.advisories.list({ filter, userId, limit: PAGE, ...(before ? { before } : {}) });
    yield* page;
    const last = page.at(-1);
    if (page.length < PAGE || !last) return;
    before = last.id;
  }
}

async function* feedEvents(deps: Deps, actor: Actor, filter: ReadFilter): AsyncGenerator<MispEvent> {
  const orgc = await councilOrg(deps);
  for await (const a of feedItems(deps, actor, filter)) {
    const version = await deps.store.read.sharing.versions.get(a.id, a.version);
    if (version) yield toMispEvent(a, version, orgc);
  }
}

/** The feed's filter; an audience the actor is not part of is "not found" (it may not know what is there). */
function audienceFilter(actor: Actor, audience: Stage): ReadFilter {
  if (actor.kind === 'anonymous') throw new Unauthenticated('unauthenticated');
  const filter = feedFilter(actor, audience);
  if (filter.length === 0) throw new NotFound('not_found');
  return filter;
}

export type FeedPart = 'manifest' | 'hashes' | 'export';

/**
 * The events of an audience's feed the actor may read, after the access check. Taking non-public information away
 * is on the record: one audit row per manifest, hash list or export.
 */
export async function mispFeed(deps: Deps, actor: Actor, audience: Stage, part: FeedPart, meta: RequestMeta): Promise<AsyncIterable<MispEvent>> {
  const filter = audienceFilter(actor, audience);
  if (audience !== 'public') await deps.store.tx((r) => audit(r, deps, actor, meta, 'misp.feed', null, { audience, part }));
  return feedEvents(deps, actor, filter);
}

/** How many events a feed holds for the actor (for a progress bar): the feed's query without the content. */
export async function mispFeedSize(deps: Deps, actor: Actor, audience: Stage): Promise<number> {
  let n = 0;
  for await (const _ of feedItems(deps, actor, audienceFilter(actor, audience))) n++;
  return n;
}

/** manifest.json as a stream of text: a JSON object keyed by event uuid. */
export async function* manifestJson(events: AsyncIterable<MispEvent>): AsyncGenerator<string> {
  yield '{';
  let first = true;
  for await (const e of events) {
    yield `${first ? '' : ','}${JSON.stringify(e.Event.uuid)}:${JSON.stringify(manifestEntry(e))}`;
    first = false;
  }
  yield '}';
}

export async function* hashesCsv(events: AsyncIterable<MispEvent>): AsyncGenerator<string> {
  for await (const e of events) yield hashLines(e).join('');
}

/** One event of an audience's feed, by its MISP uuid; "not found" for anything the feed does not hold for the actor. */
export async function mispFeedEvent(deps: Deps, actor: Actor, audience: Stage, eventUuid: string, meta: RequestMeta): Promise<MispEvent> {
  const filter = audienceFilter(actor, audience);
  const r = deps.store.read;
  const id = itemIdOfEvent(eventUuid);
  const a = id ? await r.sharing.advisories.byId(id) : undefined;
  if (!a) throw new NotFound('not_found');
  const facts = { stage: a.stage, tlp: a.tlp, ownerOrgId: a.orgId, recipientUserIds: await r.sharing.recipients.list(a.id) };
  if (!matches(filter, facts, actor.kind === 'user' ? actor.userId : undefined)) throw new NotFound('not_found');
  const version = await r.sharing.versions.get(a.id, a.version);
  if (!version) throw new NotFound('not_found');
  const event = toMispEvent(a, version, await councilOrg(deps));
  if (a.stage !== 'public') {
    await deps.store.tx((t) => audit(t, deps, actor, meta, 'misp.feed.event', { type: 'advisory', id: a.id }, { audience, version: a.version }));
  }
  return event;
}

// ---------------------------------------------------------------------------------------------
// Import: a MISP event as a report
// ---------------------------------------------------------------------------------------------

/** What an import did: how many objects became part of the report, which were refused and why. */
export interface ImportSummary {
  imported: number;
  rejected: { index: number; id?: string; reason: string }[];
  reportId: string | null;
}

/** The events in a MISP JSON document: `{Event}`, a bare event, a list of them, or a REST search answer `{response: […]}`. */
export function mispEventsIn(doc: unknown): unknown[] {
  const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
  const list = Array.isArray(doc) ? doc : isObject(doc) && Array.isArray(doc.response) ? doc.response : [doc];
  return list.flatMap((x) => (!isObject(x) ? [] : x.Event !== undefined ? [x.Event] : 'info' in x ? [x] : []));
}

/** Does this document hold MISP events? (For telling MISP from STIX files apart.) */
export const looksLikeMisp = (doc: unknown): boolean => mispEventsIn(doc).length > 0;

const MispTagIn = z.looseObject({ name: z.string().trim().min(1).max(255) });

const MispEventIn = z.looseObject({
  info: z.string().trim().min(1),
  uuid: z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/).optional(),
  date: z.string().max(40).optional(),
  Orgc: z.looseObject({ name: z.string().max(255).optional() }).optional(),
  Tag: z.array(MispTagIn).optional(),
  Attribute: z.array(z.unknown()).optional(),
  Object: z.array(z.looseObject({ Attribute: z.array(z.unknown()).optional() })).optional(),
});

const MispAttributeIn = z.looseObject({
  type: z.string().trim().min(1).max(100),
  value: z.union([z.string(), z.number()]).transform(String),
  uuid: z.string().max(100).optional(),
  // MISP writes booleans as true/false, 0/1 or "0"/"1".
  deleted: z.union([z.boolean(), z.number(), z.string()]).optional(),
  Tag: z.array(MispTagIn).optional(),
});

const isTrue = (v: unknown): boolean => v === true || v === 1 || v === '1' || v === 'true';

/** The most restrictive TLP among the tags; null when none is a TLP tag. */
function tlpOf(tags: readonly { name: string }[]): Tlp | null {
  let found: Tlp | null = null;
  for (const tag of tags) {
    const tlp = tlpOfTag[tag.name.trim().toLowerCase()];
    if (tlp && (found === null || tlps.indexOf(tlp) > tlps.indexOf(found))) found = tlp;
  }
  return found;
}

/** A first look at what kind of report the event is, for the Type 1 group to correct. */
function kindOf(observables: readonly Observable[], tags: readonly { name: string }[]): ReportKind {
  const tagText = tags.map((t) => t.name.toLowerCase()).join(' ');
  const has = (types: ObservableType[]) => observables.some((o) => types.includes(o.type));
  if (tagText.includes('phishing')) return 'phishing';
  if (tagText.includes('malware') || has(['md5', 'sha1', 'sha256'])) return 'malware';
  if (observables.length > 0 && observables.every((o) => o.type === 'cve')) return 'vulnerability';
  if (has(['ipv4', 'ipv6', 'domain', 'url', 'email'])) return 'suspicious_activity';
  return 'other';
}

const MAX_OBSERVABLES = 500;
const clip = (s: string, max: number): string => (s.length > max ? `${s.slice(0, max - 1)}…` : s);

/**
 * Import one MISP event as a report in the Type 1 group's queue, by the actor's organisation (anonymous unless it
 * names itself later). Attributes become observables where the type and value allow; the rest is refused one by
 * one with the reason. TLP tags become the report's TLP (the most restrictive; TLP:AMBER when there is none);
 * TLP:RED is refused. An event that is not valid is refused whole (400), nothing is stored.
 */
export async function importMispEvent(deps: Deps, actor: Actor, doc: unknown, meta: RequestMeta): Promise<ImportSummary> {
  authorize(actor, 'report.create');
  const locale: Locale = actor.kind === 'user' ? actor.locale : 'ja';
  const t = (key: string, params: Record<string, MessageParam> = {}) => translate(locale, key, params);

  const found = mispEventsIn(doc);
  if (found.length === 0) throw new Invalid('misp_no_event');
  if (found.length > 1) throw new Invalid('misp_one_event', { count: found.length });
  const parsed = MispEventIn.safeParse(found[0]);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = ['Event', ...(issue?.path ?? [])].join('.');
    throw new Invalid('misp_invalid_event', { field }, parsed.error.issues.map((i) => ({ path: ['Event', ...i.path].join('.'), code: i.code })));
  }
  const event = parsed.data;

  const rawAttributes = [...(event.Attribute ?? []), ...(event.Object ?? []).flatMap((o) => o.Attribute ?? [])];
  const rejected: ImportSummary['rejected'] = [];
  const candidates: Observable[] = [];
  const texts: string[] = [];
  const links: string[] = [];
  const attributeTags: { name: string }[] = [];

  rawAttributes.forEach((raw, index) => {
    const a = MispAttributeIn.safeParse(raw);
    const id = typeof (raw as { uuid?: unknown } | null)?.uuid === 'string' ? (raw as { uuid: string }).uuid : undefined;
    const refuse = (key: string, params: Record<string, MessageParam> = {}) => rejected.push({ index, ...(id ? { id } : {}), reason: t(key, params) });
    if (!a.success) return refuse('misp_attribute_invalid');
    if (isTrue(a.data.deleted)) return;
    attributeTags.push(...(a.data.Tag ?? []));
    const type = a.data.type.toLowerCase();
    if (textTypes.has(type)) return void texts.push(a.data.value.trim());
    if (type === 'link') return void links.push(a.data.value.trim());
    const parts = observableParts[type];
    if (!parts) return refuse('misp_attribute_unsupported', { type: clip(a.data.type, 100) });
    const values = a.data.value.split('|');
    const observables: Observable[] = [];
    for (const [i, kind] of parts.entries()) {
      const value = values[i] ?? '';
      if (kind === null) continue;
      const as: ObservableType[] = kind === 'ip' ? ['ipv4', 'ipv6'] : [kind];
      const match = as.map((ty) => ({ type: ty, value: normaliseAs(ty, value) })).find((o) => o.value !== null);
      const observable = Observable.safeParse(match);
      if (!observable.success) return refuse('misp_attribute_value_invalid', { value: clip(value, 100), type: a.data.type });
      observables.push(observable.data);
    }
    if (candidates.length + observables.length > MAX_OBSERVABLES) return refuse('misp_attribute_limit', { max: MAX_OBSERVABLES });
    candidates.push(...observables);
  });

  const tlp = tlpOf([...(event.Tag ?? []), ...attributeTags]) ?? 'amber';
  if (tlp === 'red') throw new Invalid('misp_tlp_red');
  const observables = normaliseObservables(candidates);

  const origin = t('misp_import_origin', {
    uuid: event.uuid ?? t('misp_unknown'),
    date: event.date ?? t('misp_unknown'),
    org: event.Orgc?.name ?? t('misp_unknown'),
  });
  const sections = [event.info, origin, ...texts.filter(Boolean)];
  if (links.length) sections.push(`${t('misp_import_references')}:\n${links.map((l) => `- ${l}`).join('\n')}`);
  const input = ReportCreate.parse({
    title: clip(event.info, 200),
    description: clip(sections.join('\n\n'), 20_000),
    kind: kindOf(observables, event.Tag ?? []),
    certainty: 'suspected',
    tlp,
    observables,
  });
  const report = await createReport(deps, actor, input, meta, (r, record) =>
    audit(r, deps, actor, meta, 'misp.import', { type: 'report', id: record.id }, {
      event: event.uuid ?? null,
      imported: observables.length,
      rejected: rejected.length,
    }),
  );
  return { imported: observables.length, rejected, reportId: report.id };
}
