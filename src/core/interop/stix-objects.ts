/**
 * The domain as STIX 2.1 objects, and STIX 2.1 objects read back into the domain. Pure: no storage.
 *
 * - Countermeasure information (対策情報): a `report` whose `object_refs` name a `course-of-action` (対策), an
 *   `indicator` per observable (STIX pattern), a `vulnerability` per CVE and a `note` with the threat analysis
 *   (and one with the revision note of a version that has one).
 * - A report (情報提供): a `report` with its indicators and vulnerabilities.
 * - Feedback: 来ている (seen) is a `sighting` of the item's report, with the count and first/last seen of the
 *   answer's sightings; 来ていない and わからない are a `note` on it (see the README, "TAXII 2.1", for why). Both carry
 *   the answer in the kyogikai property extension, so the three-way answer survives a round trip.
 * - Organisations are `identity` objects. Who wrote countermeasure information is never exported (it is the Type 1
 *   group's product) and a provider that did not agree to be named is not either: the council's identity stands in
 *   as `created_by_ref`.
 * - Ids are UUIDv5 of the item id (and the part of it an object stands for); `modified` is the time of the item's
 *   version. The same item version therefore always gives the same objects, consumers de-duplicate, and each new
 *   version of an item is a new STIX version of the same objects (TAXII `match[version]` and versions endpoint).
 */
import { v5 as uuidv5 } from 'uuid';
import type { Organization } from '../model.js';
import { sectors as knownSectors } from '../model.js';
import type { AdvisoryContent, Certainty, Confidence, FeedbackAnswer, Observable, ReportKind, Sighting, Tlp } from '../sharing/model.js';
import { certainties, reportKinds, tlpLabel, tlps } from '../sharing/model.js';
import type { FeedbackRecord, ReportRecord } from '../sharing/ports.js';
import { normaliseAs } from '../sharing/observables.js';
import { observablesOfPattern, parsePattern, patternOf } from './stix-pattern.js';

/** A STIX object: its common properties typed, the rest as JSON. */
export interface StixObject {
  type: string;
  id: string;
  [property: string]: unknown;
}

/** kyogikai's UUIDv5 namespace: every id we mint is derived from it and an item id. */
const NAMESPACE = '5310692a-e278-4c24-8bc6-9ae9e00aca7e';

export const stixId = (type: string, name: string): string => `${type}--${uuidv5(name, NAMESPACE)}`;

export const STIX_MEDIA_TYPE = 'application/stix+json;version=2.1';

// ---------------------------------------------------------------------------------------------
// Timestamps: STIX writes them RFC 3339 in UTC; TAXII needs microseconds (date_added).
// ---------------------------------------------------------------------------------------------

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Microseconds since the epoch, or null when `text` is not an RFC 3339 timestamp of a real instant. STIX objects
 * must be in UTC (`Z`); TAXII query parameters may carry an offset (`utcOnly: false`).
 */
export function parseTimestamp(text: string, utcOnly = true): number | null {
  const m = TIMESTAMP.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac = '', zone = 'Z'] = m;
  if (utcOnly && zone !== 'Z' && zone !== 'z') return null;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const back = new Date(ms);
  // Date.UTC rolls 30 February over into March: a real instant reads back the same.
  if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || back.getUTCHours() !== Number(h) || Number(s) > 59) return null;
  const offsetMinutes = zone.toUpperCase() === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return (ms - offsetMinutes * 60_000) * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
}

/** A timestamp with microseconds: `2026-04-01T09:00:00.000001Z`. */
export function formatMicros(us: number): string {
  return `${new Date(Math.floor(us / 1000)).toISOString().slice(0, 19)}.${String(us % 1_000_000).padStart(6, '0')}Z`;
}

// ---------------------------------------------------------------------------------------------
// Markings: FIRST TLP 2.0 as the OASIS CTI TC published it (property extension), and the TLP 1.0 ids we read.
// ---------------------------------------------------------------------------------------------

const TLP2_EXTENSION = 'extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d';

export const tlpMarkingIds: Record<Tlp, string> = {
  clear: 'marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487',
  green: 'marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb',
  amber: 'marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421',
  'amber+strict': 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003',
  red: 'marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1',
};

/** TLP 1.0 markings of STIX 2.x (WHITE is CLEAR in TLP 2.0). */
const tlp1MarkingIds: Record<string, Tlp> = {
  'marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9': 'clear',
  'marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da': 'green',
  'marking-definition--f88d31f6-486f-44da-b317-01333bde0b82': 'amber',
  'marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed': 'red',
};

