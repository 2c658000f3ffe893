/**
 * The TAXII 2.1 server over HTTP, on both databases: every endpoint, filter, page and status code, and what each
 * organisation class sees through every endpoint (src/test/sharing-council.ts gives one user of each; each gets an
 * API token here, as a TAXII client would).
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../core/actor.js';
import { newId } from '../core/context.js';
import { randomToken, sha256 } from '../core/crypto.js';
import { audienceCollectionId, inboxCollectionId, type Audience } from '../core/interop/collections.js';
import { advisoryReportId, formatMicros, parseTimestamp, tlpMarkingIds } from '../core/interop/stix-objects.js';
import { MAX_CONTENT_LENGTH } from '../core/interop/taxii.js';
import { createAdvisory, releaseAdvisory, reviseAdvisory } from '../core/sharing/advisories.js';
import { submitFeedback } from '../core/sharing/feedback.js';
import { AdvisoryCreate, AdvisoryRevise, ReleaseInput, ReportCreate, type Stage, type Tlp } from '../core/sharing/model.js';
import { createReport } from '../core/sharing/reports.js';
import { authenticateToken } from '../core/usecases/auth.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { seedCouncil, userKeys, type CouncilUser, type UserKey } from '../test/sharing-council.js';
import { dialects } from '../test/stores.js';

const TAXII = 'application/taxii+json;version=2.1';
const ROOT = '/taxii2/council';
const meta = { ip: null };
const HOUR = 3_600_000;

interface Envelope {
  more?: boolean;
  next?: string;
  objects?: { id: string; type: string; name?: string; modified?: string; created?: string; revoked?: boolean; object_marking_refs?: string[] }[];
}
interface Manifest {
  more?: boolean;
  next?: string;
  objects?: { id: string; date_added: string; version: string; media_type: string }[];
}
interface Status {
  id: string;
  status: string;
  request_timestamp: string;
  total_count: number;
  success_count: number;
  successes?: { id: string; version: string; message?: string }[];
  failure_count: number;
  failures?: { id: string; version: string; message: string }[];
  pending_count: number;
}
interface TaxiiError {
  title: string;
  description: string;
  error_code: string;
  http_status: string;
  details?: Record<string, unknown>;
}

/** Which audience collections each member reads: written out here, apart from the policy code it checks. */
const reads: Record<UserKey, Audience[]> = {
  secretariat: ['type1', 'type2', 'members', 'public'],
  designated: ['type1', 'type2', 'members', 'public'],
  type1: ['type1', 'type2', 'members', 'public'],
  type1b: ['type1', 'type2', 'members', 'public'],
  type1NoTotp: ['members', 'public'],
  type2: ['type2', 'members', 'public'],
  type2Viewer: ['type2', 'members', 'public'],
  type2b: ['type2', 'members', 'public'],
  foreignType2: ['members', 'public'],
  general: ['members', 'public'],
  general2: ['members', 'public'],
  none: ['public'],
};
const audiences: Audience[] = ['type1', 'type2', 'members', 'public'];
const reached: Record<Stage, Audience[]> = {
  draft: [],
  type1: ['type1'],
  type2: ['type1', 'type2'],
  members: ['type1', 'type2', 'members'],
  public: ['type1', 'type2', 'members', 'public'],
};

