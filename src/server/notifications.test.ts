/**
 * The notifications API over HTTP on both databases — inbox, unread count, read marks, e-mail preference, webhooks
 * with their delivery log — and the live stream (`GET /api/v1/stream`) on a listening server: credentials, policy
 * per subscriber, resuming with Last-Event-ID.
 */
import type { LightMyRequestResponse } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RequestMeta } from '../core/context.js';
import type { InboxItem, StreamNotice, Webhook, WebhookDelivery, WebhookWithSecret } from '../core/notifications/model.js';
import { createAdvisory, releaseAdvisory, reviseAdvisory } from '../core/sharing/advisories.js';
import { AdvisoryCreate, AdvisoryRevise, ReleaseInput, type Stage } from '../core/sharing/model.js';
import { client, council, personIn, type Council, type Person, type TokenClient } from '../test/council.js';
import { ADMIN_PASSWORD, createTestApp, type TestApp } from '../test/http.js';
import { startHttpReceiver, openStream, waitFor, type HttpReceiver, type StreamClient } from '../test/notifications.js';
import { dialects } from '../test/stores.js';
import { sha256 } from '../core/crypto.js';
import { newId } from '../core/context.js';

const meta: RequestMeta = { ip: '192.0.2.1', userAgent: 'test' };

interface ErrorBody {
  error: { code: string; message: string };
}

