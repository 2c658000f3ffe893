/**
 * Keep the TAXII collections in step with the domain: the sharing use cases call these inside their own transaction
 * (release, revision, feedback, report), so an object is served exactly when the item it comes from may be read, and
 * never half-written. Each call is idempotent: what a collection already holds is skipped.
 */
import type { Deps } from '../context.js';
import { councilSettingsIn } from '../membership/settings.js';
import type { Repos } from '../ports.js';
import type { Observable, Stage, Tlp } from '../sharing/model.js';
import type { AdvisoryRecord, FeedbackRecord, ReportRecord, VersionRecord } from '../sharing/ports.js';
import { audienceCollectionId, collectionsReached } from './collections.js';
import type { StixEntry, StixSource } from './ports.js';
import {
  advisoryObjects,
  councilIdentity,
  feedbackObject,
  kyogikaiExtension,
  orgIdentity,
  parseTimestamp,
  reportObjects,
  revoked,
  tlpMarking,
  type StixObject,
} from './stix-objects.js';
import { versionOf } from './stix-validate.js';

interface Facts {
  source: StixSource;
  itemId: string | null;
  stage: Stage;
  tlp: Tlp;
  orgId: string | null;
}

/** One object as stored in one collection, with the policy facts of the item it came from. */
export function stixEntry(collection: string, o: StixObject, facts: Facts): StixEntry {
  const version = versionOf(o);
  return {
    collection,
    stixId: o.id,
    type: o.type,
    specVersion: typeof o.spec_version === 'string' ? o.spec_version : '2.1',
    version,
    versionUs: version === null ? null : parseTimestamp(version),
    ...facts,
    body: JSON.stringify(o),
  };
}

export const nowMicros = (deps: Deps): number => deps.now().getTime() * 1000;

/**
 * A STIX version must be later than the one before it. Two versions written within the same millisecond would
 * otherwise share a `modified`, and the later would be taken for a repeat of the earlier.
 */
function after(at: string, previous: string): string {
  const t = Math.max(new Date(at).getTime(), new Date(previous).getTime() + 1);
  return new Date(t).toISOString();
}

/** Objects every collection needs once: the council's identity, our extension definition, the TLP markings used. */
async function sharedEntries(r: Repos, collection: string, used: readonly Tlp[]): Promise<StixEntry[]> {
  const secretariat = await r.organizations.secretariat();
  const names = (await councilSettingsIn(r)).councilName;
  const facts: Facts = { source: 'shared', itemId: null, stage: 'public', tlp: 'clear', orgId: null };
  const objects = [councilIdentity(names, secretariat?.createdAt ?? '2026-04-01T00:00:00.000Z'), kyogikaiExtension(), ...[...new Set(used)].map(tlpMarking)];
  return objects.map((o) => stixEntry(collection, o, facts));
}

/** An organisation's identity, for the Type 1 group's collection only (it names who answered or who provided). */
async function orgIdentityEntry(r: Repos, collection: string, orgId: string): Promise<StixEntry[]> {
  const org = await r.organizations.byId(orgId);
  return org ? [stixEntry(collection, orgIdentity(org), { source: 'shared', itemId: null, stage: 'type1', tlp: 'clear', orgId })] : [];
}

/**
 * Countermeasure information after a release or a revision: its current version into every audience collection it
 * has reached, objects the previous version had and this one dropped revoked where they were served, and the policy
 * facts of all its objects brought up to date (its stage, its TLP).
 */
