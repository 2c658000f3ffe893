/**
 * The MISP mapping without a database: event uuids MISP accepts, the same version giving the same event, the
 * documents MISP exports recognised, and the feed filter of the policy against `canRead` for every kind of reader.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { anonymous, system, type Actor, type UserActor } from '../actor.js';
import { audienceStages, canRead, feedFilter, matches, releasedTo } from '../policy.js';
import { stages, tlps, type Stage } from '../sharing/model.js';
import type { AdvisoryRecord, VersionRecord } from '../sharing/ports.js';
import { hashLines, itemIdOfEvent, manifestEntry, mispEventsIn, mispEventUuid, toMispEvent } from './misp.js';

/** CakePHP's uuid rule, which MISP applies to event and attribute uuids: versions 0–5 only. */
const MISP_UUID = /^[a-f0-9]{8}-[a-f0-9]{4}-[0-5][a-f0-9]{3}-[089ab][a-f0-9]{3}-[a-f0-9]{12}$/;

const itemId = '0196f3a2-7c41-7d2e-9a10-5b6c7d8e9f01';

const advisory: AdvisoryRecord = {
  id: itemId,
  orgId: 'org-author',
  userId: 'user-author',
  stage: 'members',
  tlp: 'amber+strict',
  version: 2,
  title: 'VPN装置への侵入',
  sourceReportId: null,
  feedbackDeadline: null,
  releasedAt: '2026-04-02T01:00:00.000Z',
  createdAt: '2026-03-31T16:30:00.000Z',
  updatedAt: '2026-04-02T01:00:00.000Z',
};