export function tlpMarking(tlp: Tlp): StixObject {
  return {
    type: 'marking-definition',
    spec_version: '2.1',
    id: tlpMarkingIds[tlp],
    created: '2022-10-01T00:00:00.000Z',
    name: tlpLabel(tlp),
    extensions: { [TLP2_EXTENSION]: { extension_type: 'property-extension', tlp_2_0: tlp } },
  };
}

/** The TLP a marking reference stands for, if it is one of the TLP markings. */
function tlpOfMarking(ref: string): Tlp | undefined {
  const v2 = (Object.entries(tlpMarkingIds) as [Tlp, string][]).find(([, id]) => id === ref)?.[0];
  return v2 ?? tlp1MarkingIds[ref];
}

// ---------------------------------------------------------------------------------------------
// The council, organisations and our property extension
// ---------------------------------------------------------------------------------------------

/** The council's identity: the creator of everything it releases, and of what anonymous providers sent. */
export const COUNCIL_IDENTITY = stixId('identity', 'council');
export const orgIdentityId = (orgId: string): string => stixId('identity', `organization:${orgId}`);

export function councilIdentity(names: { ja: string; en: string }, since: string): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: COUNCIL_IDENTITY,
    created: since,
    modified: since,
    name: names.ja,
    description: names.en,
    identity_class: 'organization',
  };
}

export function orgIdentity(org: Pick<Organization, 'id' | 'nameJa' | 'nameEn' | 'createdAt'>): StixObject {
  return {
    type: 'identity',
    spec_version: '2.1',
    id: orgIdentityId(org.id),
    created: org.createdAt,
    modified: org.createdAt,
    name: org.nameJa,
    description: org.nameEn,
    identity_class: 'organization',
  };
}

/** Properties STIX has no place for (affected products, our sectors, the three-way answer) travel in this extension. */
export const KYOGIKAI_EXTENSION = stixId('extension-definition', 'extension:kyogikai');

export function kyogikaiExtension(): StixObject {
  return {
    type: 'extension-definition',
    spec_version: '2.1',
    id: KYOGIKAI_EXTENSION,
    created: '2026-04-01T00:00:00.000Z',
    modified: '2026-04-01T00:00:00.000Z',
    created_by_ref: COUNCIL_IDENTITY,
    name: 'kyogikai',
    description: 'Council information-sharing properties (サイバーセキュリティ協議会 情報共有基盤)',
    schema:
      'Property extension. On report: item ("advisory" | "report"), affected_products (string[]), sectors (string[], ' +
      'Japanese critical-infrastructure sectors), report_kind, certainty. On note: role ("threat" | "revision" | ' +
      '"feedback"). On sighting and feedback note: answer ("seen" | "not_seen" | "unknown"), advisory_version ' +
      '(integer), sightings ([{type, value, count, first_seen?, last_seen?}]).',
    version: '1.0.0',
    extension_types: ['property-extension'],
  };
}

const ext = (props: Record<string, unknown>) => ({ [KYOGIKAI_EXTENSION]: { extension_type: 'property-extension', ...props } });

function extensionOf(o: StixObject): Record<string, unknown> {
  const all = o.extensions;
  if (!all || typeof all !== 'object') return {};
  const mine = (all as Record<string, unknown>)[KYOGIKAI_EXTENSION];
  return mine && typeof mine === 'object' ? (mine as Record<string, unknown>) : {};
}

// ---------------------------------------------------------------------------------------------
// Domain → STIX
// ---------------------------------------------------------------------------------------------

/** STIX 2.1's High/Medium/Low scale (appendix "Confidence scales"). */
const confidenceScale: Record<Confidence, number> = { low: 15, medium: 50, high: 85 };

function confidenceOf(score: unknown): Confidence | undefined {
  if (typeof score !== 'number' || score < 1) return undefined;
  return score < 30 ? 'low' : score < 70 ? 'medium' : 'high';
}