export async function publishAdvisory(r: Repos, deps: Deps, advisoryId: string): Promise<void> {
  const a = await r.sharing.advisories.byId(advisoryId);
  if (!a || a.stage === 'draft') return;
  const versions = await r.sharing.versions.list(advisoryId);
  const current = versions.find((v) => v.version === a.version);
  if (!current) return;
  const previous = versions.find((v) => v.version === a.version - 1);
  // Each version's `modified`: its time, and strictly after the version before it.
  const versionAt = new Map<number, string>();
  let latest: string | undefined;
  for (const v of versions) {
    latest = latest === undefined ? v.createdAt : after(v.createdAt, latest);
    versionAt.set(v.version, latest);
  }
  const firstRelease = (await r.sharing.releases.list(advisoryId)).find((x) => x.toStage === 'type1');
  const publishedAt = firstRelease?.createdAt ?? a.releasedAt ?? a.updatedAt;
  const objectsOf = (v: VersionRecord) =>
    advisoryObjects({
      advisoryId,
      createdAt: a.createdAt,
      versionAt: versionAt.get(v.version) ?? v.createdAt,
      version: v.version,
      publishedAt,
      tlp: a.tlp,
      content: v.content,
      note: v.note,
    });
  const objects = objectsOf(current);
  const ids = new Set(objects.map((o) => o.id));
  const dropped = previous ? objectsOf(previous).filter((o) => !ids.has(o.id)) : [];
  const facts: Facts = { source: 'advisory', itemId: a.id, stage: a.stage, tlp: a.tlp, orgId: a.orgId };

  const entries: StixEntry[] = [];
  for (const audience of collectionsReached(a.stage)) {
    const collection = audienceCollectionId(audience);
    entries.push(...(await sharedEntries(r, collection, [a.tlp])));
    entries.push(...objects.map((o) => stixEntry(collection, o, facts)));
    const held = await r.interop.stix.present(collection, dropped.map((o) => o.id));
    const at = versionAt.get(current.version) ?? current.createdAt;
    entries.push(...dropped.filter((o) => held.has(o.id)).map((o) => stixEntry(collection, revoked(o, at), facts)));
  }
  await r.interop.stix.add(entries, nowMicros(deps));
  await r.interop.stix.setFacts(a.id, { stage: a.stage, tlp: a.tlp }, ['advisory']);
  await r.interop.stix.setFacts(a.id, { stage: feedbackStage(a), tlp: a.tlp }, ['feedback']);
}

/** Feedback is read in the Type 1 group's collection, but never more widely than its item: a draft's stays a draft's. */
const feedbackStage = (a: AdvisoryRecord): Stage => (a.stage === 'draft' ? 'draft' : 'type1');

/**
 * An organisation's answer to the current version, for the Type 1 group's collection (those who see the tally). A
 * changed answer is a new version of its object; one that changed between seen and not seen / don't know revokes the
 * object of the old answer.
 */
export async function publishFeedback(r: Repos, deps: Deps, a: AdvisoryRecord, orgId: string, before: FeedbackRecord | undefined): Promise<void> {
  const f = await r.sharing.feedback.get(a.id, a.version, orgId);
  if (!f) return;
  const collection = audienceCollectionId('type1');
  const facts: Facts = { source: 'feedback', itemId: a.id, stage: feedbackStage(a), tlp: a.tlp, orgId: a.orgId };
  const modified = before ? after(f.updatedAt, before.updatedAt) : f.updatedAt;
  const object = { ...feedbackObject(f, a.tlp), modified };
  const entries = [...(await sharedEntries(r, collection, [a.tlp])), ...(await orgIdentityEntry(r, collection, orgId)), stixEntry(collection, object, facts)];
  const old = before && feedbackObject(before, a.tlp);
  if (old && old.id !== object.id) entries.push(stixEntry(collection, revoked(old, modified), facts));
  await r.interop.stix.add(entries, nowMicros(deps));
}

/** A new report, for the Type 1 group's collection (its analysis queue); the provider named only when it agreed. */
export async function publishReport(r: Repos, deps: Deps, report: ReportRecord, observables: readonly Observable[]): Promise<void> {
  const collection = audienceCollectionId('type1');
  const facts: Facts = { source: 'report', itemId: report.id, stage: report.stage, tlp: report.tlp, orgId: report.orgId };
  const entries = [
    ...(await sharedEntries(r, collection, [report.tlp])),
    ...(report.providerNamed ? await orgIdentityEntry(r, collection, report.orgId) : []),
    ...reportObjects(report, observables).map((o) => stixEntry(collection, o, facts)),
  ];
  await r.interop.stix.add(entries, nowMicros(deps));
}