const uuid = (n: number) => `${String(n).padStart(8, '0')}-2222-4222-8222-222222222222`;
const indicator = (n: number, extra: Record<string, unknown> = {}) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--${uuid(n)}`,
  created: '2026-03-01T00:00:00.000Z',
  modified: '2026-03-01T00:00:00.000Z',
  name: `ioc ${n}`,
  pattern: `[ipv4-addr:value = '198.51.100.${n % 250}']`,
  pattern_type: 'stix',
  valid_from: '2026-03-01T00:00:00Z',
  ...extra,
});

describe.each(dialects)('TAXII 2.1 on %s', (dialect) => {
  let t: TestApp;
  let users: Record<UserKey, CouncilUser>;
  const tokens = {} as Record<UserKey, string>;
  const actors = {} as Record<UserKey, UserActor>;
  let readOnlyToken: string;
  /** The advisories of the visibility table, by name. */
  const items: { name: string; id: string; stage: Stage; tlp: Tlp; recipients: UserKey[] }[] = [];

  async function tokenFor(userId: string, readOnly = false): Promise<string> {
    const token = `kyg_${randomToken()}`;
    const now = t.deps.now();
    await t.deps.store.tx((r) =>
      r.tokens.insert({
        id: newId(),
        userId,
        name: 'taxii',
        tokenHash: sha256(token),
        prefix: token.slice(0, 10),
        readOnly,
        expiresAt: new Date(now.getTime() + 365 * 86_400_000).toISOString(),
        createdAt: now.toISOString(),
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    return token;
  }

  const request = (key: UserKey | null, opts: InjectOptions & { accept?: string }): Promise<LightMyRequestResponse> => {
    const { accept, ...rest } = opts;
    return t.app.inject({
      ...rest,
      headers: {
        accept: accept ?? TAXII,
        ...(key ? { authorization: `Bearer ${tokens[key]}` } : {}),
        ...(rest.headers ?? {}),
      },
    });
  };
  const get = (key: UserKey, url: string, accept?: string) => request(key, { method: 'GET', url, ...(accept ? { accept } : {}) });
  const post = (key: UserKey, collection: string, body: unknown, headers: Record<string, string> = {}) =>
    request(key, {
      method: 'POST',
      url: `${ROOT}/collections/${collection}/objects/`,
      payload: typeof body === 'string' ? body : JSON.stringify(body),
      headers: { 'content-type': TAXII, ...headers },
    });
  const json = <T>(res: LightMyRequestResponse): T => JSON.parse(res.body) as T;
  function expectError(res: LightMyRequestResponse, status: number, code?: string): TaxiiError {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toBe(TAXII);
    const body = json<TaxiiError>(res);
    expect(body).toMatchObject({ http_status: String(status) });
    expect(body.title).toBeTruthy();
    expect(body.description).toBeTruthy();
    if (code) expect(body.error_code).toBe(code);
    return body;
  }
  const objectsUrl = (collection: string, query = '') => `${ROOT}/collections/${collection}/objects/${query}`;
  const type1 = audienceCollectionId('type1');

  async function advisory(name: string, tlp: Tlp, stage: Stage, recipients: UserKey[] = []) {
    t.deps.clock.advance(HOUR);
    const author = actors.type1;
    const a = await createAdvisory(
      t.deps,
      author,
      AdvisoryCreate.parse({
        title: name,
        summary: `${name}の概要`,
        threat: '攻撃者は認証回避の脆弱性を悪用して管理画面に侵入します。',
        actions: '修正版へ更新してください。',
        indicators: [{ type: 'ipv4', value: `203.0.113.${items.length + 1}` }],
        tlp,
        recipientUserIds: recipients.map((k) => users[k].id),
      }),
      meta,
    );
    for (const to of ['type1', 'type2', 'members', 'public'] as Stage[]) {
      if (reached[stage].length < reached[to].length || stage === 'draft') break;
      t.deps.clock.advance(HOUR);
      await releaseAdvisory(t.deps, author, a.id, ReleaseInput.parse({ to }), meta);
    }
    items.push({ name, id: a.id, stage, tlp, recipients });
    return a;
  }

  beforeAll(async () => {
    t = await createTestApp(dialect);
    ({ users } = await seedCouncil(t.deps));
    for (const key of userKeys) {
      tokens[key] = await tokenFor(users[key].id);
      actors[key] = (await authenticateToken(t.deps, tokens[key])) as UserActor;
    }
    readOnlyToken = await tokenFor(users.type2b.id, true);
    await advisory('第一類限り', 'amber', 'type1');
    await advisory('タスクフォース向け', 'green', 'type2');
    await advisory('全構成員向け', 'green', 'members');
    await advisory('一般公開', 'clear', 'public');
    await advisory('TLP:RED の限定情報', 'red', 'type2', ['type2']);
    await advisory('下書き', 'amber', 'draft');
    const forFeedback = items[1] as (typeof items)[number];
    await submitFeedback(t.deps, actors.type2, forFeedback.id, { answer: 'seen', comment: '当社でも観測', sightings: [] }, meta);
    t.deps.clock.advance(HOUR);
    await createReport(
      t.deps,
      actors.general,
      ReportCreate.parse({ title: '市役所からの情報提供', description: '不審な通信', kind: 'suspicious_activity', certainty: 'unease' }),
      meta,
    );
  });
  afterAll(() => t.close());

  describe('discovery, API root and collections', () => {
    it('discovery names the one API root, absolute, in the exact media type', async () => {
      const res = await get('type2', '/taxii2/');
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(TAXII);
      const body = json<{ title: string; default: string; api_roots: string[] }>(res);
      expect(body.api_roots).toEqual([`http://localhost:80${ROOT}/`]);
      expect(body.default).toBe(body.api_roots[0]);
      expect(body.title).toContain('TAXII');
    });

    it('the API root announces TAXII 2.1 and the largest body it takes', async () => {
      const res = await get('general', `${ROOT}/`);
      expect(json(res)).toMatchObject({ versions: [TAXII], max_content_length: MAX_CONTENT_LENGTH });
    });

    it('lists the collections each organisation may read or write, with can_read and can_write from the policy', async () => {
      for (const key of userKeys) {
        const res = await get(key, `${ROOT}/collections/`);
        expect(res.statusCode).toBe(200);
        const list = json<{ collections: { id: string; alias?: string; can_read: boolean; can_write: boolean; media_types: string[] }[] }>(res).collections;
        const expected = [
          ...reads[key].map((a) => ({ id: audienceCollectionId(a), alias: a, can_read: true, can_write: false })),
          { id: inboxCollectionId(users[key].orgId), can_read: true, can_write: key !== 'type2Viewer' && key !== 'none' },
        ];
        expect(list.map(({ id, alias, can_read, can_write }) => ({ id, ...(alias ? { alias } : {}), can_read, can_write })), key).toEqual(expected);
        for (const c of list) expect(c.media_types).toEqual(['application/stix+json;version=2.1']);
      }
      const one = await get('type2', `${ROOT}/collections/${audienceCollectionId('type2')}/`);
      expect(json(one)).toMatchObject({ id: audienceCollectionId('type2'), title: 'タスクフォース', can_read: true, can_write: false });
      expectError(await get('type2', `${ROOT}/collections/${type1}/`), 404, 'not_found');
      expectError(await get('type2', `${ROOT}/collections/${inboxCollectionId(users.general.orgId)}/`), 404);
      expectError(await get('type2', `${ROOT}/collections/not-a-uuid/`), 404);
    });
  });

  describe('authentication and media types', () => {
    it('401 with the error resource and a challenge without credentials, with a bad Bearer token or a bad Basic password', async () => {
      for (const headers of [{}, { authorization: 'Bearer kyg_wrong' }, { authorization: `Basic ${Buffer.from('x:kyg_wrong').toString('base64')}` }]) {
        const res = await t.app.inject({ method: 'GET', url: `${ROOT}/collections/`, headers: { accept: TAXII, ...headers } });
        expectError(res, 401);
        expect(res.headers['www-authenticate']).toContain('Basic');
      }
    });

    it('takes an API token as the HTTP Basic password, whatever the user name', async () => {
      const basic = Buffer.from(`anyone:${tokens.type2}`).toString('base64');
      const res = await t.app.inject({ method: 'GET', url: `${ROOT}/collections/`, headers: { accept: TAXII, authorization: `Basic ${basic}` } });
      expect(res.statusCode).toBe(200);
      expect(json<{ collections: unknown[] }>(res).collections).toHaveLength(4);
    });

    it('406 on an Accept it cannot meet; TAXII without a version, wildcards, a list with the STIX type, or none are fine', async () => {
      for (const accept of ['application/json', 'application/taxii+json;version=2.0', 'text/html', 'application/taxii+json;q=0']) {
        expectError(await get('type2', `${ROOT}/collections/`, accept), 406, 'taxii_not_acceptable');
      }
      const manifest = `${ROOT}/collections/${audienceCollectionId('type2')}/manifest/`;
      for (const accept of ['application/taxii+json', '*/*', 'application/*', `${TAXII}, application/stix+json;version=2.1`, 'application/stix+json;version=2.1, application/taxii+json']) {
        expect((await get('type2', manifest, accept)).statusCode, accept).toBe(200);
      }
      const none = await t.app.inject({ method: 'GET', url: manifest, headers: { authorization: `Bearer ${tokens.type2}` } });
      expect(none.statusCode).toBe(200);
      expect(none.headers['content-type']).toBe(TAXII);
    });

    it('unknown TAXII URLs are a 404 error resource; messages follow the user’s language', async () => {
      expectError(await get('type2', `${ROOT}/nothing-here/`), 404, 'route_not_found');
      await t.deps.store.tx((r) => r.users.update(users.general2.id, { locale: 'en' }));
      const res = await get('general2', `${ROOT}/collections/${type1}/objects/`);
      expect(expectError(res, 404).title).toBe('Not found');
      await t.deps.store.tx((r) => r.users.update(users.general2.id, { locale: 'ja' }));
    });
  });

  describe('what each organisation class sees, through every endpoint', () => {
    /** The advisories a user must see in one audience collection: released that far, RED only to its people. */
    const expectedIn = (key: UserKey, audience: Audience) =>
      items
        .filter((i) => reads[key].includes(audience) && reached[i.stage].includes(audience))
        .filter((i) => i.tlp !== 'red' || i.recipients.includes(key) || users[key].orgId === users.type1.orgId)
        .map((i) => i.name)
        .sort();

    it.each(userKeys)('%s', async (key) => {
      for (const audience of audiences) {
        const collection = audienceCollectionId(audience);
        const objects = await get(key, objectsUrl(collection, '?limit=1000'));
        const manifest = await get(key, `${ROOT}/collections/${collection}/manifest/?limit=1000`);
        const target = items.find((i) => i.name === 'タスクフォース向け') as (typeof items)[number];
        const reportId = advisoryReportId(target.id);
        const one = await get(key, objectsUrl(collection, `${reportId}/`));
        const versions = await get(key, objectsUrl(collection, `${reportId}/versions/`));
        if (!reads[key].includes(audience)) {
          for (const res of [objects, manifest, one, versions]) expectError(res, 404);
          continue;
        }
        const env = json<Envelope>(objects);
        const names = (env.objects ?? []).filter((o) => o.type === 'report' && o.id.startsWith('report--') && items.some((i) => i.name === o.name)).map((o) => o.name).sort();
        expect(names, `${key} in ${audience}`).toEqual(expectedIn(key, audience));
        // Nothing marked RED reaches anyone but its recipients (and its authors).
        const red = (env.objects ?? []).filter((o) => o.object_marking_refs?.includes(tlpMarkingIds.red));
        if (!['type2', 'type1'].includes(key)) expect(red, key).toEqual([]);
        // The manifest lists exactly the objects.
        expect((json<Manifest>(manifest).objects ?? []).map((m) => m.id)).toEqual((env.objects ?? []).map((o) => o.id));
        const visible = expectedIn(key, audience).includes(target.name);
        expect(one.statusCode, `${key} object in ${audience}`).toBe(visible ? 200 : 404);
        expect(versions.statusCode).toBe(visible ? 200 : 404);
        // Feedback and reports to the Type 1 group are in its collection only.
        const types = new Set((env.objects ?? []).map((o) => o.type));
        expect(types.has('sighting'), `${key} sightings in ${audience}`).toBe(audience === 'type1');
        const reportToType1 = (env.objects ?? []).some((o) => o.name === '市役所からの情報提供');
        expect(reportToType1).toBe(audience === 'type1');
      }
      // Its own inbox only.
      expect((await get(key, objectsUrl(inboxCollectionId(users[key].orgId)))).statusCode).toBe(200);
      const other = key === 'general' ? 'general2' : 'general';
      expectError(await get(key, objectsUrl(inboxCollectionId(users[other].orgId))), 404);
    });
  });

  describe('objects: pages, filters and headers', () => {
    let inbox: string;
    let status: Status;
    beforeAll(async () => {
      inbox = inboxCollectionId(users.type1b.orgId);
      const objects = Array.from({ length: 25 }, (_, i) => indicator(i + 1));
      const res = await post('type1b', inbox, { objects });
      expect(res.statusCode, res.body).toBe(202);
      status = json<Status>(res);
    });

    it('pages in ascending date_added with `next` whenever `more`, headers with microseconds, one date_added per object', async () => {
      const seen: Manifest['objects'] = [];
      let url = `${ROOT}/collections/${inbox}/manifest/?limit=10`;
      let pages = 0;
      for (;;) {
        const res = await get('type1b', url);
        expect(res.statusCode).toBe(200);
        const page = json<Manifest>(res);
        const list = page.objects ?? [];
        expect(res.headers['x-taxii-date-added-first']).toBe(list[0]?.date_added);
        expect(res.headers['x-taxii-date-added-last']).toBe(list.at(-1)?.date_added);
        expect(String(res.headers['x-taxii-date-added-first'])).toMatch(/\.\d{6}Z$/);
        seen.push(...list);
        pages++;
        if (!page.more) {
          expect(page.next).toBeUndefined();
          break;
        }
        expect(page.next).toBeTruthy();
        url = `${ROOT}/collections/${inbox}/manifest/?limit=10&next=${encodeURIComponent(page.next as string)}`;
      }
      expect(pages).toBe(3);
      expect(seen.map((m) => m.id)).toEqual(Array.from({ length: 25 }, (_, i) => `indicator--${uuid(i + 1)}`));
      const added = seen.map((m) => parseTimestamp(m.date_added) as number);
      expect(new Set(added).size).toBe(25);
      expect([...added].sort((a, b) => a - b)).toEqual(added);
      expect(seen[0]).toMatchObject({ version: '2026-03-01T00:00:00.000Z', media_type: 'application/stix+json;version=2.1' });

      // The objects endpoint pages the same way.
      const first = await get('type1b', objectsUrl(inbox, '?limit=10'));
      const env = json<Envelope>(first);
      expect(env.more).toBe(true);
      expect(env.objects?.map((o) => o.id)).toEqual(seen.slice(0, 10).map((m) => m.id));
      const second = json<Envelope>(await get('type1b', objectsUrl(inbox, `?limit=10&next=${encodeURIComponent(env.next as string)}`)));
      expect(second.objects?.map((o) => o.id)).toEqual(seen.slice(10, 20).map((m) => m.id));

      // An empty answer leaves the list out.
      const empty = await get('type1b', objectsUrl(inbox, '?added_after=2099-01-01T00:00:00Z'));
      expect(json(empty)).toEqual({ more: false });
      expect(empty.headers['x-taxii-date-added-first']).toBeUndefined();
      expect(status).toMatchObject({ status: 'complete', total_count: 25, success_count: 25, failure_count: 0, pending_count: 0 });
    });

    it('added_after, match[id], match[type], match[spec_version]', async () => {
      const manifest = json<Manifest>(await get('type1b', `${ROOT}/collections/${inbox}/manifest/?limit=100`)).objects ?? [];
      const tenth = manifest[9] as NonNullable<Manifest['objects']>[number];
      const after = json<Envelope>(await get('type1b', objectsUrl(inbox, `?added_after=${encodeURIComponent(tenth.date_added)}`)));
      expect(after.objects?.map((o) => o.id)).toEqual(manifest.slice(10).map((m) => m.id));
      // An offset is read as the instant it names.
      const inTokyo = formatMicros(parseTimestamp(tenth.date_added) as number).replace('Z', '+00:00');
      expect(json<Envelope>(await get('type1b', objectsUrl(inbox, `?added_after=${encodeURIComponent(inTokyo)}`))).objects).toHaveLength(15);

      const ids = `indicator--${uuid(3)},indicator--${uuid(7)}`;
      expect(json<Envelope>(await get('type1b', objectsUrl(inbox, `?match[id]=${ids}`))).objects?.map((o) => o.id)).toEqual(ids.split(','));
      expect(json<Envelope>(await get('type1b', objectsUrl(inbox, `?match[id]=indicator--${uuid(3)}&match[id]=indicator--${uuid(7)}`))).objects).toHaveLength(2);

      const t1 = await get('type1', objectsUrl(type1, '?match[type]=sighting,note&limit=1000'));
      const types = new Set(json<Envelope>(t1).objects?.map((o) => o.type));
      expect([...types].sort()).toEqual(['note', 'sighting']);
      expect(json<Envelope>(await get('type1b', objectsUrl(inbox, '?match[spec_version]=2.1'))).objects).toHaveLength(25);
      expect(json(await get('type1b', objectsUrl(inbox, '?match[spec_version]=2.0')))).toEqual({ more: false });
    });

    it('match[version]: last by default, first, all, and timestamps; the versions endpoint lists them all', async () => {
      const target = items.find((i) => i.name === 'タスクフォース向け') as (typeof items)[number];
      t.deps.clock.advance(HOUR);
      await reviseAdvisory(
        t.deps,
        actors.type1,
        target.id,
        AdvisoryRevise.parse({ title: target.name, summary: '改訂した概要', threat: '脅威の追記', actions: '対策の追記', note: '概要を改訂' }),
        meta,
      );
      const collection = audienceCollectionId('type2');
      const reportId = advisoryReportId(target.id);
      const base = objectsUrl(collection, `${reportId}/`);
      const byDefault = json<Envelope>(await get('type2', base)).objects ?? [];
      const all = json<Envelope>(await get('type2', `${base}?match[version]=all`)).objects ?? [];
      const first = json<Envelope>(await get('type2', `${base}?match[version]=first`)).objects ?? [];
      const both = json<Envelope>(await get('type2', `${base}?match[version]=first,last`)).objects ?? [];
      expect(all).toHaveLength(2);
      expect(byDefault.map((o) => o.modified)).toEqual([all[1]?.modified]);
      expect(first.map((o) => o.modified)).toEqual([all[0]?.modified]);
      expect(both).toHaveLength(2);
      const exact = json<Envelope>(await get('type2', `${base}?match[version]=${encodeURIComponent(all[0]?.modified as string)}`)).objects ?? [];
      expect(exact.map((o) => o.modified)).toEqual([all[0]?.modified]);

      const versions = await get('type2', objectsUrl(collection, `${reportId}/versions/`));
      expect(versions.statusCode).toBe(200);
      expect(json<{ versions: string[] }>(versions).versions).toEqual(all.map((o) => o.modified));
      expect(String(versions.headers['x-taxii-date-added-last'])).toMatch(/\.\d{6}Z$/);
      const firstOnly = json<{ more: boolean; next?: string; versions: string[] }>(await get('type2', objectsUrl(collection, `${reportId}/versions/?limit=1`)));
      expect(firstOnly).toMatchObject({ more: true, versions: [all[0]?.modified] });
      expect(firstOnly.next).toBeTruthy();

      // The collection's manifest: one entry per object at its latest version, every version with `all`.
      const manifest = (json<Manifest>(await get('type2', `${ROOT}/collections/${collection}/manifest/?match[id]=${reportId}&match[version]=all`)).objects ?? []).map((m) => m.version);
      expect(manifest).toEqual(all.map((o) => o.modified));
    });

    it.each([
      ['limit=0', 'limit'],
      ['limit=abc', 'limit'],
      ['limit=-1', 'limit'],
      ['next=not-a-cursor', 'next'],
      ['next=MTIzYWJj', 'next'],
      ['added_after=yesterday', 'added_after'],
      ['added_after=2026-02-30T00:00:00Z', 'added_after'],
      ['match[version]=latest', 'match[version]'],
      ['match[id]=not-an-id', 'match[id]'],
      ['match[type]=Indicator', 'match[type]'],
      ['match[spec_version]=two', 'match[spec_version]'],
      ['limit=1&limit=2', 'limit'],
    ])('a malformed %s is a 400 naming the parameter, never a 500', async (query, parameter) => {
      const res = await get('type1b', objectsUrl(inbox, `?${query}`));
      const body = expectError(res, 400, 'taxii_invalid_parameter');
      expect(body.description).toContain(parameter);
    });

    it('a limit above the largest page is served as the largest page', async () => {
      const res = await get('type1b', objectsUrl(inbox, '?limit=100000'));
      expect(res.statusCode).toBe(200);
      expect(json<Envelope>(res).objects).toHaveLength(25);
    });
  });

  describe('adding objects', () => {
    it('answers 202 with a complete status, one report to the Type 1 group from the valid objects, failures with their reason', async () => {
      const inbox = inboxCollectionId(users.type2b.orgId);
      const bundle = {
        type: 'bundle',
        id: `bundle--${uuid(500)}`,
        objects: [
          indicator(501, { object_marking_refs: [tlpMarkingIds.green] }),
          { ...indicator(502), pattern: "[ipv4-addr:value = '1.2.3.4'" },
          { type: 'identity', spec_version: '2.0', id: `identity--${uuid(503)}`, name: 'x' },
          { type: 'domain-name', id: `domain-name--${uuid(504)}`, value: 'evil.example' },
        ],
      };
      const res = await post('type2b', inbox, bundle);
      expect(res.statusCode, res.body).toBe(202);
      expect(res.headers['content-type']).toBe(TAXII);
      const status = json<Status>(res);
      expect(status).toMatchObject({ status: 'complete', total_count: 4, success_count: 2, failure_count: 2, pending_count: 0 });
      expect(status.successes?.map((s) => s.id)).toEqual([`indicator--${uuid(501)}`, `domain-name--${uuid(504)}`]);
      expect(status.successes?.[0]?.version).toBe('2026-03-01T00:00:00.000Z');
      expect(status.successes?.[1]?.version).toMatch(/\.\d{6}Z$/);
      expect(status.failures).toEqual([
        { id: `indicator--${uuid(502)}`, version: '2026-03-01T00:00:00.000Z', message: 'STIX パターンの 29 文字目付近に構文の誤りがあります。' },
        { id: `identity--${uuid(503)}`, version: '', message: 'STIX 2.0 には対応していません（STIX 2.1 のみ）。' },
      ]);
      expect(status.request_timestamp).toMatch(/\.\d{6}Z$/);

      // The status resource, for the posting organisation only.
      const again = await get('type2b', `${ROOT}/status/${status.id}/`);
      expect(json(again)).toEqual(status);
      expectError(await get('type2', `${ROOT}/status/${status.id}/`), 404);
      expectError(await get('type2b', `${ROOT}/status/${uuid(1)}/`), 404);

      // The report: in the Type 1 group's queue, anonymous, TLP from the markings, observables from the pattern.
      const audit = await t.deps.store.read.audit.list({ action: 'taxii.add', limit: 1 });
      const reportId = audit[0]?.detail.reportId as string;
      const report = await t.deps.store.read.sharing.reports.byId(reportId);
      expect(report).toMatchObject({ stage: 'type1', tlp: 'green', providerNamed: false, orgId: users.type2b.orgId });
      expect(await t.deps.store.read.sharing.observables.forItem(reportId)).toEqual([
        { type: 'ipv4', value: '198.51.100.1' },
        { type: 'domain', value: 'evil.example' },
      ]);
      const inType1 = json<Envelope>(await get('type1', objectsUrl(type1, '?match[type]=report&limit=1000'))).objects ?? [];
      expect(inType1.some((o) => o.name === report?.title)).toBe(true);
      // The inbox holds what was posted; posted again, nothing is stored twice and no second report is made.
      expect(json<Envelope>(await get('type2b', objectsUrl(inbox))).objects?.map((o) => o.id)).toEqual(status.successes?.map((s) => s.id));
      const repeat = json<Status>(await post('type2b', inbox, bundle));
      expect(repeat).toMatchObject({ success_count: 2, failure_count: 2 });
      expect(repeat.successes?.every((s) => s.message === 'すでに登録済みです。')).toBe(true);
      expect(json<Envelope>(await get('type2b', objectsUrl(inbox))).objects).toHaveLength(2);
      expect((await t.deps.store.read.audit.list({ action: 'taxii.add', limit: 1 }))[0]?.detail.reportId).toBeNull();
    });

    it('posts at the same moment from several organisations all land, each object with its own date_added', async () => {
      const posters: UserKey[] = ['type1', 'designated', 'general2', 'foreignType2'];
      const answers = await Promise.all(
        posters.map((key, n) => post(key, inboxCollectionId(users[key].orgId), { objects: Array.from({ length: 20 }, (_, i) => indicator(1000 + n * 100 + i)) })),
      );
      expect(answers.map((r) => r.statusCode)).toEqual([202, 202, 202, 202]);
      const added: number[] = [];
      for (const key of posters) {
        const list = json<Manifest>(await get(key, `${ROOT}/collections/${inboxCollectionId(users[key].orgId)}/manifest/?limit=1000`)).objects ?? [];
        expect(list).toHaveLength(20);
        added.push(...list.map((m) => parseTimestamp(m.date_added) as number));
      }
      expect(new Set(added).size).toBe(80);
    });

    it('422 when nothing in the envelope is valid STIX 2.1, with each reason', async () => {
      const res = await post('type2b', inboxCollectionId(users.type2b.orgId), { objects: [{ type: 'indicator', spec_version: '2.0' }, 5] });
      const body = expectError(res, 422, 'taxii_nothing_valid');
      expect((body.details?.failures as unknown[]).length).toBe(2);
    });

    it('400 for a body that is not JSON or not an envelope; 415 for any other Content-Type; 413 above max_content_length', async () => {
      const inbox = inboxCollectionId(users.type2b.orgId);
      expectError(await post('type2b', inbox, '{"objects": ['), 400);
      expectError(await post('type2b', inbox, { type: 'bundle' }), 400, 'stix_bundle_invalid');
      expectError(await post('type2b', inbox, '[]'), 400, 'stix_bundle_invalid');
      for (const type of ['application/json', 'application/stix+json;version=2.1', 'application/taxii+json;version=2.0', 'text/plain']) {
        expectError(await post('type2b', inbox, { objects: [indicator(1)] }, { 'content-type': type }), 415);
      }
      expectError(await request('type2b', { method: 'POST', url: objectsUrl(inbox) }), 415);
      const huge = JSON.stringify({ objects: [{ ...indicator(1), description: 'x'.repeat(MAX_CONTENT_LENGTH) }] });
      expectError(await post('type2b', inbox, huge), 413);
    });

    it('403 where the collection can be read but not written (an audience collection, a read-only token); 404 where neither', async () => {
      expectError(await post('type2', audienceCollectionId('type2'), { objects: [indicator(1)] }), 403, 'taxii_collection_not_writable');
      expectError(await post('type2', type1, { objects: [indicator(1)] }), 404);
      expectError(await post('type2', inboxCollectionId(users.general.orgId), { objects: [indicator(1)] }), 404);
      const readOnly = await t.app.inject({
        method: 'POST',
        url: objectsUrl(inboxCollectionId(users.type2b.orgId)),
        payload: JSON.stringify({ objects: [indicator(1)] }),
        headers: { accept: TAXII, 'content-type': TAXII, authorization: `Bearer ${readOnlyToken}` },
      });
      expectError(readOnly, 403, 'taxii_collection_not_writable');
    });
  });

  describe('deleting an object', () => {
    it('404 to who can neither read nor write, 403 to who can only read, 200 for its own inbox (all versions or some)', async () => {
      const inbox = inboxCollectionId(users.general.orgId);
      const posted = await post('general', inbox, {
        objects: [indicator(700), indicator(700, { modified: '2026-03-02T00:00:00.000Z' }), indicator(701)],
      });
      expect(posted.statusCode).toBe(202);
      const del = (key: UserKey, collection: string, id: string, query = '') =>
        request(key, { method: 'DELETE', url: `${ROOT}/collections/${collection}/objects/${id}/${query}` });

      expectError(await del('type2', inbox, `indicator--${uuid(700)}`), 404);
      expectError(await del('general', type1, `indicator--${uuid(700)}`), 404);
      const reportId = advisoryReportId((items.find((i) => i.name === '全構成員向け') as (typeof items)[number]).id);
      expectError(await del('general', audienceCollectionId('members'), reportId), 403, 'taxii_collection_not_writable');

      // One version, then the rest; the remaining one becomes first and last.
      const one = await del('general', inbox, `indicator--${uuid(700)}`, '?match[version]=2026-03-02T00:00:00.000Z');
      expect(one.statusCode).toBe(200);
      const left = json<Envelope>(await get('general', objectsUrl(inbox, `indicator--${uuid(700)}/`))).objects ?? [];
      expect(left.map((o) => o.modified)).toEqual(['2026-03-01T00:00:00.000Z']);
      expect((await del('general', inbox, `indicator--${uuid(700)}`)).statusCode).toBe(200);
      expectError(await get('general', objectsUrl(inbox, `indicator--${uuid(700)}/`)), 404);
      expectError(await del('general', inbox, `indicator--${uuid(700)}`), 404);
      expect(json<Envelope>(await get('general', objectsUrl(inbox))).objects?.map((o) => o.id)).toEqual([`indicator--${uuid(701)}`]);
      const audit = await t.deps.store.read.audit.list({ action: 'taxii.delete', limit: 2 });
      expect(audit.map((a) => a.detail.versions)).toEqual([1, 1]);
    });
  });

  it('every read of non-public objects is audited; public ones are not', async () => {
    const before = (await t.deps.store.read.audit.list({ action: 'taxii.read', limit: 1000 })).length;
    await get('general', objectsUrl(audienceCollectionId('members')));
    await get('general', objectsUrl(audienceCollectionId('public')));
    const after = await t.deps.store.read.audit.list({ action: 'taxii.read', limit: 1000 });
    expect(after.length).toBe(before + 1);
    expect(after[0]).toMatchObject({ actorUserId: users.general.id, detail: { audience: 'members' } });
  });
});