function indicatorsAndVulnerabilities(scope: string, observables: readonly Observable[], common: Record<string, unknown>, validFrom: string): StixObject[] {
  return observables.map((o) =>
    o.type === 'cve'
      ? {
          type: 'vulnerability',
          ...common,
          id: stixId('vulnerability', `${scope}:vulnerability:${o.value}`),
          name: o.value,
          external_references: [{ source_name: 'cve', external_id: o.value }],
        }
      : {
          type: 'indicator',
          ...common,
          id: stixId('indicator', `${scope}:indicator:${o.type}:${o.value}`),
          name: o.value,
          pattern: patternOf(o),
          pattern_type: 'stix',
          pattern_version: '2.1',
          valid_from: validFrom,
        },
  );
}

export interface AdvisoryVersionFacts {
  advisoryId: string;
  /** When the item was written (the objects' `created`). */
  createdAt: string;
  /** When the version was written (the objects' `modified`). */
  versionAt: string;
  version: number;
  /** First release to the Type 1 group (the report's `published`). */
  publishedAt: string;
  tlp: Tlp;
  content: AdvisoryContent;
  note: string | null;
}

/** One version of countermeasure information as STIX objects, report first. */
export function advisoryObjects(a: AdvisoryVersionFacts): StixObject[] {
  const scope = `advisory:${a.advisoryId}`;
  const reportId = stixId('report', scope);
  const common = {
    spec_version: '2.1',
    created: a.createdAt,
    modified: a.versionAt,
    created_by_ref: COUNCIL_IDENTITY,
    object_marking_refs: [tlpMarkingIds[a.tlp]],
  };
  const c = a.content;
  const courseOfAction: StixObject = { type: 'course-of-action', ...common, id: stixId('course-of-action', `${scope}:course-of-action`), name: c.title, description: c.actions };
  const observed = indicatorsAndVulnerabilities(scope, c.indicators, common, a.createdAt);
  const notes: StixObject[] = [
    { type: 'note', ...common, id: stixId('note', `${scope}:note:threat`), abstract: '脅威 / Threat', content: c.threat, object_refs: [reportId], extensions: ext({ role: 'threat' }) },
  ];
  if (a.note) {
    notes.push({
      type: 'note',
      ...common,
      id: stixId('note', `${scope}:note:version:${a.version}`),
      abstract: `第${a.version}版の改訂 / Revision ${a.version}`,
      content: a.note,
      object_refs: [reportId],
      extensions: ext({ role: 'revision' }),
    });
  }
  const report: StixObject = {
    type: 'report',
    ...common,
    id: reportId,
    name: c.title,
    description: c.summary,
    report_types: ['threat-report'],
    published: a.publishedAt,
    confidence: confidenceScale[c.confidence],
    object_refs: [courseOfAction.id, ...observed.map((o) => o.id), ...notes.map((n) => n.id)],
    extensions: ext({ item: 'advisory', affected_products: c.affectedProducts, sectors: c.sectors }),
  };
  return [report, courseOfAction, ...observed, ...notes];
}

const reportTypes: Partial<Record<ReportRecord['kind'], string>> = { malware: 'malware', vulnerability: 'vulnerability' };

/** A report (情報提供) as STIX objects, report first. The provider is named only when it agreed. */
export function reportObjects(report: ReportRecord, observables: readonly Observable[]): StixObject[] {
  const scope = `report:${report.id}`;
  const creator = report.providerNamed ? orgIdentityId(report.orgId) : COUNCIL_IDENTITY;
  const common = {
    spec_version: '2.1',
    created: report.createdAt,
    modified: report.createdAt,
    created_by_ref: creator,
    object_marking_refs: [tlpMarkingIds[report.tlp]],
  };
  const observed = indicatorsAndVulnerabilities(scope, observables, common, report.createdAt);
  return [
    {
      type: 'report',
      ...common,
      id: stixId('report', scope),
      name: report.title,
      description: report.description,
      report_types: [reportTypes[report.kind] ?? 'threat-report'],
      published: report.createdAt,
      confidence: confidenceScale[report.confidence],
      // A report must name at least one object: with no observables, the one it comes from.
      object_refs: observed.length ? observed.map((o) => o.id) : [creator],
      extensions: ext({ item: 'report', report_kind: report.kind, certainty: report.certainty }),
    },
    ...observed,
  ];
}

export const advisoryReportId = (advisoryId: string): string => stixId('report', `advisory:${advisoryId}`);

const answerAbstract: Record<FeedbackAnswer, string> = {
  seen: '来ている / Seen',
  not_seen: '来ていない / Not seen',
  unknown: 'わからない / Don’t know',
};