describe.each(dialects)('notifications API on %s', (dialect) => {
  let t: TestApp;
  let c: Council;
  let hooks: HttpReceiver;
  beforeEach(async () => {
    hooks = await startHttpReceiver();
    t = await createTestApp(dialect, { webhookAllowPrivate: true, publicUrl: 'https://kyogikai.example.jp' });
    c = await council(t.deps);
  });
  afterEach(async () => {
    await t.close();
    await hooks.close();
  });

  const as = (p: { token: string }): TokenClient => client(t.app, p);
  const json = <T>(res: LightMyRequestResponse): T => res.json() as T;
  const run = () => t.app.notifications.worker.runUntilIdle();

  async function advisory(stage: Stage, over: Partial<AdvisoryCreate> = {}): Promise<string> {
    const author = await c.type1.actor();
    const a = await createAdvisory(t.deps, author, AdvisoryCreate.parse({ title: '不審な VPN 接続', summary: '要約', threat: '脅威', actions: '対策', ...over }), meta);
    for (const to of ['type1', 'type2', 'members', 'public'] as Stage[]) {
      await releaseAdvisory(t.deps, author, a.id, ReleaseInput.parse({ to }), meta);
      if (to === stage) break;
    }
    return a.id;
  }

  describe('inbox', () => {
    it('lists notices newest first in the reader’s language, pages by cursor, and marks them read', async () => {
      const reader = await personIn(t.deps, c.general.org, { locale: 'en' });
      const first = await advisory('members', { tlp: 'green', title: 'First' });
      const second = await advisory('members', { tlp: 'green', title: 'Second' });
      await run();

      const all = json<{ items: InboxItem[]; next: string | null }>(await as(reader).request({ method: 'GET', url: '/api/v1/inbox' }));
      expect(all.items.map((i) => [i.kind, i.title, i.link, i.readAt])).toEqual([
        ['advisory.released', 'Countermeasure information "Second" was released to all members', `/advisories/${second}`, null],
        ['advisory.released', 'Countermeasure information "First" was released to all members', `/advisories/${first}`, null],
      ]);
      const ja = json<{ items: InboxItem[] }>(await as(c.general).request({ method: 'GET', url: '/api/v1/inbox' }));
      expect(ja.items[0]?.title).toBe('対策情報「Second」が全構成員に公開されました');

      const page1 = json<{ items: InboxItem[]; next: string }>(await as(reader).request({ method: 'GET', url: '/api/v1/inbox?limit=1' }));
      const page2 = json<{ items: InboxItem[]; next: string | null }>(await as(reader).request({ method: 'GET', url: `/api/v1/inbox?limit=1&cursor=${page1.next}` }));
      expect([...page1.items, ...page2.items].map((i) => i.id)).toEqual(all.items.map((i) => i.id));
      expect(page2.next).toBeNull();

      const count = async () => json<{ count: number }>(await as(reader).request({ method: 'GET', url: '/api/v1/inbox/unread-count' })).count;
      expect(await count()).toBe(2);
      const read = await as(reader).request({ method: 'POST', url: `/api/v1/inbox/${all.items[1]?.id}/read` });
      expect(read.statusCode, read.body).toBe(200);
      expect(json(read)).toEqual({ count: 1 });
      const unread = json<{ items: InboxItem[] }>(await as(reader).request({ method: 'GET', url: '/api/v1/inbox?unread=1' }));
      expect(unread.items.map((i) => i.id)).toEqual([all.items[0]?.id]);

      // Someone else's notice does not exist for this reader.
      const others = await as(c.general).request({ method: 'POST', url: `/api/v1/inbox/${all.items[0]?.id}/read` });
      expect(others.statusCode).toBe(404);
      expect((await as(reader).request({ method: 'POST', url: '/api/v1/inbox/not-a-uuid/read' })).statusCode).toBe(400);

      expect(json(await as(reader).request({ method: 'POST', url: '/api/v1/inbox/read-all' }))).toEqual({ count: 0 });
      expect(await count()).toBe(0);
    });

    it('asks for credentials, and refuses a read-only token the changes', async () => {
      for (const url of ['/api/v1/inbox', '/api/v1/inbox/unread-count', '/api/v1/me/notifications', '/api/v1/webhooks']) {
        const res = await t.app.inject({ method: 'GET', url });
        expect(res.statusCode, url).toBe(401);
        expect(json<ErrorBody>(res).error.message).toBe('ログインしてください。');
      }
      const token = `kyg_${newId().replace(/-/g, '')}`;
      await t.deps.store.tx((r) =>
        r.tokens.insert({ id: newId(), userId: c.general.userId, name: 'ro', tokenHash: sha256(token), prefix: token.slice(0, 10), readOnly: true, expiresAt: '2099-01-01T00:00:00.000Z', createdAt: t.deps.now().toISOString(), lastUsedAt: null, revokedAt: null }),
      );
      expect((await as({ token }).request({ method: 'GET', url: '/api/v1/inbox' })).statusCode).toBe(200);
      const refused = await as({ token }).request({ method: 'POST', url: '/api/v1/inbox/read-all' });
      expect(refused.statusCode).toBe(403);
      expect(json<ErrorBody>(refused).error.code).toBe('read_only_token');
    });
  });

  describe('e-mail preference', () => {
    it('is immediate by default, lists the mandatory notices, changes, and refuses a wrong value in the reader’s language', async () => {
      const get = async () => json<{ email: string; mandatory: string[] }>(await as(c.general).request({ method: 'GET', url: '/api/v1/me/notifications' }));
      const before = await get();
      expect(before.email).toBe('immediate');
      expect(before.mandatory).toEqual(['feedback.requested', 'feedback.reminder', 'feedback.closed', 'request.issued', 'request.reminder', 'request.closed']);
      const put = await as(c.general).request({ method: 'PUT', url: '/api/v1/me/notifications', payload: { email: 'digest' } });
      expect(put.statusCode, put.body).toBe(200);
      expect((await get()).email).toBe('digest');
      const audit = await t.deps.store.read.audit.list({ action: 'notification.settings', limit: 5 });
      expect(audit.map((a) => a.detail)).toEqual([{ email: 'digest' }]);

      const english = await personIn(t.deps, c.general.org, { locale: 'en' });
      const bad = await as(english).request({ method: 'PUT', url: '/api/v1/me/notifications', payload: { email: 'sometimes' } });
      expect(bad.statusCode).toBe(400);
      expect(json<ErrorBody>(bad).error.message).toBe('The input is not valid.');
      expect((await get()).email).toBe('digest');
    });
  });

  describe('webhooks', () => {
    let admin: Person;
    beforeEach(async () => {
      admin = await personIn(t.deps, c.type2.org, { role: 'admin', totp: true });
    });

    it('are registered by an organisation administrator, show the secret once, log deliveries, send a test and go away', async () => {
      const events = json<{ items: { name: string; ja: string; en: string }[] }>(await as(admin).request({ method: 'GET', url: '/api/v1/webhooks/events' }));
      expect(events.items).toContainEqual({ name: 'feedback.requested', ja: 'フィードバックの依頼', en: 'Feedback requested' });
      expect(events.items.map((e) => e.name)).not.toContain('consultation.received');
      expect((await as(c.general).request({ method: 'GET', url: '/api/v1/webhooks/events' })).statusCode).toBe(200);
      expect((await t.app.inject({ method: 'GET', url: '/api/v1/webhooks/events' })).statusCode).toBe(401);

      const created = await as(admin).request({ method: 'POST', url: '/api/v1/webhooks', payload: { url: hooks.url, events: ['feedback.requested'], description: 'SOC' } });
      expect(created.statusCode, created.body).toBe(201);
      const hook = json<WebhookWithSecret>(created);
      expect(hook.secret).toMatch(/^whsec_/);
      const listed = json<{ items: Webhook[] }>(await as(admin).request({ method: 'GET', url: '/api/v1/webhooks' }));
      expect(listed.items).toEqual([{ id: hook.id, url: hook.url, events: ['feedback.requested'], description: 'SOC', createdAt: hook.createdAt, createdBy: admin.userId }]);
      expect(JSON.stringify(listed)).not.toContain(hook.secret);
      expect((await t.deps.store.read.audit.list({ action: 'webhook.create', limit: 5 }))[0]?.detail).toEqual({ url: hooks.url, events: ['feedback.requested'] });

      const test = await as(admin).request({ method: 'POST', url: `/api/v1/webhooks/${hook.id}/test` });
      expect(test.statusCode, test.body).toBe(202);
      await advisory('type2', { tlp: 'green' });
      await run();
      const page1 = json<{ items: WebhookDelivery[]; next: string }>(await as(admin).request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries?limit=1` }));
      const page2 = json<{ items: WebhookDelivery[]; next: string | null }>(
        await as(admin).request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries?limit=1&cursor=${page1.next}` }),
      );
      expect([...page1.items, ...page2.items].map((d) => [d.event, d.status, d.responseStatus])).toEqual([
        ['feedback.requested', 'delivered', 200],
        ['ping', 'delivered', 200],
      ]);
      expect(hooks.requests).toHaveLength(2);

      // Another organisation's administrator cannot see it, nor can a member who is not an administrator.
      const stranger = await personIn(t.deps, c.general.org, { role: 'admin' });
      expect((await as(stranger).request({ method: 'GET', url: `/api/v1/webhooks/${hook.id}/deliveries` })).statusCode).toBe(404);
      expect((await as(stranger).request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` })).statusCode).toBe(404);
      const analyst = await as(c.type2).request({ method: 'GET', url: '/api/v1/webhooks' });
      expect(analyst.statusCode).toBe(403);

      expect((await as(admin).request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` })).statusCode).toBe(204);
      expect(json<{ items: Webhook[] }>(await as(admin).request({ method: 'GET', url: '/api/v1/webhooks' })).items).toEqual([]);
      expect((await as(admin).request({ method: 'DELETE', url: `/api/v1/webhooks/${hook.id}` })).statusCode).toBe(404);
    });

    it('refuses events that cannot be subscribed to and URLs that are not http(s), with nothing stored', async () => {
      for (const payload of [
        { url: hooks.url, events: ['nope'] },
        { url: hooks.url, events: ['consultation.received'] },
        { url: hooks.url, events: [] },
        { url: 'file:///etc/passwd', events: ['feedback.requested'] },
        { url: 'https://user:secret@example.com/x', events: ['feedback.requested'] },
      ]) {
        const res = await as(admin).request({ method: 'POST', url: '/api/v1/webhooks', payload });
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      }
      expect(await t.deps.store.read.notifications.webhooks.listByOrg(c.type2.org.id)).toEqual([]);
    });
  });

  describe('the live stream', () => {
    let base: string;
    const streams: StreamClient[] = [];
    beforeEach(async () => {
      base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    });
    afterEach(() => {
      for (const s of streams.splice(0)) s.close();
    });
    const open = async (p: Person, headers: Record<string, string> = {}) => {
      const s = await openStream(`${base}/api/v1/stream`, { authorization: `Bearer ${p.token}`, ...headers });
      streams.push(s);
      return s;
    };
    const notices = (s: StreamClient) => s.messages.filter((m) => m.event === 'notification').map((m) => ({ id: Number(m.id), ...(JSON.parse(m.data) as StreamNotice) }));

    it('answers 401 without credentials and streams text/event-stream with them (token or session)', async () => {
      const anonymous = await openStream(`${base}/api/v1/stream`);
      streams.push(anonymous);
      expect(anonymous.status).toBe(401);
      const bad = await openStream(`${base}/api/v1/stream`, { authorization: 'Bearer kyg_nothing' });
      streams.push(bad);
      expect(bad.status).toBe(401);

      const s = await open(c.general);
      expect(s.status).toBe(200);
      expect(s.headers['content-type']).toBe('text/event-stream; charset=utf-8');
      await waitFor(() => s.raw().startsWith('retry: 5000'), 'the retry line');

      const session = await t.signIn('admin', ADMIN_PASSWORD);
      const viaCookie = await openStream(`${base}/api/v1/stream`, { cookie: session.cookie });
      streams.push(viaCookie);
      expect(viaCookie.status).toBe(200);
    });

    it('gives each subscriber what the policy lets it read, live, and resumes after Last-Event-ID', async () => {
      const type2 = await open(c.type2);
      const general = await open(c.general);
      const toType2 = await advisory('type2', { tlp: 'amber', title: '第二類向け' });
      await waitFor(() => notices(type2).length === 1, 'the type 2 notice');
      const [seen] = notices(type2);
      expect(seen).toMatchObject({ kind: 'feedback.requested', title: '対策情報「第二類向け」へのフィードバックをお願いします', link: `/advisories/${toType2}` });

      await releaseAdvisory(t.deps, await c.type1.actor(), toType2, ReleaseInput.parse({ to: 'members' }), meta);
      await waitFor(() => notices(general).length === 1, 'the members notice');
      expect(notices(general).map((n) => n.kind)).toEqual(['advisory.released']);
      // The Type 2 member had it already: a release tells only its new audience.
      expect(notices(type2)).toHaveLength(1);

      // Disconnect, miss two notices, come back with the last id seen: the missed ones first, in order, then live.
      type2.close();
      const missed = [await advisory('type2', { title: '見逃した一' }), await advisory('type2', { title: '見逃した二' })];
      const back = await open(c.type2, { 'last-event-id': String(seen?.id) });
      await waitFor(() => notices(back).length === 2, 'the replay');
      expect(notices(back).map((n) => n.link)).toEqual(missed.map((id) => `/advisories/${id}`));
      const live = await advisory('type2', { title: '再接続の後' });
      await waitFor(() => notices(back).length === 3, 'the live notice after the replay');
      expect(notices(back)[2]?.link).toBe(`/advisories/${live}`);
      const ids = notices(back).map((n) => n.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
      expect(notices(general).map((n) => n.kind)).toEqual(['advisory.released']);
    });

    it('replays nothing of an item narrowed since its notice (a revision to TLP:RED)', async () => {
      const first = await open(c.type2);
      await advisory('type2', { title: '目印' });
      await waitFor(() => notices(first).length === 1, 'the marker');
      const [seen] = notices(first);
      first.close();
      const narrowed = await advisory('type2', { tlp: 'green', title: '後から赤に' });
      await reviseAdvisory(t.deps, await c.type1.actor(), narrowed, AdvisoryRevise.parse({ title: '後から赤に', summary: '要約', threat: '脅威', actions: '対策', tlp: 'red' }), meta);
      const kept = await advisory('type2', { title: '残る通知' });
      const back = await open(c.type2, { 'last-event-id': String(seen?.id) });
      await waitFor(() => notices(back).some((n) => n.link === `/advisories/${kept}`), 'the replay up to the kept notice');
      expect(notices(back).map((n) => n.link)).toEqual([`/advisories/${kept}`]);
      expect(back.raw()).not.toContain('後から赤に');
    });
  });

  it('documents every notifications route in the OpenAPI document', async () => {
    const doc = json<{ paths: Record<string, Record<string, unknown>> }>(await t.app.inject({ method: 'GET', url: '/api/openapi.json' }));
    for (const [path, method] of [
      ['/api/v1/inbox', 'get'],
      ['/api/v1/inbox/unread-count', 'get'],
      ['/api/v1/inbox/{id}/read', 'post'],
      ['/api/v1/inbox/read-all', 'post'],
      ['/api/v1/me/notifications', 'get'],
      ['/api/v1/me/notifications', 'put'],
      ['/api/v1/webhooks', 'get'],
      ['/api/v1/webhooks', 'post'],
      ['/api/v1/webhooks/{id}', 'delete'],
      ['/api/v1/webhooks/{id}/deliveries', 'get'],
      ['/api/v1/webhooks/{id}/test', 'post'],
      ['/api/v1/webhooks/events', 'get'],
      ['/api/v1/stream', 'get'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    const stream = doc.paths['/api/v1/stream']?.get as { responses: Record<string, { content?: Record<string, unknown> }> };
    expect(Object.keys(stream.responses['200']?.content ?? {})).toContain('text/event-stream');
  });
});

describe.each(dialects)('webhook addresses on %s', (dialect) => {
  let t: TestApp;
  beforeEach(async () => {
    t = await createTestApp(dialect);
  });
  afterEach(() => t.close());

  it('refuses loopback and private addresses at registration unless the operator allows them', async () => {
    const c = await council(t.deps);
    const admin = await personIn(t.deps, c.type2.org, { role: 'admin', totp: true });
    for (const url of ['http://127.0.0.1:8080/hook', 'http://localhost/hook', 'http://10.0.0.5/hook', 'http://169.254.169.254/latest', 'http://[::1]/hook']) {
      const res = await client(t.app, admin).request({ method: 'POST', url: '/api/v1/webhooks', payload: { url, events: ['feedback.requested'] } });
      expect(res.statusCode, url).toBe(400);
      expect((res.json() as ErrorBody).error.code).toBe('webhook_url_private');
      expect((res.json() as ErrorBody).error.message).toMatch(/内部ネットワークのアドレス/);
    }
  });
});