const version: VersionRecord = {
  advisoryId: itemId,
  version: 2,
  userId: 'user-author',
  note: null,
  createdAt: '2026-04-01T09:00:00.000Z',
  content: {
    title: 'VPN装置への侵入',
    summary: '概要の本文',
    threat: '脅威の本文',
    actions: '対策の本文',
    affectedProducts: [],
    sectors: [],
    confidence: 'high',
    indicators: [
      { type: 'ipv4', value: '203.0.113.5' },
      { type: 'ipv6', value: '2001:db8::1' },
      { type: 'domain', value: 'update-check.example.net' },
      { type: 'url', value: 'http://update-check.example.net/a.php' },
      { type: 'email', value: 'attacker@example.com' },
      { type: 'md5', value: 'd41d8cd98f00b204e9800998ecf8427e' },
      { type: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' },
      { type: 'sha256', value: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      { type: 'cve', value: 'CVE-2026-12345' },
    ],
  },
};

const council = { name: 'サイバーセキュリティ協議会', uuid: '6c2c9b0e-8b0a-5b4e-9d1c-3f2a1b0c9d8e' };

describe('MISP event uuids', () => {
  it('turn an item id into a uuid MISP accepts and back', () => {
    const uuid = mispEventUuid(itemId);
    expect(uuid).toMatch(MISP_UUID);
    expect(itemIdOfEvent(uuid)).toBe(itemId);
    expect(itemIdOfEvent(uuid.toUpperCase())).toBe(itemId);
  });

  it('refuse what cannot be one of ours', () => {
    expect(itemIdOfEvent('not-a-uuid')).toBeNull();
    expect(itemIdOfEvent(itemId)).toBeNull();
  });
});

describe('a version as a MISP event', () => {
  const event = toMispEvent(advisory, version, council);

  it('maps every observable to its MISP type and category, with the TLP tag and the council as creator', () => {
    const e = event.Event;
    expect(e.uuid).toBe(mispEventUuid(itemId));
    expect(e.info).toBe('VPN装置への侵入');
    expect(e.Orgc).toEqual(council);
    expect(e.Tag).toEqual([{ name: 'tlp:amber+strict', colour: '#ffc000' }]);
    // The version's time, in seconds; the date is the item's, in Japan time (16:30 UTC is the next day there).
    expect(e.timestamp).toBe(String(Date.parse(version.createdAt) / 1000));
    expect(e.date).toBe('2026-04-01');
    const ioc = e.Attribute.filter((a) => a.type !== 'text').map((a) => [a.type, a.category, a.value, a.to_ids]);
    expect(ioc).toEqual([
      ['ip-dst', 'Network activity', '203.0.113.5', true],
      ['ip-dst', 'Network activity', '2001:db8::1', true],
      ['domain', 'Network activity', 'update-check.example.net', true],
      ['url', 'Network activity', 'http://update-check.example.net/a.php', true],
      ['email-src', 'Payload delivery', 'attacker@example.com', true],
      ['md5', 'Payload delivery', 'd41d8cd98f00b204e9800998ecf8427e', true],
      ['sha1', 'Payload delivery', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', true],
      ['sha256', 'Payload delivery', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', true],
      ['vulnerability', 'External analysis', 'CVE-2026-12345', false],
    ]);
    expect(e.Attribute.filter((a) => a.type === 'text').map((a) => a.value)).toEqual(['概要の本文', '脅威の本文', '対策の本文']);
    for (const a of e.Attribute) expect(a.uuid).toMatch(MISP_UUID);
    expect(new Set(e.Attribute.map((a) => a.uuid)).size).toBe(e.Attribute.length);
    expect(JSON.stringify(event)).not.toContain('org-author');
  });

  it('is the same for the same version, whatever happened to the item since (a release, say)', () => {
    const released = { ...advisory, stage: 'public' as Stage, releasedAt: '2026-04-03T00:00:00.000Z', updatedAt: '2026-04-03T00:00:00.000Z' };
    expect(toMispEvent(released, version, council)).toEqual(event);
  });

  it('keeps the uuid of unchanged attributes in a new version and moves the timestamp on', () => {
    const next = toMispEvent(advisory, { ...version, version: 3, createdAt: '2026-04-05T00:00:00.000Z', content: { ...version.content, summary: '新しい概要' } }, council);
    expect(next.Event.uuid).toBe(event.Event.uuid);
    expect(Number(next.Event.timestamp)).toBeGreaterThan(Number(event.Event.timestamp));
    expect(next.Event.Attribute.map((a) => a.uuid)).toEqual(event.Event.Attribute.map((a) => a.uuid));
  });

  it('gives the manifest entry and the hash lines MISP reads', () => {
    expect(manifestEntry(event)).toEqual({
      Orgc: council,
      Tag: [{ name: 'tlp:amber+strict', colour: '#ffc000' }],
      info: 'VPN装置への侵入',
      date: '2026-04-01',
      analysis: 2,
      threat_level_id: 4,
      timestamp: Date.parse(version.createdAt) / 1000,
    });
    const lines = hashLines(event);
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe(`${createHash('md5').update('203.0.113.5').digest('hex')},${event.Event.uuid}\n`);
    for (const line of lines) expect(line).toMatch(new RegExp(`^[0-9a-f]{32},${event.Event.uuid}\\n$`));
  });
});

describe('MISP documents', () => {
  const e = { info: 'x', Attribute: [] };
  it('finds the events of every shape MISP exports', () => {
    expect(mispEventsIn({ Event: e })).toEqual([e]);
    expect(mispEventsIn(e)).toEqual([e]);
    expect(mispEventsIn({ response: [{ Event: e }, { Event: e }] })).toHaveLength(2);
    expect(mispEventsIn([{ Event: e }])).toEqual([e]);
    expect(mispEventsIn({ type: 'bundle', objects: [] })).toEqual([]);
    expect(mispEventsIn('text')).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

function member(over: Partial<UserActor>): UserActor {
  return {
    kind: 'user',
    userId: 'reader',
    orgId: 'org-reader',
    login: 'reader',
    displayName: 'reader',
    role: 'analyst',
    locale: 'ja',
    isSecretariat: false,
    memberClass: 'general',
    designated: false,
    foreignCapital: false,
    specialApproval: false,
    suspended: false,
    isCommittee: false,
    rulesAccepted: true,
    totpEnabled: true,
    via: 'token',
    readOnly: true,
    ...over,
  };
}

const readers: Record<string, Actor> = {
  system: system('test'),
  anonymous,
  secretariat: member({ isSecretariat: true, memberClass: 'none' }),
  designated: member({ memberClass: 'type1', designated: true }),
  type1: member({ memberClass: 'type1' }),
  type1WithoutTotp: member({ memberClass: 'type1', totpEnabled: false }),
  type2: member({ memberClass: 'type2' }),
  foreignType2: member({ memberClass: 'type2', foreignCapital: true }),
  general: member({ memberClass: 'general', totpEnabled: false }),
  suspended: member({ memberClass: 'type2', suspended: true }),
  rulesNotAccepted: member({ memberClass: 'type1', rulesAccepted: false }),
};

describe('policy: what a feed for one audience shows', () => {
  it('is what the reader may read, released at least to that audience, never TLP:RED — and nothing outside its audiences', () => {
    for (const [name, actor] of Object.entries(readers)) {
      const userId = actor.kind === 'user' ? actor.userId : undefined;
      for (const audience of stages) {
        const filter = feedFilter(actor, audience);
        const inAudience = audience !== 'draft' && audienceStages(actor).includes(audience);
        if (!inAudience) expect(filter, `${name} ${audience}`).toEqual([]);
        for (const stage of stages) {
          for (const tlp of tlps) {
            for (const owner of ['org-reader', 'org-other']) {
              for (const recipients of [[], ['reader']]) {
                const item = { stage, tlp, ownerOrgId: owner, recipientUserIds: recipients };
                const expected = inAudience && canRead(actor, item) && releasedTo(audience).includes(stage) && tlp !== 'red';
                expect(matches(filter, item, userId), `${name} ${audience} ${stage} ${tlp} ${owner} ${recipients.join()}`).toBe(expected);
              }
            }
          }
        }
      }
    }
  });

  it('has the stages of each audience', () => {
    expect(releasedTo('type1')).toEqual(['type1', 'type2', 'members', 'public']);
    expect(releasedTo('members')).toEqual(['members', 'public']);
    expect(releasedTo('draft')).toEqual([]);
  });
});