/** Ids of the two objects an organisation's answer to one version can be. */
function feedbackObjectIds(advisoryId: string, version: number, orgId: string): { sighting: string; note: string } {
  const scope = `feedback:${advisoryId}:${version}:${orgId}`;
  return { sighting: stixId('sighting', scope), note: stixId('note', scope) };
}

/** An organisation's answer to one version: a sighting when seen, a note otherwise. */
export function feedbackObject(f: FeedbackRecord, tlp: Tlp): StixObject {
  const ids = feedbackObjectIds(f.advisoryId, f.version, f.orgId);
  const org = orgIdentityId(f.orgId);
  const common = {
    spec_version: '2.1',
    created: f.answeredAt,
    modified: f.updatedAt,
    created_by_ref: org,
    object_marking_refs: [tlpMarkingIds[tlp]],
  };
  const detail = f.sightings.map((s) => ({
    type: s.observable.type,
    value: s.observable.value,
    count: s.count,
    ...(s.firstSeen ? { first_seen: s.firstSeen } : {}),
    ...(s.lastSeen ? { last_seen: s.lastSeen } : {}),
  }));
  const extension = ext({ answer: f.answer, advisory_version: f.version, sightings: detail });
  if (f.answer !== 'seen') {
    return {
      type: 'note',
      ...common,
      id: ids.note,
      abstract: answerAbstract[f.answer],
      content: f.comment ?? answerAbstract[f.answer],
      object_refs: [advisoryReportId(f.advisoryId)],
      extensions: extension,
    };
  }
  const times = (pick: (s: Sighting) => string | undefined) =>
    f.sightings
      .map(pick)
      .filter((t): t is string => t !== undefined)
      .sort((x, y) => new Date(x).getTime() - new Date(y).getTime());
  const first = times((s) => s.firstSeen ?? s.lastSeen)[0];
  const last = times((s) => s.lastSeen ?? s.firstSeen).at(-1);
  return {
    type: 'sighting',
    ...common,
    id: ids.sighting,
    sighting_of_ref: advisoryReportId(f.advisoryId),
    where_sighted_refs: [org],
    count: Math.min(f.sightings.reduce((n, s) => n + s.count, 0) || 1, 999_999_999),
    ...(first ? { first_seen: new Date(first).toISOString() } : {}),
    ...(last ? { last_seen: new Date(last).toISOString() } : {}),
    ...(f.comment ? { description: f.comment } : {}),
    extensions: extension,
  };
}

/** The same object, marked revoked as of `at`: how STIX withdraws what it once said. */
export const revoked = (o: StixObject, at: string): StixObject => ({ ...o, modified: at, revoked: true });

// ---------------------------------------------------------------------------------------------
// STIX → domain
// ---------------------------------------------------------------------------------------------

const rank = (t: Tlp) => tlps.indexOf(t);

/** The most restrictive TLP marking on any of the objects (references or inline TLP 1.0 definitions). */
function tlpOfObjects(objects: readonly StixObject[]): Tlp | undefined {
  let found: Tlp | undefined;
  const consider = (t: Tlp | undefined) => {
    if (t && (found === undefined || rank(t) > rank(found))) found = t;
  };
  for (const o of objects) {
    const refs = Array.isArray(o.object_marking_refs) ? o.object_marking_refs : [];
    for (const ref of refs) if (typeof ref === 'string') consider(tlpOfMarking(ref));
  }
  return found;
}

/** The observables the objects carry: indicator patterns, vulnerabilities with a CVE, and plain observable objects. */
function observablesOfObjects(objects: readonly StixObject[]): Observable[] {
  const out: Observable[] = [];
  const seen = new Set<string>();
  const add = (o: Observable) => {
    const k = `${o.type}\u0000${o.value}`;
    if (!seen.has(k)) {
      seen.add(k);
      out.push(o);
    }
  };
  const scoTypes: Record<string, Observable['type']> = { 'ipv4-addr': 'ipv4', 'ipv6-addr': 'ipv6', 'domain-name': 'domain', url: 'url', 'email-addr': 'email' };
  for (const o of objects) {
    if (o.revoked === true) continue;
    if (o.type === 'indicator' && o.pattern_type === 'stix' && typeof o.pattern === 'string') {
      observablesOfPattern(parsePattern(o.pattern)).forEach(add);
    } else if (o.type === 'vulnerability') {
      const refs = Array.isArray(o.external_references) ? (o.external_references as Record<string, unknown>[]) : [];
      const candidates = [...refs.filter((r) => r.source_name === 'cve').map((r) => r.external_id), o.name];
      const cve = candidates.map((c) => (typeof c === 'string' ? normaliseAs('cve', c) : null)).find((c) => c !== null);
      if (cve) add({ type: 'cve', value: cve });
    } else if (o.type in scoTypes && typeof o.value === 'string') {
      const type = scoTypes[o.type] as Observable['type'];
      const value = normaliseAs(type, o.value);
      if (value !== null) add({ type, value });
    } else if (o.type === 'file' && o.hashes && typeof o.hashes === 'object') {
      for (const [name, hash] of Object.entries(o.hashes as Record<string, unknown>)) {
        const type = ({ md5: 'md5', sha1: 'sha1', sha256: 'sha256' } as const)[name.toLowerCase().replace(/-/g, '') as 'md5'];
        const value = type && typeof hash === 'string' ? normaliseAs(type, hash) : null;
        if (type && value !== null) add({ type, value });
      }
    }
  }
  return out;
}

