/**
 * Notifications in the core, on both databases: who an event reaches (always what the policy says), the durable job
 * queue (claims, leases, retries, one job to one worker), deadline reminders and tallies, and the rules that decide
 * what may leave the platform. Delivery through real SMTP and HTTP receivers is in src/server/notifications-*.test.ts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserActor } from '../actor.js';
import { iso, newId, type RequestMeta } from '../context.js';
import { canRead, type ItemFacts } from '../policy.js';
import { createAdvisory, releaseAdvisory, reviseAdvisory } from '../sharing/advisories.js';
import { submitFeedback } from '../sharing/feedback.js';
import { declareCampaign, issueRequest } from '../sharing/requests.js';
import { AdvisoryCreate, AdvisoryRevise, ReleaseInput, type Stage, type Tlp } from '../sharing/model.js';
import { bootstrap } from '../usecases/bootstrap.js';
import { ADMIN_PASSWORD } from '../../test/http.js';
import { council, person, personIn, type Council, type Person } from '../../test/council.js';
import { createTestStore, dialects, testDeps, type TestStore } from '../../test/stores.js';
import { compileAudience, isRecipient, organizationViewer, personViewer } from './audience.js';
import { listInbox } from './inbox.js';
import { actorsFor } from './recipients.js';
import type { EventRecord, WebhookSender } from './ports.js';
import { contentMayLeave, renderMail, renderNotice } from './render.js';
import { signatureHeader, verifySignature } from './signature.js';
import { checkWebhookUrl, isPrivateAddress } from './ssrf.js';
import { createWorker, defaultNotificationConfig, nextDigestAt, type Worker } from './worker.js';

const meta: RequestMeta = { ip: '192.0.2.1', userAgent: 'test' };
const HOUR = 3_600_000;
const silent = { info() {}, warn() {}, error() {} };
/** These tests deliver no webhooks; the HTTP sender is tested with a real receiver in src/server. */
const noWebhooks: WebhookSender = { post: () => Promise.reject(new Error('no webhook delivery in this test')) };

const advisoryInput = (over: Partial<AdvisoryCreate> = {}): AdvisoryCreate =>
  AdvisoryCreate.parse({
    title: 'VPN 装置の脆弱性を悪用した侵入',
    summary: '複数の組織で VPN 装置経由の侵入を確認した。',
    threat: '認証回避の脆弱性。',
    actions: '修正版を適用し、ログを確認すること。',
    ...over,
  });

