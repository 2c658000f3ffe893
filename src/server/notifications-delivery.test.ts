/**
 * Delivery of notifications on both databases, through a real SMTP server and a real HTTP receiver started in this
 * process: e-mail in the reader's language with the TLP label and no AMBER/RED content, preferences and the daily
 * digest, mandatory notices, an SMTP outage that delays and never loses, mail to a consulter outside the council,
 * and webhooks — signed, policy-filtered, retried with backoff, logged, refused private addresses at delivery.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { iso, type RequestMeta } from '../core/context.js';
import { setNotificationSettings } from '../core/notifications/inbox.js';
import { verifySignature } from '../core/notifications/signature.js';
import { createWebhook, deleteWebhook, listDeliveries, testWebhook } from '../core/notifications/webhooks.js';
import { createWorker, defaultNotificationConfig, nextDigestAt } from '../core/notifications/worker.js';
import { createAdvisory, releaseAdvisory, reviseAdvisory } from '../core/sharing/advisories.js';
import { answerConsultation, issueChallenge, solveChallenge, submitConsultation } from '../core/sharing/consultations.js';
import { AdvisoryCreate, AdvisoryRevise, ReleaseInput, type Stage } from '../core/sharing/model.js';
import { declareCampaign, issueRequest } from '../core/sharing/requests.js';
import { council, personIn, type Council, type Person } from '../test/council.js';
import { createTestApp, type TestApp } from '../test/http.js';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../test/notifications.js';
import { dialects } from '../test/stores.js';
import { httpWebhookSender } from './notifications/webhook-http.js';

const meta: RequestMeta = { ip: '192.0.2.1', userAgent: 'test' };
const HOUR = 3_600_000;
const PUBLIC_URL = 'https://kyogikai.example.jp';
const silent = { info() {}, warn() {}, error() {} };

describe.each(dialects)('notification delivery on %s', (dialect) => {
  let smtp: SmtpReceiver;
  let hooks: HttpReceiver;
  let t: TestApp;
  let c: Council;

  beforeEach(async () => {
    smtp = await startSmtpReceiver();
    hooks = await startHttpReceiver();
    t = await createTestApp(dialect, { smtpUrl: smtp.url, mailFrom: 'kyogikai <noreply@kyogikai.example.jp>', publicUrl: PUBLIC_URL, webhookAllowPrivate: true });
    c = await council(t.deps);
  });
  afterEach(async () => {
    await t.close();
    await smtp.close();
    await hooks.close();
  });

  const deps = () => t.deps;
  const run = () => t.app.notifications.worker.runUntilIdle();
  const mailsTo = (p: Person) => smtp.mails.filter((m) => m.to.includes(`${p.login}@example.org`));

  async function advisory(stage: Stage, over: Partial<AdvisoryCreate> = {}): Promise<string> {
    const author = await c.type1.actor();
    const a = await createAdvisory(deps(), author, AdvisoryCreate.parse({ title: '不審な VPN 接続', summary: '要約', threat: '脅威', actions: '対策', ...over }), meta);
    for (const to of ['type1', 'type2', 'members', 'public'] as Stage[]) {
      await releaseAdvisory(deps(), author, a.id, ReleaseInput.parse({ to }), meta);
      if (to === stage) break;
    }
    return a.id;
  }

  it('mails in the reader’s language with the TLP label, the content of GREEN and only a link for AMBER', async () => {
    const english = await personIn(deps(), c.type2.org, { totp: true, locale: 'en' });
    const green = await advisory('type2', { tlp: 'green', title: '緑の題名' });
    const amber = await advisory('type2', { tlp: 'amber', title: '琥珀の題名' });
    await run();

    const ja = mailsTo(c.type2);
    expect(ja.map((m) => m.subject).sort()).toEqual([
      '[TLP:AMBER] 【サイバーセキュリティ協議会】対策情報へのフィードバックをお願いします',
      '[TLP:GREEN] 【サイバーセキュリティ協議会】対策情報「緑の題名」へのフィードバックをお願いします',
    ]);
    const amberMail = ja.find((m) => m.subject.startsWith('[TLP:AMBER]'));
    expect(amberMail?.text).not.toContain('琥珀の題名');
    expect(amberMail?.text).toContain(`${PUBLIC_URL}/advisories/${amber}`);
    expect(amberMail?.text.split('\n')[0]).toBe('TLP:AMBER');
    expect(ja.find((m) => m.subject.startsWith('[TLP:GREEN]'))?.text).toContain(`${PUBLIC_URL}/advisories/${green}`);

    const en = mailsTo(english);
    expect(en.map((m) => m.subject)).toContain('[TLP:GREEN] [Cybersecurity Council] Please give feedback on the countermeasure information "緑の題名"');
    expect(en[0]?.headers['content-language']).toBe('en');
    // Each notice once, with a Message-ID a receiver can recognise a repeat by.
    expect(new Set(smtp.mails.map((m) => m.messageId)).size).toBe(smtp.mails.length);
    // Nobody outside the item's new audience got a mail.
    expect(mailsTo(c.general)).toEqual([]);
    expect(mailsTo(c.type1)).toEqual([]);
  });

  it('follows each user’s preference — immediate, a daily digest, or none — but always mails mandatory notices', async () => {
    await setNotificationSettings(deps(), await c.general2.actor(), { email: 'digest' }, meta);
    await setNotificationSettings(deps(), await c.committee.actor(), { email: 'off' }, meta);
    await advisory('members', { tlp: 'green', title: '全構成員向けの題名' });
    await run();
    expect(mailsTo(c.general).map((m) => m.subject)).toEqual(['[TLP:GREEN] 【サイバーセキュリティ協議会】対策情報「全構成員向けの題名」が全構成員に公開されました']);
    expect(mailsTo(c.general2)).toEqual([]);
    expect(mailsTo(c.committee)).toEqual([]);

    const digestAt = nextDigestAt(deps().now(), 8);
    deps().clock.advance(digestAt.getTime() - deps().now().getTime());
    await run();
    const [digest, ...more] = mailsTo(c.general2);
    expect(more).toEqual([]);
    expect(digest?.subject).toBe('【サイバーセキュリティ協議会】通知のまとめ（1件）');
    expect(digest?.text).toContain('[TLP:GREEN] 対策情報「全構成員向けの題名」が全構成員に公開されました');
    await run();
    expect(mailsTo(c.general2)).toHaveLength(1);

    // An information request must be answered: mailed whatever the preference.
    const sec = await c.secretariat.actor();
    const campaign = await declareCampaign(deps(), sec, { title: '大規模攻撃', description: 'DDoS' }, meta);
    await issueRequest(deps(), sec, campaign.id, { title: '観測状況', body: '教えてください', deadline: iso(new Date(deps().now().getTime() + 48 * HOUR)), audience: 'general' }, meta);
    await run();
    expect(mailsTo(c.committee).map((m) => m.subject)).toEqual(['【サイバーセキュリティ協議会】情報提供依頼が届きました']);
    expect(mailsTo(c.general2).at(-1)?.subject).toBe('【サイバーセキュリティ協議会】情報提供依頼が届きました');
  });

  it('delivers nothing of an item narrowed after its notice was recorded: no mail, no digest, no webhook (a revision to TLP:RED)', async () => {
    await setNotificationSettings(deps(), await c.general2.actor(), { email: 'digest' }, meta);
    const generalAdmin = await personIn(deps(), c.general.org, { role: 'admin' });
    await createWebhook(deps(), await generalAdmin.actor(), { url: hooks.url, events: ['advisory.released'] }, { allowPrivate: true }, meta);
    const id = await advisory('members', { tlp: 'green', title: '後から絞られた題名' });
    // Revised to TLP:RED before the worker delivers the release notice: members outside the Type 1 group lose it.
    await reviseAdvisory(deps(), await c.type1.actor(), id, AdvisoryRevise.parse({ title: '後から絞られた題名', summary: '要約', threat: '脅威', actions: '対策', tlp: 'red' }), meta);
    await run();
    deps().clock.advance(nextDigestAt(deps().now(), 8).getTime() - deps().now().getTime());
    await run();

    const told = JSON.stringify([...smtp.mails, ...hooks.requests.map((r) => r.body)]);
    expect(told).not.toContain('後から絞られた題名');
    expect(mailsTo(c.general)).toEqual([]);
    expect(mailsTo(c.general2)).toEqual([]);
    expect(hooks.requests).toEqual([]);
  });

  it('delays mail while the SMTP server is down, keeps the notice, and sends it once when the server is back', async () => {
    const port = smtp.port;
    await smtp.close();
    await advisory('type2', { tlp: 'green' });
    await run();
    const waiting = await deps().store.read.notifications.jobs.pending('mail');
    expect(waiting.length).toBeGreaterThan(0);
    for (const job of waiting) {
      expect(job.attempts).toBe(1);
      expect(job.lastError).toMatch(/ECONNREFUSED|connect/i);
      expect(new Date(job.runAt).getTime()).toBeGreaterThan(deps().now().getTime());
    }
    // The inbox did not wait for the mail.
    expect(await deps().store.read.notifications.inbox.unreadCount(c.type2.userId)).toBe(1);

    smtp = await startSmtpReceiver({ port });
    deps().clock.advance(HOUR);
    await run();
    expect(mailsTo(c.type2)).toHaveLength(1);
    expect(smtp.mails).toHaveLength(waiting.length);
    expect(await deps().store.read.notifications.jobs.pending('mail')).toEqual([]);
  });

  it('tells a consulter outside the council by e-mail that there is an answer, without the answer', async () => {
    const challenge = await issueChallenge(deps(), 1);
    await submitConsultation(
      deps(),
      { challenge: challenge.challenge, nonce: solveChallenge(challenge.challenge, 1), name: '山田 花子', email: 'hanako@example.net', body: 'サーバーが遅い', locale: 'en', observables: [] },
      { minDifficulty: 1, locale: 'ja' },
      meta,
    );
    await run();
    const id = (await deps().store.read.requests.consultations.list({ limit: 1 }))[0]?.id as string;
    // The Type 1 group heard of the consultation in the app (its analysts with a second factor), by mail too.
    expect((await deps().store.read.notifications.inbox.list({ userId: c.type1.userId, unread: true, limit: 5 })).map((x) => x.event.type)).toEqual(['consultation.received']);
    await answerConsultation(deps(), await c.type1.actor(), id, '設定を確認してください', meta);
    await run();
    const [mail, ...more] = smtp.mails.filter((m) => m.to.includes('hanako@example.net'));
    expect(more).toEqual([]);
    expect(mail?.subject).toBe('[Cybersecurity Council] Your consultation has an answer');
    expect(mail?.text).not.toContain('設定を確認してください');
  });

  describe('webhooks', () => {
    let admin: Person;
    beforeEach(async () => {
      admin = await personIn(deps(), c.type2.org, { role: 'admin', totp: true });
    });

    const register = async (who: Person, events = ['feedback.requested', 'advisory.released']) =>
      createWebhook(deps(), await who.actor(), { url: hooks.url, events: events as never }, { allowPrivate: true }, meta);
    const nowSeconds = () => Math.floor(deps().now().getTime() / 1000);

    it('signs each delivery, carries GREEN content and only a link for AMBER, and only what the organisation may see', async () => {
      const hook = await register(admin);
      const generalAdmin = await personIn(deps(), c.general.org, { role: 'admin' });
      await register(generalAdmin);
      const green = await advisory('type2', { tlp: 'green', title: '緑の題名' });
      const amber = await advisory('type2', { tlp: 'amber', title: '琥珀の題名' });
      await run();

      // The general member's webhook gets nothing: its organisation cannot see Type 2 information.
      expect(hooks.requests).toHaveLength(2);
      for (const req of hooks.requests) {
        expect(verifySignature(hook.secret, req.body, req.headers['kyogikai-signature'] as string, nowSeconds())).toBe(true);
        expect(req.headers['kyogikai-event']).toBe('feedback.requested');
        expect(req.headers['content-type']).toBe('application/json');
      }
      const bodies = hooks.requests.map((r) => JSON.parse(r.body) as { subject: { id: string }; tlp: string; link: string; data?: { title: string } });
      const greenBody = bodies.find((b) => b.subject.id === green);
      const amberBody = bodies.find((b) => b.subject.id === amber);
      expect(greenBody?.data?.title).toBe('緑の題名');
      expect(amberBody?.data).toBeUndefined();
      expect(JSON.stringify(amberBody)).not.toContain('琥珀');
      expect(amberBody?.link).toBe(`${PUBLIC_URL}/advisories/${amber}`);

      const log = await listDeliveries(deps(), await admin.actor(), hook.id, { limit: 10 });
      expect(log.items.map((d) => [d.event, d.status, d.attempts, d.responseStatus])).toEqual([
        ['feedback.requested', 'delivered', 1, 200],
        ['feedback.requested', 'delivered', 1, 200],
      ]);
    });

    it('never delivers TLP:RED to an organisation that is only named through one of its people', async () => {
      await register(admin);
      await advisory('type2', { tlp: 'red', recipientUserIds: [c.type2.userId] });
      await run();
      expect(hooks.requests).toEqual([]);
      expect(mailsTo(c.type2)).toHaveLength(1);
    });

    it('retries a failing receiver with backoff, logs each attempt, and delivers once it answers', async () => {
      const hook = await register(admin);
      hooks.status = 500;
      await advisory('type2', { tlp: 'green' });
      await run();
      const [first] = (await listDeliveries(deps(), await admin.actor(), hook.id, { limit: 10 })).items;
      expect(first).toMatchObject({ status: 'retrying', attempts: 1, responseStatus: 500, error: 'HTTP 500', deliveredAt: null });
      expect(new Date(first?.nextAttemptAt as string).getTime()).toBeGreaterThanOrEqual(deps().now().getTime() + 30_000);

      hooks.status = 204;
      deps().clock.advance(HOUR);
      await run();
      const [second] = (await listDeliveries(deps(), await admin.actor(), hook.id, { limit: 10 })).items;
      expect(second).toMatchObject({ status: 'delivered', attempts: 2, responseStatus: 204, error: null, nextAttemptAt: null });
      expect(hooks.requests).toHaveLength(2);
      // The same delivery id both times: the receiver can tell a retry from a new event.
      expect(new Set(hooks.requests.map((r) => r.headers['kyogikai-delivery'])).size).toBe(1);
    });

    it('refuses a private address at delivery time unless allowed, and cancels deliveries of a removed webhook', async () => {
      const hook = await register(admin);
      await advisory('type2', { tlp: 'green' });
      // A process that does not allow private addresses picks the delivery up: the address is refused, nothing sent.
      const strict = createWorker({
        deps: deps(),
        config: { ...defaultNotificationConfig, publicUrl: PUBLIC_URL },
        mailer: null,
        webhooks: httpWebhookSender({ allowPrivate: false }),
        log: silent,
      });
      await strict.runUntilIdle();
      const [refused] = (await listDeliveries(deps(), await admin.actor(), hook.id, { limit: 10 })).items;
      expect(refused).toMatchObject({ status: 'retrying', error: 'address not allowed: 127.0.0.1' });
      expect(hooks.requests).toEqual([]);

      await deleteWebhook(deps(), await admin.actor(), hook.id, meta);
      deps().clock.advance(HOUR);
      await run();
      const [cancelled] = (await deps().store.read.notifications.deliveries.list({ webhookId: hook.id, limit: 10 }));
      expect(cancelled).toMatchObject({ status: 'cancelled', error: 'webhook_deleted' });
      expect(hooks.requests).toEqual([]);
    });

    it('sends a signed ping on request', async () => {
      const hook = await register(admin);
      const queued = await testWebhook(deps(), await admin.actor(), hook.id, meta);
      expect(queued).toMatchObject({ event: 'ping', status: 'pending', attempts: 0 });
      await run();
      const [ping] = hooks.requests;
      expect(JSON.parse(ping?.body as string)).toMatchObject({ event: 'ping', id: queued.id, webhookId: hook.id, organizationId: c.type2.org.id });
      expect(verifySignature(hook.secret, ping?.body as string, ping?.headers['kyogikai-signature'] as string, nowSeconds())).toBe(true);
    });
  });
});
