/**
 * `POST /api/v1/imports/stix`: a STIX 2.1 bundle becomes a report with the same summary as a MISP import; a bundle
 * with nothing valid in it is a 400 carrying the reasons, and nothing is stored. (MISP imports: misp.test.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../test/http.js';
import { createSignedInCouncil, type SignedInCouncil } from '../test/sharing-council.js';
import { dialects } from '../test/stores.js';

const indicator = {
  type: 'indicator',
  spec_version: '2.1',
  id: 'indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f',
  created: '2026-03-30T00:00:00.000Z',
  modified: '2026-03-30T00:00:00.000Z',
  name: 'C2 server',
  pattern: "[ipv4-addr:value = '198.51.100.77']",
  pattern_type: 'stix',
  valid_from: '2026-03-30T00:00:00Z',
  object_marking_refs: ['marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421'],
};
const bundle = (...objects: unknown[]) => ({ type: 'bundle', id: 'bundle--5d0092c5-5f74-4287-9642-33f4c354e56d', objects });

describe.each(dialects)('STIX import over the API on %s', (dialect) => {
  let t: TestApp;
  let c: SignedInCouncil;
  beforeEach(async () => {
    t = await createTestApp(dialect);
    c = await createSignedInCouncil(t);
  });
  afterEach(() => t.close());

  const reportCount = async () => (await t.deps.store.read.sharing.reports.list({ filter: [{}], userId: undefined, limit: 1000 })).length;

  it('imports the valid objects as a report and lists the others with their reason', async () => {
    const client = await c.as('type2');
    const res = await client.request({ method: 'POST', url: '/api/v1/imports/stix', payload: bundle(indicator, { type: 'indicator', id: 'indicator--nope' }) });
    expect(res.statusCode, res.body).toBe(201);
    const summary = res.json() as { imported: number; rejected: { index: number; id?: string; reason: string }[]; reportId: string };
    expect(summary).toMatchObject({ imported: 1, rejected: [{ index: 1, id: 'indicator--nope' }] });
    expect(summary.rejected[0]?.reason).not.toBe('');
    const report = await t.deps.store.read.sharing.reports.byId(summary.reportId);
    expect(report).toMatchObject({ orgId: c.orgs.type2.id, stage: 'type1', tlp: 'amber' });
    expect(await t.deps.store.read.sharing.observables.forItem(summary.reportId)).toEqual([{ type: 'ipv4', value: '198.51.100.77' }]);
  });

  it('answers 4xx for what cannot be imported, storing nothing', async () => {
    const before = await reportCount();
    const client = await c.as('type2');
    const nothing = await client.request({ method: 'POST', url: '/api/v1/imports/stix', payload: bundle({ type: 'indicator', id: 'indicator--nope' }) });
    expect(nothing.statusCode).toBe(400);
    const body = nothing.json() as { error: { code: string; message: string; details: { imported: number; rejected: unknown[]; reportId: null } } };
    expect(body.error.code).toBe('import_nothing_imported');
    expect(body.error.message).toBe('取り込める内容がありませんでした。');
    expect(body.error.details).toMatchObject({ imported: 0, reportId: null, rejected: [expect.objectContaining({ index: 0, id: 'indicator--nope' })] });
    expect((await client.request({ method: 'POST', url: '/api/v1/imports/stix', payload: { Event: { info: 'MISP' } } })).statusCode).toBe(400);
    const viewer = await c.as('type2Viewer');
    expect((await viewer.request({ method: 'POST', url: '/api/v1/imports/stix', payload: bundle(indicator) })).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/imports/stix', payload: bundle(indicator) })).statusCode).toBe(401);
    expect(await reportCount()).toBe(before);
  });
});