describe('who hears of an event, and what may leave the platform', () => {
  const event = (over: Partial<EventRecord> = {}): EventRecord => ({
    id: 7,
    type: 'advisory.released',
    subjectType: 'advisory',
    subjectId: '0190f0aa-0000-7000-8000-000000000001',
    actorUserId: null,
    audience: {},
    data: { title: '秘密の題名', stage: 'members', version: 1 },
    tlp: 'amber',
    createdAt: '2026-04-01T00:00:00.000Z',
    ...over,
  });

  it('puts the TLP label in the subject and at the head and foot of the text, and the content only for CLEAR and GREEN', () => {
    const ctx = { publicUrl: 'https://kyogikai.example.jp', council: 'サイバーセキュリティ協議会' };
    const amber = renderMail(event(), 'ja', ctx);
    expect(amber.subject).toBe('[TLP:AMBER] 【サイバーセキュリティ協議会】対策情報が全構成員に公開されました');
    expect(amber.text).not.toContain('秘密の題名');
    expect(amber.text.split('\n')[0]).toBe('TLP:AMBER');
    expect(amber.text.split('\n').at(-1)).toBe('TLP:AMBER');
    expect(amber.text).toContain('https://kyogikai.example.jp/advisories/0190f0aa-0000-7000-8000-000000000001');
    expect(amber.text).toContain('内容はメールに記載していません');

    const green = renderMail(event({ tlp: 'green' }), 'en', ctx);
    expect(green.subject).toBe('[TLP:GREEN] [サイバーセキュリティ協議会] Countermeasure information "秘密の題名" was released to all members');
    for (const tlp of ['amber', 'amber+strict', 'red'] as Tlp[]) {
      expect(contentMayLeave({ tlp })).toBe(false);
      expect(renderMail(event({ tlp }), 'en', ctx).text).not.toContain('秘密の題名');
    }
    // In the app the reader may read the item: the title is there.
    expect(renderNotice(event(), 'ja', { detail: true }).title).toContain('秘密の題名');
  });

  it('keeps a tally out of mail for anything above GREEN, but not the deadline', () => {
    const closed = event({ type: 'feedback.closed', data: { title: 't', deadline: '2026-04-02T09:00:00.000Z', seen: 3, notSeen: 1, unknown: 0, notAnswered: 2 } });
    expect(renderNotice(closed, 'ja', { detail: true }).body).toContain('来ている 3件');
    expect(renderNotice(closed, 'ja', { detail: false }).body).toBeUndefined();
    const reminder = event({ type: 'feedback.reminder', data: { title: 't', deadline: '2026-04-02T09:00:00.000Z' } });
    expect(renderNotice(reminder, 'ja', { detail: false }).body).toContain('2026年4月2日 18:00（日本時間）');
  });

  it('signs webhook bodies as Stripe does and refuses a changed body, another secret or an old timestamp', () => {
    const body = '{"event":"ping"}';
    const header = signatureHeader('whsec_x', body, 1_775_000_000);
    expect(header).toMatch(/^t=1775000000,v1=[0-9a-f]{64}$/);
    expect(verifySignature('whsec_x', body, header, 1_775_000_100)).toBe(true);
    expect(verifySignature('whsec_x', `${body} `, header, 1_775_000_100)).toBe(false);
    expect(verifySignature('whsec_y', body, header, 1_775_000_100)).toBe(false);
    expect(verifySignature('whsec_x', body, header, 1_775_001_000)).toBe(false);
  });

  it('refuses loopback, private, link-local and mapped addresses unless allowed', async () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fe80::1', 'fd00::1', '::ffff:127.0.0.1', '::ffff:10.0.0.1']) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ['8.8.8.8', '203.0.114.1', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isPrivateAddress(a), a).toBe(false);
    await expect(checkWebhookUrl('http://127.0.0.1:8080/x', { allowPrivate: false })).rejects.toMatchObject({ code: 'webhook_url_private' });
    await expect(checkWebhookUrl('http://[::1]/x', { allowPrivate: false })).rejects.toMatchObject({ code: 'webhook_url_private' });
    await expect(checkWebhookUrl('http://localhost/x', { allowPrivate: false })).rejects.toMatchObject({ code: 'webhook_url_private' });
    await expect(checkWebhookUrl('ftp://example.com/x', { allowPrivate: false })).rejects.toMatchObject({ code: 'webhook_url_invalid' });
    await expect(checkWebhookUrl('https://user:pw@example.com/x', { allowPrivate: false })).rejects.toMatchObject({ code: 'webhook_url_invalid' });
    await expect(checkWebhookUrl('https://203.0.114.9/hook', { allowPrivate: false })).resolves.toBeInstanceOf(URL);
    await expect(checkWebhookUrl('http://127.0.0.1:8080/x', { allowPrivate: true })).resolves.toBeInstanceOf(URL);
  });

  it('sends the daily digest at the next digest hour in Japan time', () => {
    expect(iso(nextDigestAt(new Date('2026-04-01T00:00:00Z'), 8))).toBe('2026-04-01T23:00:00.000Z'); // 09:00 JST → next day 08:00
    expect(iso(nextDigestAt(new Date('2026-04-01T22:59:00Z'), 8))).toBe('2026-04-01T23:00:00.000Z');
    expect(iso(nextDigestAt(new Date('2026-04-01T23:00:00Z'), 8))).toBe('2026-04-02T23:00:00.000Z');
  });
});