/** Countermeasure-shaped content read from STIX objects: ours exactly, anyone else's as far as it maps. */
export interface StixContent {
  title: string | undefined;
  summary: string | undefined;
  threat: string | undefined;
  actions: string | undefined;
  affectedProducts: string[];
  sectors: string[];
  indicators: Observable[];
  confidence: Confidence | undefined;
  tlp: Tlp | undefined;
  /** Set when the report is one of ours (our extension names them). */
  reportKind: ReportKind | undefined;
  certainty: Certainty | undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

export function readStixContent(objects: readonly StixObject[]): StixContent {
  const live = objects.filter((o) => o.revoked !== true);
  const report = live.find((o) => o.type === 'report') ?? live.find((o) => o.type === 'grouping');
  const notes = live.filter((o) => o.type === 'note' && extensionOf(o).answer === undefined);
  const threatNotes = notes.filter((n) => extensionOf(n).role === 'threat');
  const otherNotes = notes.filter((n) => extensionOf(n).role === undefined);
  const joined = (list: (string | undefined)[]) => {
    const parts = list.filter((x): x is string => x !== undefined);
    return parts.length ? parts.join('\n\n') : undefined;
  };
  const extension = report ? extensionOf(report) : {};
  const known = new Set<string>(knownSectors);
  return {
    title: text(report?.name) ?? text(live.find((o) => o.type === 'indicator')?.name),
    summary: text(report?.description),
    threat: joined((threatNotes.length ? threatNotes : otherNotes).map((n) => text(n.content))),
    actions: joined(live.filter((o) => o.type === 'course-of-action').map((c) => text(c.description) ?? text(c.name))),
    affectedProducts: strings(extension.affected_products),
    sectors: strings(extension.sectors).filter((s) => known.has(s)),
    indicators: observablesOfObjects(live),
    confidence: confidenceOf(report?.confidence),
    tlp: tlpOfObjects(live),
    reportKind: reportKinds.find((k) => k === extension.report_kind),
    certainty: certainties.find((c) => c === extension.certainty),
  };
}

/** Three-way answers read back from feedback objects (ours: the extension carries them). */
export function feedbackOfObjects(objects: readonly StixObject[]): { answer: FeedbackAnswer; version: number; comment: string | null; sightings: Sighting[] }[] {
  const out: { answer: FeedbackAnswer; version: number; comment: string | null; sightings: Sighting[] }[] = [];
  for (const o of objects) {
    if (o.revoked === true || (o.type !== 'sighting' && o.type !== 'note')) continue;
    const e = extensionOf(o);
    const answer = e.answer;
    if (answer !== 'seen' && answer !== 'not_seen' && answer !== 'unknown') continue;
    const detail = Array.isArray(e.sightings) ? (e.sightings as Record<string, unknown>[]) : [];
    out.push({
      answer,
      version: typeof e.advisory_version === 'number' ? e.advisory_version : 0,
      comment: o.type === 'sighting' ? (text(o.description) ?? null) : o.content === answerAbstract[answer] ? null : (text(o.content) ?? null),
      sightings: detail.map((s) => ({
        observable: { type: s.type as Observable['type'], value: String(s.value) },
        count: typeof s.count === 'number' ? s.count : 1,
        ...(typeof s.first_seen === 'string' ? { firstSeen: s.first_seen } : {}),
        ...(typeof s.last_seen === 'string' ? { lastSeen: s.last_seen } : {}),
      })),
    });
  }
  return out;
}
