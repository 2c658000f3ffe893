/**
 * STIX 2.1: patterns, the validator, the mapping both ways (domain → STIX → domain), and the objects the sharing use
 * cases publish to the TAXII collections, on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { system, type UserActor } from '../actor.js';
import type { Deps } from '../context.js';
import { bootstrap } from '../usecases/bootstrap.js';
import { council, type Council } from '../../test/council.js';
import { createTestStore, dialects, testDeps, type TestClock, type TestStore } from '../../test/stores.js';
import { createAdvisory, releaseAdvisory, reviseAdvisory } from '../sharing/advisories.js';
import { submitFeedback } from '../sharing/feedback.js';
import { AdvisoryContent, AdvisoryCreate, AdvisoryRevise, ReleaseInput, ReportCreate, type Observable, type Stage } from '../sharing/model.js';
import type { FeedbackRecord, ReportRecord } from '../sharing/ports.js';
import { createReport } from '../sharing/reports.js';
import { audienceCollectionId, inboxCollectionId, type Audience } from './collections.js';
import { exportStixBundle, importStixBundle, reportInputOf, type StixObject } from './stix.js';
import {
  advisoryObjects,
  COUNCIL_IDENTITY,
  feedbackObject,
  feedbackOfObjects,
  formatMicros,
  parseTimestamp,
  readStixContent,
  reportObjects,
  tlpMarking,
  tlpMarkingIds,
} from './stix-objects.js';
import { observablesOfPattern, parsePattern, PatternError, patternOf } from './stix-pattern.js';
import { validateStixObject } from './stix-validate.js';

const meta = { ip: null };
const HOUR = 3_600_000;

const uuid = (n: number) => `${String(n).padStart(8, '0')}-1111-4111-8111-111111111111`;
const sdo = (type: string, n: number, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  type,
  spec_version: '2.1',
  id: `${type}--${uuid(n)}`,
  created: '2026-03-01T00:00:00.000Z',
  modified: '2026-03-01T00:00:00.000Z',
  ...extra,
});

describe('STIX patterns', () => {
  it.each([
    "[ipv4-addr:value = '198.51.100.1']",
    "[file:hashes.'SHA-256' = 'aa' OR file:hashes.MD5 = 'bb'] AND [domain-name:value = 'example.com']",
    "([url:value = 'http://x.example/'] FOLLOWEDBY [email-addr:value = 'a@b.example']) WITHIN 600 SECONDS",
    "[network-traffic:dst_ref.value ISSUBSET '198.51.100.0/24' AND network-traffic:dst_port NOT IN (80, 443)] REPEATS 5 TIMES",
    "[file:name MATCHES '^evil.*\\\\.exe$'] START t'2026-01-01T00:00:00Z' STOP t'2026-02-01T00:00:00.5Z'",
    "[x509-certificate:hashes.'SHA-1' = 'cc' AND EXISTS windows-registry-key:values[*].name]",
    "[process:pid > 4 AND process:created_time <= t'2026-01-01T00:00:00Z' AND artifact:payload_bin = b'aGVsbG8=' AND file:magic_number_hex = h'ffd8']",
    "[domain-name:value LIKE '%.example' AND email-message:is_multipart = true]",
  ])('parses %s', (pattern) => {
    expect(() => parsePattern(pattern)).not.toThrow();
  });

  it.each([
    ["ipv4-addr:value = '1.2.3.4'", 1],
    ["[ipv4-addr:value = '1.2.3.4'", 29],
    ["[ipv4-addr:value = 1.2.3.4]", 23],
    ["[ipv4-addr:value == '1.2.3.4']", 19],
    ["[ipv4-addr:value = 'it\\'s' AND]", 31],
    ["[file:hashes.MD5 = h'abc']", 20],
    ["[x:y = t'2026-13-01T00:00:00Z']", 8],
    ["[ipv4-addr:value = '1'] WITHIN -5 SECONDS", 32],
    ["[a:b = 'x'] REPEATS 0 TIMES", 21],
    ["[a:b IN ('x' 'y')]", 14],
    ["[a:b = 01]", 8],
    ["[a-b:c-d = 'x']", 6],
  ])('rejects %s at position %i', (pattern, position) => {
    let error: unknown;
    try {
      parsePattern(pattern);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(PatternError);
    expect((error as PatternError).position).toBe(position);
  });

  it('reads observables from = and IN comparisons only, normalised, and writes patterns that read back the same', () => {
    const comparisons = parsePattern(
      "[ipv4-addr:value = '198.51.100.7' OR ipv4-addr:value IN ('198.51.100.8', '198.51.100.0/24')] AND " +
        "[file:hashes.'sha-256' = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' AND file:hashes.'SHA-1' != '0000000000000000000000000000000000000000'] " +
        "AND [domain-name:value LIKE '%.evil.example' AND url:value = 'HTTP://Evil.example/a b' AND email-message:from_ref.value = 'ceo@Evil.example']",
    );
    expect(observablesOfPattern(comparisons)).toEqual([
      { type: 'ipv4', value: '198.51.100.7' },
      { type: 'ipv4', value: '198.51.100.8' },
      { type: 'sha256', value: 'a'.repeat(64) },
      { type: 'url', value: 'http://evil.example/a%20b' },
      { type: 'email', value: 'ceo@evil.example' },
    ]);
    const all: Observable[] = [
      { type: 'ipv4', value: '203.0.113.5' },
      { type: 'ipv6', value: '2001:db8::1' },
      { type: 'domain', value: 'evil.example' },
      { type: 'url', value: "https://evil.example/it's" },
      { type: 'email', value: 'o\'brien@evil.example' },
      { type: 'md5', value: 'b'.repeat(32) },
      { type: 'sha1', value: 'c'.repeat(40) },
      { type: 'sha256', value: 'd'.repeat(64) },
    ];
    for (const o of all) expect(observablesOfPattern(parsePattern(patternOf(o)))).toEqual([o]);
    expect(parsePattern("[url:value = 'it\\'s \\\\ here']")[0]?.values).toEqual([{ kind: 'string', value: "it's \\ here" }]);
    expect(patternOf({ type: 'sha256', value: 'd'.repeat(64) })).toBe(`[file:hashes.'SHA-256' = '${'d'.repeat(64)}']`);
  });
});

describe('timestamps', () => {
  it('reads RFC 3339 to the microsecond and writes microseconds', () => {
    expect(parseTimestamp('2026-04-01T00:00:00Z')).toBe(Date.UTC(2026, 3, 1) * 1000);
    expect(parseTimestamp('2026-04-01T00:00:00.123456789Z')).toBe(Date.UTC(2026, 3, 1) * 1000 + 123456);
    expect(parseTimestamp('2026-04-01T09:00:00+09:00', false)).toBe(Date.UTC(2026, 3, 1) * 1000);
    expect(parseTimestamp('2026-04-01T09:00:00+09:00')).toBeNull();
    expect(parseTimestamp('2026-02-30T00:00:00Z')).toBeNull();
    expect(parseTimestamp('yesterday')).toBeNull();
    expect(formatMicros(Date.UTC(2026, 3, 1) * 1000 + 7)).toBe('2026-04-01T00:00:00.000007Z');
  });
});

describe('the STIX 2.1 validator', () => {
  const valid: Record<string, unknown>[] = [
    sdo('indicator', 1, { pattern: "[ipv4-addr:value = '198.51.100.1']", pattern_type: 'stix', valid_from: '2026-03-01T00:00:00Z' }),
    sdo('indicator', 2, { pattern: 'rule x { condition: true }', pattern_type: 'yara', valid_from: '2026-03-01T00:00:00Z' }),
    sdo('report', 3, { name: 'r', published: '2026-03-01T00:00:00Z', object_refs: [`indicator--${uuid(1)}`] }),
    sdo('malware', 4, { is_family: false }),
    sdo('sighting', 5, { sighting_of_ref: `indicator--${uuid(1)}`, count: 0 }),
    sdo('x-custom-thing', 6, { anything: [1, 2] }),
    { type: 'ipv4-addr', id: `ipv4-addr--${uuid(7)}`, value: '198.51.100.9' },
    { ...tlpMarking('amber') },
    sdo('relationship', 8, { relationship_type: 'indicates', source_ref: `indicator--${uuid(1)}`, target_ref: `malware--${uuid(4)}` }),
  ];
  it.each(valid.map((o) => [o.type, o]))('accepts a valid %s', (_type, o) => {
    expect(validateStixObject(o)).toMatchObject({ ok: true });
  });

  it.each([
    ['not an object', 'a string', 'stix_not_object', {}],
    ['no type', { id: 'x' }, 'stix_missing_property', { property: 'type' }],
    ['a bad type', { type: 'Indicator' }, 'stix_invalid_type', {}],
    ['a nested bundle', { type: 'bundle', id: `bundle--${uuid(1)}`, objects: [] }, 'stix_nested_bundle', {}],
    ['STIX 2.0', sdo('indicator', 1, { spec_version: '2.0' }), 'stix_unsupported_spec_version', { version: '2.0' }],
    ['an id of another type', sdo('indicator', 1, { id: `malware--${uuid(1)}` }), 'stix_invalid_id', { type: 'indicator' }],
    ['an id that is no UUID', sdo('indicator', 1, { id: 'indicator--1234' }), 'stix_invalid_id', { type: 'indicator' }],
    ['no pattern', sdo('indicator', 1, { pattern_type: 'stix', valid_from: '2026-03-01T00:00:00Z' }), 'stix_missing_property', { property: 'pattern' }],
    ['a local-time timestamp', sdo('note', 1, { created: '2026-03-01T09:00:00+09:00', content: 'x', object_refs: [`report--${uuid(1)}`] }), 'stix_invalid_property', { property: 'created' }],
    ['modified before created', sdo('note', 1, { modified: '2026-02-01T00:00:00Z', content: 'x', object_refs: [`report--${uuid(1)}`] }), 'stix_time_order', { earlier: 'created', later: 'modified' }],
    ['an empty object_refs', sdo('report', 1, { name: 'r', published: '2026-03-01T00:00:00Z', object_refs: [] }), 'stix_invalid_property', { property: 'object_refs' }],
    ['a bad pattern', sdo('indicator', 1, { pattern: "[ipv4-addr:value = '1'", pattern_type: 'stix', valid_from: '2026-03-01T00:00:00Z' }), 'stix_invalid_pattern', { position: 23 }],
    ['a malware family without a name', sdo('malware', 1, { is_family: true }), 'stix_missing_property', { property: 'name' }],
    ['a count out of range', sdo('sighting', 1, { sighting_of_ref: `indicator--${uuid(1)}`, count: -1 }), 'stix_invalid_property', { property: 'count' }],
    ['a marking reference that is not a marking', sdo('identity', 1, { name: 'x', object_marking_refs: [`identity--${uuid(2)}`] }), 'stix_invalid_property', { property: 'object_marking_refs.0' }],
    ['an SCO without its value', { type: 'domain-name', id: `domain-name--${uuid(1)}` }, 'stix_missing_property', { property: 'value' }],
    ['a custom object without created', { type: 'x-thing', spec_version: '2.1', id: `x-thing--${uuid(1)}`, modified: '2026-03-01T00:00:00Z' }, 'stix_missing_property', { property: 'created' }],
  ])('rejects %s with its reason', (_what, o, code, params) => {
    expect(validateStixObject(o)).toEqual({ ok: false, reason: { code, params } });
  });
});

const content: AdvisoryContent = AdvisoryContent.parse({
  title: 'VPN装置の脆弱性を悪用した侵入について',
  summary: '複数の重要インフラ事業者で VPN 装置の脆弱性を悪用した侵入が確認されています。',
  threat: '攻撃者は認証回避の脆弱性を悪用して管理画面に侵入します。',
  actions: '修正版へ更新してください。',
  affectedProducts: ['VPN装置 Xシリーズ 9.1 以前'],
  sectors: ['electricity', 'finance'],
  indicators: [
    { type: 'ipv4', value: '203.0.113.5' },
    { type: 'domain', value: 'update-check.example' },
    { type: 'sha256', value: 'e'.repeat(64) },
    { type: 'cve', value: 'CVE-2026-12345' },
  ],
  confidence: 'high',
});

describe('domain → STIX → domain', () => {
  const facts = {
    advisoryId: '01960000-0000-7000-8000-000000000001',
    createdAt: '2026-04-01T00:00:00.000Z',
    versionAt: '2026-04-02T00:00:00.000Z',
    version: 2,
    publishedAt: '2026-04-01T01:00:00.000Z',
    tlp: 'amber' as const,
    content,
    note: '指標を追加',
  };

  it('countermeasure information reads back as it was, the council as its creator, TLP 2.0 marked', () => {
    const objects = advisoryObjects(facts);
    expect(objects.map((o) => o.type)).toEqual(['report', 'course-of-action', 'indicator', 'indicator', 'indicator', 'vulnerability', 'note', 'note']);
    for (const o of objects) {
      expect(validateStixObject(o)).toMatchObject({ ok: true });
      expect(o.created_by_ref).toBe(COUNCIL_IDENTITY);
      expect(o.object_marking_refs).toEqual(['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421']);
      expect(o.modified).toBe(facts.versionAt);
    }
    const report = objects[0] as StixObject;
    expect(report.object_refs).toEqual(objects.slice(1).map((o) => o.id));
    const back = readStixContent(objects);
    expect(back).toMatchObject({ ...content, tlp: 'amber' });
    // Same version, same objects (ids included); another version, the same ids in a new version.
    expect(advisoryObjects(facts)).toEqual(objects);
    const next = advisoryObjects({ ...facts, versionAt: '2026-04-03T00:00:00.000Z', version: 3, note: null });
    expect(next.map((o) => o.id)).toEqual(objects.slice(0, 7).map((o) => o.id));
  });

  it('a report keeps its provider anonymous unless it agreed, and imports back into a report', () => {
    const record: ReportRecord = {
      id: '01960000-0000-7000-8000-000000000002',
      orgId: '01960000-0000-7000-8000-0000000000aa',
      userId: '01960000-0000-7000-8000-0000000000bb',
      stage: 'type1',
      tlp: 'green',
      kind: 'phishing',
      certainty: 'likely',
      confidence: 'low',
      isConsultation: false,
      isOriginal: false,
      providerNamed: false,
      title: '請求書を装うメール',
      description: '複数の職員に届いた。',
      attackSource: null,
      technique: null,
      objective: null,
      status: 'open',
      createdAt: '2026-04-01T00:00:00.000Z',
      updatedAt: '2026-04-01T00:00:00.000Z',
    };
    const observables: Observable[] = [{ type: 'email', value: 'billing@evil.example' }];
    const anonymous = reportObjects(record, observables);
    expect(anonymous.every((o) => o.created_by_ref === COUNCIL_IDENTITY)).toBe(true);
    expect(JSON.stringify(anonymous)).not.toContain(record.orgId);
    const named = reportObjects({ ...record, providerNamed: true }, observables);
    expect(named[0]?.created_by_ref).not.toBe(COUNCIL_IDENTITY);
    expect(reportInputOf(anonymous, 'ja')).toMatchObject({
      title: record.title,
      description: record.description,
      kind: 'phishing',
      certainty: 'likely',
      confidence: 'low',
      tlp: 'green',
      observables,
      providerNamed: false,
    });
    // A report without observables still names an object.
    expect(reportObjects(record, [])[0]?.object_refs).toEqual([COUNCIL_IDENTITY]);
  });

  it('three-way feedback: seen is a sighting with its counts, not seen and don’t know are notes; all read back', () => {
    const base: FeedbackRecord = {
      id: 'f',
      advisoryId: facts.advisoryId,
      version: 2,
      orgId: '01960000-0000-7000-8000-0000000000cc',
      userId: 'u',
      answer: 'seen',
      comment: '社内で 3 台から通信を確認',
      sightings: [
        { observable: { type: 'ipv4', value: '203.0.113.5' }, count: 3, firstSeen: '2026-04-02T01:00:00.000Z', lastSeen: '2026-04-02T05:00:00.000Z' },
        { observable: { type: 'domain', value: 'update-check.example' }, count: 2, firstSeen: '2026-04-01T23:00:00.000Z' },
      ],
      late: false,
      answeredAt: '2026-04-02T06:00:00.000Z',
      updatedAt: '2026-04-02T06:00:00.000Z',
    };
    const seen = feedbackObject(base, 'amber');
    expect(seen).toMatchObject({
      type: 'sighting',
      sighting_of_ref: (advisoryObjects(facts)[0] as StixObject).id,
      count: 5,
      first_seen: '2026-04-01T23:00:00.000Z',
      last_seen: '2026-04-02T05:00:00.000Z',
    });
    const notSeen = feedbackObject({ ...base, answer: 'not_seen', comment: null, sightings: [] }, 'amber');
    const unknown = feedbackObject({ ...base, answer: 'unknown', sightings: [] }, 'amber');
    expect([notSeen.type, unknown.type]).toEqual(['note', 'note']);
    for (const o of [seen, notSeen, unknown]) expect(validateStixObject(o)).toMatchObject({ ok: true });
    expect(feedbackOfObjects([seen, notSeen, unknown])).toEqual([
      { answer: 'seen', version: 2, comment: base.comment, sightings: base.sightings },
      { answer: 'not_seen', version: 2, comment: null, sightings: [] },
      { answer: 'unknown', version: 2, comment: base.comment, sightings: [] },
    ]);
  });
});

describe.each(dialects)('STIX objects kept with the domain on %s', (dialect) => {
  let db: TestStore;
  let deps: Deps & { clock: TestClock };
  let c: Council;
  const as: Record<string, UserActor> = {};

  beforeAll(async () => {
    db = await createTestStore(dialect);
    deps = testDeps(db.store);
    await bootstrap(deps, 'correct horse battery staple');
    c = await council(deps);
    for (const [k, p] of Object.entries(c)) as[k] = await p.actor();
  });
  afterAll(() => db.cleanup());

  const stored = async (audience: Audience | string, versions: 'all' | 'last' = 'all'): Promise<StixObject[]> => {
    const collection = audience.includes('-') ? audience : audienceCollectionId(audience as Audience);
    const rows = await db.store.read.interop.stix.bodies({
      collection,
      filter: [{}],
      userId: undefined,
      versions: { all: versions === 'all', first: false, last: versions === 'last', at: [] },
      limit: 10_000,
    });
    return rows.map((r) => JSON.parse(r.body) as StixObject);
  };
  const ofItem = (objects: StixObject[], type: string) => objects.filter((o) => o.type === type);

  async function advisory(over: Record<string, unknown> = {}) {
    deps.clock.advance(HOUR);
    return createAdvisory(deps, as.type1 as UserActor, AdvisoryCreate.parse({ ...content, tlp: 'amber', ...over }), meta);
  }
  async function release(id: string, to: Stage) {
    deps.clock.advance(HOUR);
    await releaseAdvisory(deps, as.type1 as UserActor, id, ReleaseInput.parse({ to }), meta);
  }

  it('a draft is in no collection; each release adds the current version to the audience reached, each revision a new version everywhere it is', async () => {
    const a = await advisory();
    const reportId = (advisoryObjects({ advisoryId: a.id, createdAt: a.createdAt, versionAt: a.createdAt, version: 1, publishedAt: a.createdAt, tlp: 'amber', content, note: null })[0] as StixObject).id;
    const mine = (objects: StixObject[]) => objects.filter((o) => o.id === reportId);
    expect(mine(await stored('type1'))).toEqual([]);

    await release(a.id, 'type1');
    expect(mine(await stored('type1'))).toHaveLength(1);
    expect(mine(await stored('type2'))).toEqual([]);
    await release(a.id, 'type2');
    const t1 = mine(await stored('type1'));
    expect(mine(await stored('type2'))).toEqual(t1);
    // The council's identity and the TLP marking come with it.
    expect((await stored('type2')).map((o) => o.id)).toEqual(expect.arrayContaining([COUNCIL_IDENTITY, tlpMarkingIds.amber]));

    deps.clock.advance(HOUR);
    const revised = AdvisoryRevise.parse({ ...content, indicators: content.indicators.filter((o) => o.type !== 'domain'), note: '誤検知のためドメインを削除' });
    await reviseAdvisory(deps, as.type1 as UserActor, a.id, revised, meta);
    for (const audience of ['type1', 'type2'] as const) {
      const versions = mine(await stored(audience));
      expect(versions.map((o) => o.modified)).toHaveLength(2);
      expect(new Date(versions[1]?.modified as string) > new Date(versions[0]?.modified as string)).toBe(true);
      const latest = await stored(audience, 'last');
      const dropped = latest.find((o) => o.type === 'indicator' && o.name === 'update-check.example');
      expect(dropped?.revoked).toBe(true);
    }
    expect(mine(await stored('members'))).toEqual([]);
  });

  it('feedback is published to the Type 1 group only; a changed answer revokes the old object', async () => {
    const a = await advisory({ tlp: 'green' });
    await release(a.id, 'type1');
    await release(a.id, 'type2');
    await submitFeedback(deps, as.type2 as UserActor, a.id, { answer: 'seen', comment: '観測あり', sightings: [] }, meta);
    let feedback = feedbackOfObjects(await stored('type1', 'last'));
    expect(feedback).toContainEqual({ answer: 'seen', version: 1, comment: '観測あり', sightings: [] });
    // Same clock: the new answer still comes out as a later version.
    await submitFeedback(deps, as.type2 as UserActor, a.id, { answer: 'not_seen', sightings: [] }, meta);
    const latest = await stored('type1', 'last');
    feedback = feedbackOfObjects(latest);
    expect(feedback.filter((f) => f.comment === '観測あり')).toEqual([]);
    expect(ofItem(latest, 'sighting').some((s) => s.revoked === true)).toBe(true);
    expect(ofItem(await stored('type2'), 'sighting')).toEqual([]);
    expect(ofItem(await stored('type2'), 'note').some((n) => (n.abstract as string).includes('Not seen'))).toBe(false);
  });

  it('a report goes to the Type 1 group collection, anonymous unless the provider agreed', async () => {
    const input = ReportCreate.parse({
      title: '深夜の不審な通信',
      description: '外部への大量通信',
      kind: 'suspicious_activity',
      certainty: 'unease',
      observables: [{ type: 'ipv4', value: '198.51.100.44' }],
    });
    deps.clock.advance(HOUR);
    await createReport(deps, as.general as UserActor, input, meta);
    deps.clock.advance(HOUR);
    await createReport(deps, as.general as UserActor, { ...input, title: '名乗る提供', providerNamed: true }, meta);
    const reports = ofItem(await stored('type1'), 'report');
    const anonymous = reports.find((r) => r.name === input.title);
    const named = reports.find((r) => r.name === '名乗る提供');
    expect(anonymous?.created_by_ref).toBe(COUNCIL_IDENTITY);
    expect(named?.created_by_ref).not.toBe(COUNCIL_IDENTITY);
    expect((await stored('type1')).some((o) => o.id === named?.created_by_ref && o.type === 'identity')).toBe(true);
    expect(reports.filter((r) => r.name === input.title)).toHaveLength(1);
  });

  it('imports a bundle into one report in the Type 1 queue, rejecting invalid objects with their reason', async () => {
    const bundle = {
      type: 'bundle',
      id: `bundle--${uuid(90)}`,
      objects: [
        sdo('indicator', 91, { name: 'C2', pattern: "[ipv4-addr:value = '192.0.2.77'] OR [domain-name:value = 'C2.Example']", pattern_type: 'stix', valid_from: '2026-03-01T00:00:00Z', object_marking_refs: [tlpMarkingIds['amber+strict']] }),
        sdo('indicator', 92, { pattern: "[ipv4-addr:value = '192.0.2.78'", pattern_type: 'stix', valid_from: '2026-03-01T00:00:00Z' }),
        sdo('vulnerability', 93, { name: 'Log4Shell', external_references: [{ source_name: 'cve', external_id: 'cve-2021-44228' }] }),
        sdo('report', 94, { name: 'C2 基盤の観測', description: '当社で観測', published: '2026-03-01T00:00:00Z', object_refs: [`indicator--${uuid(91)}`] }),
        { type: 'indicator', id: 'nonsense' },
        sdo('indicator', 91, { name: 'C2', pattern: "[ipv4-addr:value = '192.0.2.77']", pattern_type: 'stix', valid_from: '2026-03-01T00:00:00Z' }),
      ],
    };
    const enActor = { ...(as.general as UserActor), locale: 'en' as const };
    const result = await importStixBundle(deps, enActor, bundle, meta);
    expect(result.imported).toBe(3);
    expect(result.rejected).toEqual([
      { id: `indicator--${uuid(92)}`, index: 1, reason: 'The STIX pattern has a syntax error near character 32.' },
      { id: 'nonsense', index: 4, reason: 'id must have the form "indicator--UUID".' },
      { id: `indicator--${uuid(91)}`, index: 5, reason: 'An object with the same id and version is already present.' },
    ]);
    const report = await db.store.read.sharing.reports.byId(result.reportId as string);
    expect(report).toMatchObject({ stage: 'type1', title: 'C2 基盤の観測', description: '当社で観測', tlp: 'amber+strict', providerNamed: false, orgId: c.general.org.id });
    expect(await db.store.read.sharing.observables.forItem(result.reportId as string)).toEqual([
      { type: 'ipv4', value: '192.0.2.77' },
      { type: 'domain', value: 'c2.example' },
      { type: 'cve', value: 'CVE-2021-44228' },
    ]);
    const audit = await db.store.read.audit.list({ action: 'stix.import', limit: 5 });
    expect(audit[0]?.detail).toMatchObject({ objects: 3, rejected: 3 });

    expect(await importStixBundle(deps, enActor, { type: 'bundle', objects: [{ type: 'x' }] }, meta)).toMatchObject({ reportId: null, imported: 0 });
    await expect(importStixBundle(deps, enActor, { type: 'bundle' }, meta)).rejects.toMatchObject({ code: 'stix_bundle_invalid', status: 400 });
    // Not every member may send reports.
    await expect(importStixBundle(deps, { ...(as.general as UserActor), role: 'viewer' }, bundle, meta)).rejects.toMatchObject({ status: 403 });
  });

  it('round trip through the store: released countermeasure information, exported and imported, is a report with the same content', async () => {
    const a = await advisory({ title: '往復の確認', tlp: 'green' });
    await release(a.id, 'type1');
    const scope = new Set(advisoryObjects({ advisoryId: a.id, createdAt: a.createdAt, versionAt: a.createdAt, version: 1, publishedAt: a.createdAt, tlp: 'green', content, note: null }).map((o) => o.id));
    const objects: StixObject[] = [];
    for await (const o of exportStixBundle(deps, as.type1 as UserActor, { audience: 'type1' })) if (scope.has(o.id) || o.type === 'marking-definition') objects.push(o);
    expect(readStixContent(objects)).toMatchObject({ ...content, title: '往復の確認', tlp: 'green' });
    const result = await importStixBundle(deps, as.designated as UserActor, { type: 'bundle', id: `bundle--${uuid(80)}`, objects }, meta);
    expect(result.rejected).toEqual([]);
    const report = await db.store.read.sharing.reports.byId(result.reportId as string);
    expect(report).toMatchObject({ title: '往復の確認', tlp: 'green', confidence: 'high' });
    expect(report?.description).toContain(content.summary);
    expect(report?.description).toContain(content.threat);
    expect(report?.description).toContain(content.actions);
    expect(await db.store.read.sharing.observables.forItem(result.reportId as string)).toEqual(content.indicators);
  });

  it('exports what the actor may read at an audience, never TLP:RED or drafts, latest versions only', async () => {
    const red = await advisory({ tlp: 'red', recipientUserIds: [c.type2.userId], title: '限定の注意喚起' });
    await release(red.id, 'type1');
    await release(red.id, 'type2');
    const draft = await advisory({ title: '下書きの注意喚起' });
    const members = await advisory({ title: '全構成員向けの注意喚起', tlp: 'green' });
    for (const to of ['type1', 'type2', 'members'] as const) await release(members.id, to);

    const exported = async (actor: UserActor | ReturnType<typeof system>, audience: Stage) => {
      const out: StixObject[] = [];
      for await (const o of exportStixBundle(deps, actor, { audience })) out.push(o);
      return out;
    };
    const names = (objects: StixObject[]) => ofItem(objects, 'report').map((o) => o.name);
    const forType2 = await exported(as.type2 as UserActor, 'type2');
    expect(names(forType2)).toContain('全構成員向けの注意喚起');
    expect(names(forType2)).not.toContain('限定の注意喚起');
    expect(names(forType2)).not.toContain(draft.title);
    const ids = forType2.map((o) => o.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(names(await exported(as.general as UserActor, 'members'))).toContain('全構成員向けの注意喚起');
    expect(names(await exported(system('cli'), 'type1'))).not.toContain('限定の注意喚起');
    await expect(exported(as.general as UserActor, 'type2')).rejects.toMatchObject({ status: 403 });
    await expect(exported(as.general as UserActor, 'draft')).rejects.toMatchObject({ status: 400 });
    expect(inboxCollectionId(c.general.org.id)).not.toBe(inboxCollectionId(c.type2.org.id));
  });
});