describe.each(dialects)('notifications on %s', (dialect) => {
  let db: TestStore;
  let deps: ReturnType<typeof testDeps>;
  let c: Council;
  let worker: Worker;

  beforeEach(async () => {
    db = await createTestStore(dialect);
    deps = testDeps(db.store);
    await bootstrap(deps, ADMIN_PASSWORD);
    c = await council(deps);
    worker = createWorker({ deps, config: defaultNotificationConfig, mailer: null, webhooks: noWebhooks, log: silent });
  });
  afterEach(() => db.cleanup());

  const inboxOf = async (p: Person) => (await deps.store.read.notifications.inbox.list({ userId: p.userId, unread: false, limit: 100 })).map((x) => x.event);
  const everyone = (): Person[] => Object.values(c);

  async function advisoryAt(stage: Stage, over: Partial<AdvisoryCreate> = {}): Promise<string> {
    const author = await c.type1.actor();
    const a = await createAdvisory(deps, author, advisoryInput(over), meta);
    for (const to of ['type1', 'type2', 'members', 'public'] as Stage[]) {
      if (stage === 'draft') break;
      await releaseAdvisory(deps, author, a.id, ReleaseInput.parse({ to }), meta);
      if (to === stage) break;
    }
    return a.id;
  }

  it('tells of each release exactly the users the policy lets read it now and not before, never the releaser', async () => {
    const extra = [
      await personIn(deps, c.type2.org, { role: 'viewer', totp: true }),
      await personIn(deps, c.type2.org, { role: 'analyst' }), // no second factor: task-force stages stay closed
      await person(deps, { memberClass: 'type2', foreignCapital: true, specialApproval: false }, { totp: true }),
      await person(deps, { memberClass: 'none' }),
    ];
    const people = [...everyone(), ...extra];
    const id = await advisoryAt('draft');
    const releaser = await c.type1.actor();
    let before: ItemFacts = { stage: 'draft', tlp: 'amber', ownerOrgId: c.type1.org.id, recipientUserIds: [] };
    for (const to of ['type1', 'type2', 'members'] as Stage[]) {
      await releaseAdvisory(deps, releaser, id, ReleaseInput.parse({ to }), meta);
      await worker.runUntilIdle();
      const after: ItemFacts = { ...before, stage: to };
      for (const p of people) {
        const actor = await p.actor();
        const expected = p.userId !== releaser.userId && canRead(actor, after) && !canRead(actor, before);
        const got = (await inboxOf(p)).filter((e) => e.subjectId === id && e.data.stage === to);
        expect(got.length, `${p.login} at ${to}`).toBe(expected ? 1 : 0);
      }
      before = after;
    }
    // The release to Type 2 is a request for feedback (mandatory), with a deadline.
    const [asked] = (await inboxOf(c.type2)).filter((e) => e.subjectId === id);
    expect(asked?.type).toBe('feedback.requested');
    expect(asked?.data.deadline).toBeTypeOf('string');
  });

  it('gives TLP:RED to its named recipients only, and to a webhook only of the owning organisation', async () => {
    const named = c.type2;
    const id = await advisoryAt('draft', { tlp: 'red', recipientUserIds: [named.userId] });
    await releaseAdvisory(deps, await c.type1.actor(), id, ReleaseInput.parse({ to: 'type1' }), meta);
    await releaseAdvisory(deps, await c.type1.actor(), id, ReleaseInput.parse({ to: 'type2' }), meta);
    await worker.runUntilIdle();
    const reached = [];
    for (const p of everyone()) if ((await inboxOf(p)).some((e) => e.subjectId === id)) reached.push(p.login);
    expect(reached).toEqual([named.login]);

    const [e] = await deps.store.read.notifications.events.after(0, 100).then((all) => all.filter((x) => x.subjectId === id && x.data.stage === 'type2'));
    const compiled = compileAudience({ item: e?.audience.item as ItemFacts });
    expect(isRecipient(personViewer(await named.actor()), compiled)).toBe(true);
    expect(isRecipient(organizationViewer(await named.actor()), compiled)).toBe(false);
    expect(isRecipient(organizationViewer(await c.type1.actor()), compiled)).toBe(true);
  });

  it('reminds those who have not answered before the deadline and tells the Type 1 group the tally when it closes', async () => {
    const other = await person(deps, { memberClass: 'type2', nameJa: '第二類銀行', nameEn: 'Type Two Bank' }, { totp: true });
    const id = await advisoryAt('type2');
    await worker.runUntilIdle();
    const reminders = await deps.store.read.notifications.jobs.pending('reminder');
    const advisory = await deps.store.read.sharing.advisories.byId(id);
    const deadline = new Date(advisory?.feedbackDeadline as string).getTime();
    expect(reminders.map((j) => j.runAt).sort()).toEqual([iso(new Date(deadline - 6 * HOUR)), iso(new Date(deadline))]);

    await submitFeedback(deps, await c.type2.actor(), id, { answer: 'seen', sightings: [] }, meta);
    deps.clock.advance(18 * HOUR + 60_000);
    await worker.runUntilIdle();
    const remindedOf = async (p: Person) => (await inboxOf(p)).filter((e) => e.type === 'feedback.reminder').length;
    expect(await remindedOf(other)).toBe(1);
    expect(await remindedOf(c.type2)).toBe(0);
    expect(await remindedOf(c.general)).toBe(0);

    deps.clock.advance(6 * HOUR);
    await worker.runUntilIdle();
    const closed = (await inboxOf(c.designated)).find((e) => e.type === 'feedback.closed');
    expect(closed?.data).toMatchObject({ seen: 1, notSeen: 0, unknown: 0, notAnswered: 1 });
    expect((await inboxOf(c.type2)).some((e) => e.type === 'feedback.closed')).toBe(false);
    // Running again sends nothing twice.
    await worker.runUntilIdle();
    expect((await inboxOf(c.designated)).filter((e) => e.type === 'feedback.closed')).toHaveLength(1);
  });

  it('tells addressed organisations of an information request, reminds the missing ones, and gives the status holders the counts', async () => {
    const sec = await c.secretariat.actor();
    const campaign = await declareCampaign(deps, sec, { title: '大規模攻撃', description: 'DDoS' }, meta);
    const deadline = new Date(deps.now().getTime() + 48 * HOUR).toISOString();
    const x = await issueRequest(deps, sec, campaign.id, { title: '観測状況の提供', body: '通信量の変化を教えてください。', deadline, audience: 'general' }, meta);
    await worker.runUntilIdle();
    for (const p of [c.general, c.general2, c.committee]) expect((await inboxOf(p)).map((e) => e.type), p.login).toContain('request.issued');
    for (const p of [c.type1, c.type2, c.designated]) expect((await inboxOf(p)).map((e) => e.type), p.login).not.toContain('request.issued');

    deps.clock.advance(42 * HOUR + 60_000);
    await worker.runUntilIdle();
    expect((await inboxOf(c.general)).filter((e) => e.type === 'request.reminder')).toHaveLength(1);
    deps.clock.advance(6 * HOUR);
    await worker.runUntilIdle();
    const closed = (await inboxOf(c.designated)).find((e) => e.type === 'request.closed' && e.subjectId === x.id);
    expect(closed?.data).toMatchObject({ addressed: 3, answered: 0, refused: 0, missing: 3 });
    expect((await inboxOf(c.general)).some((e) => e.type === 'request.closed')).toBe(false);
  });

  it('hides the title of a notice whose item its reader can no longer see', async () => {
    const id = await advisoryAt('type2');
    await worker.runUntilIdle();
    const before = await listInbox(deps, await c.type2.actor(), { unread: false, limit: 10 });
    expect(before.items.find((i) => i.link === `/advisories/${id}`)?.title).toContain('VPN 装置');
    await deps.store.tx((r) => r.organizations.update(c.type2.org.id, { status: 'suspended' }));
    const after = await listInbox(deps, await c.type2.actor(), { unread: false, limit: 10 });
    const item = after.items.find((i) => i.link === `/advisories/${id}`);
    expect(item?.title).toBe('閲覧できなくなった項目についての通知');
  });

  it('hides the title of a notice whose item was narrowed since (a revision to TLP:RED)', async () => {
    const id = await advisoryAt('type2', { tlp: 'green' });
    await worker.runUntilIdle();
    await reviseAdvisory(deps, await c.type1.actor(), id, AdvisoryRevise.parse({ ...advisoryInput(), title: '新しい題名', tlp: 'red' }), meta);
    const after = await listInbox(deps, await c.type2.actor(), { unread: false, limit: 10 });
    const item = after.items.find((i) => i.link === `/advisories/${id}`);
    expect(item?.title).toBe('閲覧できなくなった項目についての通知');
  });

  describe('the job table', () => {
    const at = () => iso(deps.now());
    const enqueue = (n: number) =>
      deps.store.tx((r) =>
        r.notifications.jobs.enqueueMany(
          Array.from({ length: n }, (_, i) => ({ kind: 'mail' as const, key: `test:${i}`, payload: { i }, runAt: at(), createdAt: at() })),
        ),
      );
    const claim = (workerId: string, limit = 100) =>
      deps.store.tx((r) =>
        r.notifications.jobs.claim({ now: at(), leaseUntil: iso(new Date(deps.now().getTime() + 60_000)), workerId, limit }),
      );

    it('queues a key once, gives a job to one worker, and to another when the lease runs out', async () => {
      await enqueue(3);
      await enqueue(3);
      expect(await deps.store.read.notifications.jobs.pending()).toHaveLength(3);
      const a = await claim('a');
      expect(a.map((j) => j.attempts)).toEqual([1, 1, 1]);
      expect(await claim('b')).toEqual([]);
      deps.clock.advance(61_000);
      const b = await claim('b');
      expect(b.map((j) => j.attempts)).toEqual([2, 2, 2]);
      // The worker that lost its lease can no longer complete the job; the one holding it can.
      const first = b[0];
      if (!first) throw new Error('no job');
      await deps.store.read.notifications.jobs.complete(first.id, 'a', at());
      expect(await deps.store.read.notifications.jobs.pending()).toHaveLength(3);
      await deps.store.read.notifications.jobs.complete(first.id, 'b', at());
      expect(await deps.store.read.notifications.jobs.pending()).toHaveLength(2);
      const second = b[1];
      if (!second) throw new Error('no job');
      await deps.store.read.notifications.jobs.retry(second.id, 'b', iso(new Date(deps.now().getTime() + 30_000)), 'smtp down');
      expect((await claim('c')).map((j) => j.id)).not.toContain(second.id);
      deps.clock.advance(30_000);
      expect((await claim('c')).map((j) => j.id)).toContain(second.id);
    });

    it('never gives one job to two workers claiming at the same time', async () => {
      await enqueue(200);
      const [x, y, z] = await Promise.all([claim('x', 80), claim('y', 80), claim('z', 80)]);
      const ids = [...(x ?? []), ...(y ?? []), ...(z ?? [])].map((j) => j.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids).toHaveLength(200);
    });

    it('leaves an inbox row of the same event and user alone', async () => {
      const e = await deps.store.tx((r) =>
        r.notifications.events.append({ type: 'report.created', subjectType: 'report', subjectId: newId(), actorUserId: null, audience: {}, data: {}, tlp: 'green', createdAt: at() }),
      );
      const row = { userId: c.general.userId, eventId: e.id, createdAt: at(), readAt: null, digestPending: false };
      await deps.store.tx((r) => r.notifications.inbox.insertMany([{ ...row, id: newId() }]));
      await deps.store.tx((r) => r.notifications.inbox.insertMany([{ ...row, id: newId() }]));
      expect(await deps.store.read.notifications.inbox.unreadCount(c.general.userId)).toBe(1);
    });
  });

  it('hands out event ids in commit order to writers racing each other', async () => {
    const append = () =>
      deps.store.tx(async (r) => {
        const e = await r.notifications.events.append({ type: 'report.created', subjectType: 'report', subjectId: newId(), actorUserId: null, audience: {}, data: {}, tlp: 'green', createdAt: iso(deps.now()) });
        // Hold the transaction open a moment, as a use case does after emitting.
        await new Promise((res) => setTimeout(res, 5));
        return e.id;
      });
    // The order in which the commits come back is the order a reader can first see the events in.
    const committed: number[] = [];
    await Promise.all(Array.from({ length: 20 }, () => append().then((id) => committed.push(id))));
    expect(committed).toHaveLength(20);
    expect(committed).toEqual([...committed].sort((a, b) => a - b));
  });

  it('builds the same actors for a fan-out as a sign-in builds', async () => {
    const all = await deps.store.read.notifications.recipients.candidates({ limit: 100 });
    const built = await actorsFor(deps.store.read, all, deps.now());
    for (const p of everyone()) {
      const signedIn: UserActor = await p.actor();
      const mine = built.find((b) => b.user.id === p.userId)?.actor;
      expect({ ...mine, via: 'token', tokenId: signedIn.tokenId }).toEqual(signedIn);
    }
  });
});
