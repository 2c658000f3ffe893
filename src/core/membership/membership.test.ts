/** Membership use cases on a real database (both dialects): every transition, allowed and refused. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { UserActor } from '../actor.js';
import type { DomainError } from '../errors.js';
import { translate } from '../messages.js';
import { authorize } from '../policy.js';
import { authenticateToken, login } from '../usecases/auth.js';
import { createOrganization, updateOrganization } from '../usecases/organizations.js';
import { applicationInput, insertOrg, insertUser, type TestUser } from '../../test/membership.js';
import { createTestStore, dialects, testDeps, type TestStore } from '../../test/stores.js';
import { passwordSetupInfo, setCommittee, setPasswordWithLink } from './accounts.js';
import * as apps from './applications.js';
import { createPeriod, deletePeriod, listPeriods, updatePeriod } from './periods.js';
import * as requests from './requests.js';
import { latestRoster, listRosters, publishRoster, rosterCsv } from './roster.js';
import { acceptRulebooks, createRulebook, myRulebooks } from './rulebooks.js';
import { changeStanding, grantSpecialApproval, membershipView, revokeSpecialApproval } from './standing.js';
import { membershipStats } from './stats.js';
import { getCouncilSettings, updateCouncilSettings } from './settings.js';

const meta = { ip: '192.0.2.1' };
const DAY = 86_400_000;

/** Expect a domain error with this code (and status). */
async function refused(p: Promise<unknown>, code: string, status?: number): Promise<DomainError> {
  const err = (await p.then(
    () => undefined,
    (e: unknown) => e,
  )) as DomainError | undefined;
  expect(err, `expected ${code}`).toBeDefined();
  expect(err?.code).toBe(code);
  if (status !== undefined) expect(err?.status).toBe(status);
  return err as DomainError;
}

describe.each(dialects)('membership on %s', (dialect) => {
  let t: TestStore;
  let deps: ReturnType<typeof testDeps>;
  let secretariat: { id: string };
  let secAdmin: UserActor;
  let secAnalyst: UserActor;
  let secViewer: UserActor;
  let committee: UserActor;

  beforeEach(async () => {
    t = await createTestStore(dialect);
    deps = testDeps(t.store); // 2026-04-01T00:00Z = 09:00 JST
    const sec = await insertOrg(deps, { isSecretariat: true, memberClass: 'none', nameJa: '事務局', nameEn: 'Secretariat' });
    secretariat = sec;
    secAdmin = await (await insertUser(deps, sec.id, { role: 'admin' })).actor();
    secAnalyst = await (await insertUser(deps, sec.id, { role: 'analyst' })).actor();
    secViewer = await (await insertUser(deps, sec.id, { role: 'viewer' })).actor();
    const experts = await insertOrg(deps, { memberClass: 'none', nameJa: '有識者', nameEn: 'Experts' });
    committee = await (await insertUser(deps, experts.id, { role: 'viewer', isCommittee: true })).actor();
    await createPeriod(deps, secAdmin, { number: 1, opensAt: '2026-03-01T09:00:00+09:00', closesAt: '2026-04-30T18:00:00+09:00', decisionDate: '2026-05-20' }, meta);
  });
  afterEach(() => t.cleanup());

  const auditActions = async () => (await t.store.read.audit.list({ limit: 500 })).map((e) => e.action);
  const countApplications = async () => (await t.store.read.applications.list({ limit: 1000 })).length;

  /** Submit, check and approve an application; return the approval. */
  async function approved(over: Record<string, unknown> = {}, memberClass: 'general' | 'type2' | 'type1' = 'general') {
    const s = await apps.submitApplication(deps, applicationInput(over), meta);
    await apps.checkApplication(deps, secAnalyst, s.application.id, {}, meta);
    return apps.approveApplication(deps, committee, s.application.id, { memberClass }, meta);
  }

  describe('recruitment periods', () => {
    it('stores UTC, reports the state, and refuses overlaps, bad dates, taken numbers and non-administrators', async () => {
      const [p] = await listPeriods(deps);
      expect(p).toMatchObject({ number: 1, opensAt: '2026-03-01T00:00:00.000Z', closesAt: '2026-04-30T09:00:00.000Z', open: true, state: 'open' });
      const p2 = await createPeriod(deps, secAdmin, { opensAt: '2026-10-01T09:00:00+09:00', closesAt: '2026-11-30T18:00:00+09:00' }, meta);
      expect(p2).toMatchObject({ number: 2, state: 'upcoming', open: false, decisionDate: null });
      await refused(createPeriod(deps, secAdmin, { opensAt: '2026-04-15T00:00:00+09:00', closesAt: '2026-05-15T00:00:00+09:00' }, meta), 'period_overlaps', 409);
      await refused(createPeriod(deps, secAdmin, { opensAt: '2027-02-01T00:00:00+09:00', closesAt: '2027-01-01T00:00:00+09:00' }, meta), 'period_dates_invalid', 400);
      await refused(
        createPeriod(deps, secAdmin, { opensAt: '2027-01-01T00:00:00+09:00', closesAt: '2027-02-01T18:00:00+09:00', decisionDate: '2027-01-15' }, meta),
        'period_dates_invalid',
      );
      await refused(createPeriod(deps, secAdmin, { number: 2, opensAt: '2028-01-01T00:00:00Z', closesAt: '2028-02-01T00:00:00Z' }, meta), 'period_number_taken');
      await refused(createPeriod(deps, secAnalyst, { opensAt: '2028-01-01T00:00:00Z', closesAt: '2028-02-01T00:00:00Z' }, meta), 'forbidden', 403);
      const moved = await updatePeriod(deps, secAdmin, 2, { closesAt: '2026-12-01T18:00:00+09:00' }, meta);
      expect(moved.closesAt).toBe('2026-12-01T09:00:00.000Z');
      deps.clock.advance(40 * DAY);
      expect((await listPeriods(deps)).find((x) => x.number === 1)?.state).toBe('closed');
      await deletePeriod(deps, secAdmin, 2, meta);
      expect((await listPeriods(deps)).map((x) => x.number)).toEqual([1]);
      expect(await auditActions()).toEqual(expect.arrayContaining(['period.create', 'period.update', 'period.delete']));
    });

    it('refuses to delete a period that has applications', async () => {
      await apps.submitApplication(deps, applicationInput(), meta);
      await refused(deletePeriod(deps, secAdmin, 1, meta), 'period_has_applications', 409);
    });
  });

  describe('applying', () => {
    it('refuses an application after the deadline, naming the period and the deadline in Japan time', async () => {
      deps.clock.advance(30 * DAY); // 2026-05-01
      const err = await refused(apps.submitApplication(deps, applicationInput(), meta), 'period_closed', 409);
      expect(translate('ja', err.code, err.params)).toBe('第1期の募集は2026年4月30日 18:00（日本時間）に締め切られました。');
      expect(translate('en', err.code, err.params)).toBe('Applications for period 1 closed on 30 April 2026, 18:00 (Japan time).');
      expect(await countApplications()).toBe(0);
    });

    it('refuses before the opening and when there is no period at all', async () => {
      await createPeriod(deps, secAdmin, { opensAt: '2026-10-01T09:00:00+09:00', closesAt: '2026-11-30T18:00:00+09:00' }, meta);
      const early = await refused(apps.submitApplication(deps, applicationInput({ periodNumber: 2 }), meta), 'period_not_yet_open');
      expect(translate('ja', early.code, early.params)).toContain('第2期の募集は2026年10月1日 09:00（日本時間）から');
      const fresh = await createTestStore(dialect);
      try {
        await refused(apps.submitApplication(testDeps(fresh.store), applicationInput(), meta), 'no_open_period', 409);
      } finally {
        await fresh.cleanup();
      }
    });

    it('checks the rules across fields, saving nothing', async () => {
      await refused(apps.submitApplication(deps, applicationInput({ category: 'critical_infrastructure' }), meta), 'sector_required', 400);
      await refused(apps.submitApplication(deps, applicationInput({ sector: 'finance' }), meta), 'sector_not_applicable');
      await refused(apps.submitApplication(deps, applicationInput({ requestedClass: 'type1' }), meta), 'capabilities_required');
      await refused(apps.submitApplication(deps, applicationInput({ requestedClass: 'type2' }), meta), 'feedback_commitment_required');
      await refused(apps.submitApplication(deps, applicationInput({ foreignCapital: true }), meta), 'foreign_capital_share_required');
      expect(await countApplications()).toBe(0);
    });

    it('detects a second application of the same organisation in one period by name or e-mail domain', async () => {
      const first = await apps.submitApplication(
        deps,
        applicationInput({ nameJa: '株式会社アオバセキュリティ', nameEn: 'Aoba Security Co., Ltd.', contacts: [{ name: 'A', email: 'a@aoba.example.jp', phone: '0312345678' }] }),
        meta,
      );
      // The same name typed differently (（株）, full-width letters, spaces).
      await refused(apps.submitApplication(deps, applicationInput({ nameJa: 'アオバセキュリティ（株）' }), meta), 'duplicate_application', 409);
      await refused(apps.submitApplication(deps, applicationInput({ nameEn: 'ＡＯＢＡ  security, Inc.' }), meta), 'duplicate_application');
      // Another name, same e-mail domain.
      await refused(
        apps.submitApplication(deps, applicationInput({ contacts: [{ name: 'B', email: 'b@AOBA.example.jp', phone: '0312345678' }] }), meta),
        'duplicate_application',
      );
      // Free-mail domains say nothing about the organisation.
      await apps.submitApplication(deps, applicationInput({ contacts: [{ name: 'C', email: 'c@gmail.com', phone: '0312345678' }] }), meta);
      await apps.submitApplication(deps, applicationInput({ contacts: [{ name: 'D', email: 'd@gmail.com', phone: '0312345678' }] }), meta);
      // After a withdrawal the organisation may apply again.
      await apps.withdrawApplication(deps, first.accessToken, {}, meta);
      await apps.submitApplication(deps, applicationInput({ nameJa: '株式会社アオバセキュリティ' }), meta);
      expect(await countApplications()).toBe(4);
    });
  });

  describe('review and decision', () => {
    it('goes submitted → returned → answered (with a correction) → checked → approved into another class, visibly to the applicant', async () => {
      const s = await apps.submitApplication(deps, applicationInput({ requestedClass: 'type2', quickFeedbackCommitment: true }), meta);
      expect(s.application.status).toBe('submitted');
      const id = s.application.id;
      await apps.returnApplication(deps, secAnalyst, id, { message: '所在地を記入してください。' }, meta);
      let view = await apps.applicationStatus(deps, s.accessToken);
      expect(view.status).toBe('returned');
      expect(view.history.map((h) => h.kind)).toEqual(['submitted', 'returned']);
      expect(view.history[1]).toEqual(expect.objectContaining({ role: 'secretariat', message: '所在地を記入してください。' }));
      expect(view.history[1]).not.toHaveProperty('actorLabel');
      await refused(apps.checkApplication(deps, secAnalyst, id, {}, meta), 'application_awaiting_answer', 409);

      view = await apps.answerQuestions(deps, s.accessToken, { message: '記入しました。', corrections: { address: '東京都千代田区' } }, meta);
      expect(view.status).toBe('submitted');
      expect(view.fields.address).toBe('東京都千代田区');
      await refused(apps.answerQuestions(deps, s.accessToken, { message: 'again' }, meta), 'application_not_returned');

      await refused(apps.approveApplication(deps, committee, id, { memberClass: 'general' }, meta), 'application_not_checked', 409);
      await apps.checkApplication(deps, secAnalyst, id, { note: '書類完備' }, meta);
      await refused(apps.checkApplication(deps, secAnalyst, id, {}, meta), 'invalid_status_transition');

      const result = await apps.approveApplication(deps, committee, id, { memberClass: 'general', reason: '当面は一般の構成員として' }, meta);
      expect(result.application).toMatchObject({ status: 'approved', requestedClass: 'type2', decidedClass: 'general' });
      const detail = await apps.getApplication(deps, secViewer, id);
      expect(detail.history.map((h) => [h.kind, h.role])).toEqual([
        ['submitted', 'applicant'],
        ['returned', 'secretariat'],
        ['answered', 'applicant'],
        ['checked', 'secretariat'],
        ['approved', 'committee'],
      ]);
      expect(detail.history[4]?.actorLabel).toBe(committee.login);
      view = await apps.applicationStatus(deps, s.accessToken);
      expect(view).toMatchObject({ status: 'approved', decidedClass: 'general', decisionReason: '当面は一般の構成員として' });
      expect(view.administrator).toEqual({ login: view.fields.contacts[0]?.email, passwordSet: false });

      const org = await t.store.read.organizations.byId(result.organizationId);
      expect(org).toMatchObject({ memberClass: 'general', status: 'member', periodJoined: 1, rosterConsent: true, active: true });
      expect(await auditActions()).toEqual(
        expect.arrayContaining([
          'application.submit',
          'application.return',
          'application.answer',
          'application.check',
          'application.approve',
          'organization.create',
          'user.create',
        ]),
      );
    });

    it('refuses any step on a decided application, and a second decision', async () => {
      const a = await approved();
      const id = a.application.id;
      const again = await refused(apps.approveApplication(deps, committee, id, { memberClass: 'general' }, meta), 'application_already_decided', 409);
      expect(translate('ja', again.code, again.params)).toContain('承認済み');
      await refused(apps.rejectApplication(deps, committee, id, { reason: 'x' }, meta), 'application_already_decided');
      await refused(apps.returnApplication(deps, secAnalyst, id, { message: 'x' }, meta), 'application_already_decided');
      await refused(apps.checkApplication(deps, secAnalyst, id, {}, meta), 'application_already_decided');

      const s = await apps.submitApplication(deps, applicationInput(), meta);
      const rejected = await apps.rejectApplication(deps, committee, s.application.id, { reason: '要件を満たしていません。' }, meta);
      expect(rejected.status).toBe('rejected');
      await refused(apps.approveApplication(deps, committee, s.application.id, { memberClass: 'general' }, meta), 'application_already_decided');
      await refused(apps.withdrawApplication(deps, s.accessToken, {}, meta), 'application_already_decided');
      expect((await apps.applicationStatus(deps, s.accessToken)).decisionReason).toBe('要件を満たしていません。');
    });

    it('lets the applicant withdraw before a decision', async () => {
      const s = await apps.submitApplication(deps, applicationInput(), meta);
      await apps.checkApplication(deps, secAdmin, s.application.id, {}, meta);
      const v = await apps.withdrawApplication(deps, s.accessToken, { reason: '社内事情により' }, meta);
      expect(v.status).toBe('withdrawn');
      await refused(apps.approveApplication(deps, committee, s.application.id, { memberClass: 'general' }, meta), 'application_already_decided');
    });

    it('leaves review to the secretariat (not viewers) and decisions to the committee', async () => {
      const s = await apps.submitApplication(deps, applicationInput(), meta);
      const id = s.application.id;
      const member = await (await insertUser(deps, (await insertOrg(deps)).id)).actor();
      await refused(apps.listApplications(deps, member, { limit: 10 }), 'forbidden', 403);
      await refused(apps.checkApplication(deps, secViewer, id, {}, meta), 'forbidden');
      await refused(apps.checkApplication(deps, committee, id, {}, meta), 'forbidden');
      await apps.checkApplication(deps, secAnalyst, id, {}, meta);
      await refused(apps.approveApplication(deps, secAdmin, id, { memberClass: 'general' }, meta), 'forbidden');
      await refused(apps.rejectApplication(deps, member, id, { reason: 'x' }, meta), 'forbidden');
      expect((await apps.listApplications(deps, committee, { limit: 10 })).items).toHaveLength(1);
    });

    it('lists with filters and keyset pages', async () => {
      for (let i = 0; i < 5; i++) await apps.submitApplication(deps, applicationInput({ nameJa: `株式会社ページ${i}` }), meta);
      const one = await apps.submitApplication(deps, applicationInput({ nameJa: '株式会社フィルタ' }), meta);
      await apps.checkApplication(deps, secAnalyst, one.application.id, {}, meta);
      const p1 = await apps.listApplications(deps, secViewer, { limit: 4 });
      expect(p1.items).toHaveLength(4);
      expect(p1.next).not.toBeNull();
      const p2 = await apps.listApplications(deps, secViewer, { limit: 4, cursor: p1.next ?? undefined });
      expect(p2.items).toHaveLength(2);
      expect(p2.next).toBeNull();
      expect(new Set([...p1.items, ...p2.items].map((a) => a.id)).size).toBe(6);
      expect((await apps.listApplications(deps, secViewer, { limit: 10, status: 'checked' })).items.map((a) => a.id)).toEqual([one.application.id]);
      expect((await apps.listApplications(deps, secViewer, { limit: 10, q: 'ﾍﾟｰｼﾞ3' })).items).toHaveLength(1);
      expect((await apps.listApplications(deps, secViewer, { limit: 10, periodNumber: 2 })).items).toHaveLength(0);
    });
  });

  describe('the first administrator', () => {
    it('sets a password once through the link; the applicant can get a fresh link until then', async () => {
      const s = await apps.submitApplication(deps, applicationInput(), meta);
      await apps.checkApplication(deps, secAnalyst, s.application.id, {}, meta);
      const a = await apps.approveApplication(deps, committee, s.application.id, { memberClass: 'general' }, meta);
      expect(await passwordSetupInfo(deps, a.passwordSetupToken)).toMatchObject({ login: a.administrator.login });
      // A fresh link from the status page replaces the first one.
      const fresh = await apps.passwordLinkForApplicant(deps, s.accessToken, meta);
      await refused(passwordSetupInfo(deps, a.passwordSetupToken), 'password_link_invalid', 404);
      await setPasswordWithLink(deps, { token: fresh.passwordSetupToken, password: 'a long new password' }, meta);
      await refused(setPasswordWithLink(deps, { token: fresh.passwordSetupToken, password: 'another long password' }, meta), 'password_link_invalid');
      await refused(apps.passwordLinkForApplicant(deps, s.accessToken, meta), 'password_already_set', 409);
      expect((await apps.applicationStatus(deps, s.accessToken)).administrator?.passwordSet).toBe(true);
      const signedIn = await login(deps, { login: a.administrator.login, password: 'a long new password' }, meta);
      expect(signedIn.user).toMatchObject({ role: 'admin', orgId: a.organizationId, isCommittee: false });
      expect(await auditActions()).toEqual(expect.arrayContaining(['password_setup.issue', 'user.password_set']));
    });

    it('expires links', async () => {
      const a = await approved();
      deps.clock.advance(15 * DAY);
      await refused(setPasswordWithLink(deps, { token: a.passwordSetupToken, password: 'a long new password' }, meta), 'password_link_invalid');
    });
  });

  describe('task-force rule: a foreign-capital organisation needs a special approval for Type 1 or Type 2', () => {
    const foreign = { foreignCapital: true, foreignCapitalShare: 70, requestedClass: 'type2', quickFeedbackCommitment: true };

    it('at approval of an application, saving nothing when refused', async () => {
      const s = await apps.submitApplication(deps, applicationInput(foreign), meta);
      await apps.checkApplication(deps, secAnalyst, s.application.id, {}, meta);
      const orgsBefore = (await t.store.read.members.all()).length;
      for (const memberClass of ['type2', 'type1'] as const) {
        await refused(apps.approveApplication(deps, committee, s.application.id, { memberClass }, meta), 'special_approval_required', 409);
      }
      expect((await t.store.read.members.all()).length).toBe(orgsBefore);
      expect((await apps.getApplication(deps, secViewer, s.application.id)).status).toBe('checked');
      // As a general member it needs none; with a special approval it may be Type 2.
      const a = await apps.approveApplication(
        deps,
        committee,
        s.application.id,
        { memberClass: 'type2', specialApproval: { reason: '長年にわたり高度の信頼関係を有する', at: '2026-03-25T10:00:00+09:00' } },
        meta,
      );
      const org = await t.store.read.organizations.byId(a.organizationId);
      expect(org).toMatchObject({ memberClass: 'type2', foreignCapital: true, foreignCapitalShare: 70, specialApproval: { at: '2026-03-25T01:00:00.000Z', reason: '長年にわたり高度の信頼関係を有する' } });
    });

    it('at a class change, unless the committee records the approval', async () => {
      const org = await insertOrg(deps, { foreignCapital: true, memberClass: 'general' });
      const admin = await (await insertUser(deps, org.id)).actor();
      const req = await requests.requestClassChange(deps, admin, org.id, { requestedClass: 'type2', reason: '早期警戒情報を受けたい', quickFeedbackCommitment: true }, meta);
      await refused(requests.approveClassChange(deps, committee, req.id, {}, meta), 'special_approval_required', 409);
      expect((await t.store.read.organizations.byId(org.id))?.memberClass).toBe('general');
      const ok = await requests.approveClassChange(deps, committee, req.id, { specialApproval: { reason: '信頼関係' } }, meta);
      expect(ok).toMatchObject({ status: 'accepted', decidedClass: 'type2' });
      expect((await t.store.read.organizations.byId(org.id))?.specialApproval?.reason).toBe('信頼関係');
    });

    it('at a direct update or creation by the secretariat', async () => {
      const org = await insertOrg(deps, { foreignCapital: true, memberClass: 'general' });
      await refused(updateOrganization(deps, secAdmin, org.id, { memberClass: 'type1' }, meta), 'special_approval_required', 409);
      await refused(updateOrganization(deps, secAdmin, org.id, { memberClass: 'type2' }, meta), 'special_approval_required');
      await refused(
        createOrganization(deps, secAdmin, { nameJa: '外資', nameEn: 'Foreign', category: 'cyber_business', foreignCapital: true, memberClass: 'type2', designated: false, rosterConsent: false }, meta),
        'special_approval_required',
      );
      const plain = await insertOrg(deps, { memberClass: 'type2' });
      await refused(updateOrganization(deps, secAdmin, plain.id, { foreignCapital: true }, meta), 'special_approval_required');
      // A one-field update does not reset the class (the foundation's PATCH applied defaults before).
      const renamed = await updateOrganization(deps, secAdmin, plain.id, { nameEn: 'Renamed' }, meta);
      expect(renamed).toMatchObject({ memberClass: 'type2', nameEn: 'Renamed' });
      await grantSpecialApproval(deps, committee, org.id, { reason: '特別承認' }, meta);
      expect((await updateOrganization(deps, secAdmin, org.id, { memberClass: 'type1' }, meta)).memberClass).toBe('type1');
    });

    it('when a change notification makes a Type 2 member foreign-capital, and when revoking the approval in use', async () => {
      const org = await insertOrg(deps, { memberClass: 'type2' });
      const admin = await (await insertUser(deps, org.id)).actor();
      const n = await requests.submitChangeNotification(deps, admin, org.id, { changes: { foreignCapital: true, foreignCapitalShare: 51 } }, meta);
      await refused(requests.acceptChangeNotification(deps, secAnalyst, n.id, {}, meta), 'special_approval_required', 409);
      expect((await t.store.read.organizations.byId(org.id))?.foreignCapital).toBe(false);
      await grantSpecialApproval(deps, committee, org.id, { reason: '特別承認' }, meta);
      await requests.acceptChangeNotification(deps, secAnalyst, n.id, {}, meta);
      expect((await t.store.read.organizations.byId(org.id))?.foreignCapital).toBe(true);
      await refused(revokeSpecialApproval(deps, committee, org.id, { reason: '見直し' }, meta), 'special_approval_in_use', 409);
      await refused(grantSpecialApproval(deps, secAdmin, org.id, { reason: 'x' }, meta), 'forbidden');
    });
  });

  describe('change notifications', () => {
    it('are submitted by the organisation administrator and accepted or rejected once by the secretariat', async () => {
      const org = await insertOrg(deps, { memberClass: 'general' });
      const admin = await (await insertUser(deps, org.id)).actor();
      const viewer = await (await insertUser(deps, org.id, { role: 'viewer' })).actor();
      const other = await (await insertUser(deps, (await insertOrg(deps)).id)).actor();
      await refused(requests.submitChangeNotification(deps, admin, org.id, { changes: {} }, meta), 'change_notification_empty', 400);
      await refused(requests.submitChangeNotification(deps, viewer, org.id, { changes: { nameJa: 'x' } }, meta), 'forbidden');
      await refused(requests.submitChangeNotification(deps, other, org.id, { changes: { nameJa: 'x' } }, meta), 'not_found', 404);
      await refused(requests.submitChangeNotification(deps, admin, org.id, { changes: { category: 'critical_infrastructure' } }, meta), 'sector_required');
      const n = await requests.submitChangeNotification(
        deps,
        admin,
        org.id,
        { changes: { nameJa: '新名称株式会社', rosterConsent: false, contacts: [{ name: '佐藤', department: '', email: 'sato@example.jp', phone: '0311112222' }] }, note: '社名変更' },
        meta,
      );
      expect(n).toMatchObject({ status: 'submitted', orgNameJa: org.nameJa, submittedBy: admin.login });
      expect((await requests.listChangeNotifications(deps, secViewer, { limit: 10, status: 'submitted' })).items).toHaveLength(1);
      expect((await requests.listChangeNotifications(deps, admin, { limit: 10, orgId: org.id })).items).toHaveLength(1);
      await refused(requests.listChangeNotifications(deps, admin, { limit: 10 }), 'forbidden');
      await refused(requests.acceptChangeNotification(deps, admin, n.id, {}, meta), 'forbidden');
      const accepted = await requests.acceptChangeNotification(deps, secAnalyst, n.id, { note: '受理' }, meta);
      expect(accepted).toMatchObject({ status: 'accepted', orgNameJa: '新名称株式会社', reviewComment: '受理' });
      expect(await t.store.read.organizations.byId(org.id)).toMatchObject({ nameJa: '新名称株式会社', rosterConsent: false, contacts: [{ name: '佐藤' }] });
      await refused(requests.acceptChangeNotification(deps, secAnalyst, n.id, {}, meta), 'request_already_decided', 409);
      await refused(requests.rejectChangeNotification(deps, secAnalyst, n.id, { reason: 'x' }, meta), 'request_already_decided');
      const n2 = await requests.submitChangeNotification(deps, admin, org.id, { changes: { nameEn: 'Nope' } }, meta);
      expect((await requests.rejectChangeNotification(deps, secAnalyst, n2.id, { reason: '証明書類が必要です' }, meta)).status).toBe('rejected');
      expect(await auditActions()).toEqual(expect.arrayContaining(['change.submit', 'change.accept', 'change.reject']));
    });
  });

  describe('class changes', () => {
    it('are requested, decided once by the committee, and refused when pointless or pending', async () => {
      const org = await insertOrg(deps, { memberClass: 'general' });
      const admin = await (await insertUser(deps, org.id)).actor();
      await refused(requests.requestClassChange(deps, admin, org.id, { requestedClass: 'general', reason: 'x', quickFeedbackCommitment: false }, meta), 'class_unchanged', 409);
      await refused(requests.requestClassChange(deps, admin, org.id, { requestedClass: 'type1', reason: 'x', quickFeedbackCommitment: false }, meta), 'capabilities_required', 400);
      await refused(requests.requestClassChange(deps, admin, org.id, { requestedClass: 'type2', reason: 'x', quickFeedbackCommitment: false }, meta), 'feedback_commitment_required');
      const req = await requests.requestClassChange(deps, admin, org.id, { requestedClass: 'type2', reason: '早期に情報を受けたい', quickFeedbackCommitment: true }, meta);
      expect(req).toMatchObject({ fromClass: 'general', requestedClass: 'type2', status: 'submitted' });
      await refused(requests.requestClassChange(deps, admin, org.id, { requestedClass: 'type1', reason: 'x', capabilities: 'y', quickFeedbackCommitment: false }, meta), 'class_change_pending', 409);
      await refused(requests.approveClassChange(deps, secAdmin, req.id, {}, meta), 'forbidden');
      const ok = await requests.approveClassChange(deps, committee, req.id, { reason: '承認' }, meta);
      expect(ok).toMatchObject({ status: 'accepted', decidedClass: 'type2', decidedBy: committee.login });
      expect((await t.store.read.organizations.byId(org.id))?.memberClass).toBe('type2');
      await refused(requests.approveClassChange(deps, committee, req.id, {}, meta), 'request_already_decided', 409);
      await refused(requests.rejectClassChange(deps, committee, req.id, { reason: 'x' }, meta), 'request_already_decided');
      // Down again, rejected; then one cancelled by the organisation.
      const down = await requests.requestClassChange(deps, admin, org.id, { requestedClass: 'general', reason: '体制縮小', quickFeedbackCommitment: false }, meta);
      expect((await requests.rejectClassChange(deps, committee, down.id, { reason: '継続をお願いします' }, meta)).status).toBe('rejected');
      const up = await requests.requestClassChange(deps, admin, org.id, { requestedClass: 'type1', reason: '分析', capabilities: '独自のマルウェア解析', quickFeedbackCommitment: false }, meta);
      expect((await requests.cancelClassChange(deps, admin, up.id, meta)).status).toBe('cancelled');
      const view = await membershipView(deps, admin, org.id);
      expect(view.classChanges.map((c) => c.status)).toEqual(['cancelled', 'rejected', 'accepted']);
      expect(view.events.map((e) => e.kind)).toContain('class_changed');
    });

    it('never changes the designated corporation', async () => {
      const org = await insertOrg(deps, { memberClass: 'type1', designated: true });
      await refused(requests.requestClassChange(deps, secAnalyst, org.id, { requestedClass: 'general', reason: 'x', quickFeedbackCommitment: false }, meta), 'designated_class_fixed');
    });
  });

  describe('standing', () => {
    it('suspension keeps accounts but marks the actor suspended and refuses member requests; reinstatement lifts it', async () => {
      const org = await insertOrg(deps, { memberClass: 'type2' });
      const admin = await insertUser(deps, org.id);
      await refused(changeStanding(deps, secAdmin, org.id, 'suspend', { reason: 'x' }, meta), 'forbidden');
      const s = await changeStanding(deps, committee, org.id, 'suspend', { reason: '守秘義務違反' }, meta);
      expect(s).toMatchObject({ status: 'suspended', statusReason: '守秘義務違反', active: true });
      const actor = await admin.actor();
      expect(actor.suspended).toBe(true);
      await refused(requests.submitChangeNotification(deps, actor, org.id, { changes: { nameEn: 'x' } }, meta), 'organization_suspended', 403);
      await refused(requests.requestClassChange(deps, actor, org.id, { requestedClass: 'general', reason: 'x', quickFeedbackCommitment: false }, meta), 'organization_suspended');
      expect((await membershipView(deps, actor, org.id)).status).toBe('suspended');
      await refused(changeStanding(deps, committee, org.id, 'suspend', { reason: 'again' }, meta), 'invalid_status_transition', 409);
      await changeStanding(deps, committee, org.id, 'reinstate', { reason: '是正確認' }, meta);
      expect((await admin.actor()).suspended).toBe(false);
      await refused(changeStanding(deps, committee, org.id, 'reinstate', {}, meta), 'invalid_status_transition');
    });

    it('expulsion and withdrawal deactivate the organisation and lapse its open requests', async () => {
      const a = await insertOrg(deps, { memberClass: 'general' });
      const aAdmin = await insertUser(deps, a.id);
      const pending = await requests.requestClassChange(deps, await aAdmin.actor(), a.id, { requestedClass: 'type2', reason: 'x', quickFeedbackCommitment: true }, meta);
      await changeStanding(deps, committee, a.id, 'expel', { reason: '重大な違反' }, meta);
      expect(await authenticateToken(deps, aAdmin.token)).toBeUndefined();
      expect((await t.store.read.classChanges.byId(pending.id))?.status).toBe('cancelled');
      await refused(changeStanding(deps, committee, a.id, 'reinstate', {}, meta), 'invalid_status_transition');

      const b = await insertOrg(deps, { memberClass: 'general' });
      const bAdmin = await insertUser(deps, b.id);
      const bViewer = await insertUser(deps, b.id, { role: 'viewer' });
      await refused(changeStanding(deps, await bViewer.actor(), b.id, 'withdraw', {}, meta), 'forbidden');
      const w = await changeStanding(deps, await bAdmin.actor(), b.id, 'withdraw', { reason: '事業縮小' }, meta);
      expect(w).toMatchObject({ status: 'withdrawn', active: false });
      expect(await authenticateToken(deps, bAdmin.token)).toBeUndefined();
      await refused(changeStanding(deps, secAdmin, b.id, 'withdraw', {}, meta), 'invalid_status_transition');
      await refused(updateOrganization(deps, secAdmin, b.id, { active: true }, meta), 'organization_not_member', 409);
      await refused(changeStanding(deps, secAdmin, secretariat.id, 'withdraw', {}, meta), 'secretariat_immutable');
      expect(await auditActions()).toEqual(expect.arrayContaining(['organization.expel', 'organization.withdraw']));
    });
  });

  describe('rules gate', () => {
    async function rulebook(kind: 'council_rules' | 'taskforce_rules' | 'confidentiality_pledge', effectiveAt = '2026-03-01T00:00:00+09:00') {
      return createRulebook(deps, secAdmin, { kind, bodyMd: `# ${kind}\n\n第1条 …`, effectiveAt }, meta);
    }

    it('refuses everything but the own account and the rules until the applying versions are accepted', async () => {
      const general = await insertOrg(deps, { memberClass: 'general' });
      const g = await insertUser(deps, general.id);
      const type2 = await insertOrg(deps, { memberClass: 'type2' });
      const t2 = await insertUser(deps, type2.id);
      expect((await g.actor()).rulesAccepted).toBe(true); // nothing to accept yet

      const council = await rulebook('council_rules');
      const tf = await rulebook('taskforce_rules');
      const pledge = await rulebook('confidentiality_pledge');
      let actor = await g.actor();
      expect(actor.rulesAccepted).toBe(false);
      expect(() => authorize(actor, 'change.submit', { orgId: general.id })).toThrow(expect.objectContaining({ code: 'rules_not_accepted', status: 403 }));
      expect(() => authorize(actor, 'organization.read', { orgId: 'another' }, { hide: true })).toThrow(expect.objectContaining({ code: 'rules_not_accepted' }));
      expect(() => authorize(actor, 'self.read', { userId: actor.userId })).not.toThrow();
      expect(() => authorize(actor, 'organization.read', { orgId: general.id })).not.toThrow();
      expect(() => authorize(actor, 'membership.read', { orgId: general.id })).not.toThrow();
      await refused(requests.submitChangeNotification(deps, actor, general.id, { changes: { nameEn: 'x' } }, meta), 'rules_not_accepted', 403);

      // A general member: the task-force rules do not apply.
      expect((await myRulebooks(deps, actor)).items.map((i) => i.kind).sort()).toEqual(['confidentiality_pledge', 'council_rules']);
      await refused(acceptRulebooks(deps, actor, [tf.id], meta), 'rulebook_not_applicable', 400);
      let mine = await acceptRulebooks(deps, actor, [council.id], meta);
      expect(mine.allAccepted).toBe(false);
      mine = await acceptRulebooks(deps, actor, [pledge.id], meta);
      expect(mine.allAccepted).toBe(true);
      actor = await g.actor();
      expect(actor.rulesAccepted).toBe(true);
      await requests.submitChangeNotification(deps, actor, general.id, { changes: { nameEn: 'x' } }, meta);

      // Type 2 must accept the task-force rules too.
      const t2Actor = await t2.actor();
      await acceptRulebooks(deps, t2Actor, [council.id, pledge.id], meta);
      expect((await t2.actor()).rulesAccepted).toBe(false);
      await acceptRulebooks(deps, t2Actor, [tf.id], meta);
      expect((await t2.actor()).rulesAccepted).toBe(true);

      // A new version binds from its effective date; the old one can no longer be accepted then.
      const v2 = await rulebook('council_rules', '2026-04-10T00:00:00+09:00');
      expect(v2.version).toBe(2);
      expect((await g.actor()).rulesAccepted).toBe(true);
      deps.clock.advance(10 * DAY);
      expect((await g.actor()).rulesAccepted).toBe(false);
      await refused(acceptRulebooks(deps, await g.actor(), [council.id], meta), 'rulebook_not_current', 409);
      await acceptRulebooks(deps, await g.actor(), [v2.id], meta);
      expect((await g.actor()).rulesAccepted).toBe(true);
      expect((await t.store.read.audit.list({ action: 'rulebook.accept', limit: 50 })).length).toBe(6);
    });

    it('lets only a secretariat administrator upload versions', async () => {
      await refused(createRulebook(deps, secAnalyst, { kind: 'council_rules', bodyMd: 'x', effectiveAt: '2026-01-01T00:00:00Z' }, meta), 'forbidden');
    });
  });

  describe('roster, statistics, settings, committee', () => {
    it('publishes only consenting members in good standing, keeps earlier rosters, and exports CSV with a BOM', async () => {
      const a = await approved({ nameJa: 'あおば市', nameEn: 'Aoba City', category: 'local_government' });
      await approved({ nameJa: '非公表株式会社', rosterConsent: false });
      const c = await approved({ nameJa: 'いろは大学', nameEn: 'Iroha University', category: 'university' });
      const d = await approved({ nameJa: '停止中株式会社' });
      await changeStanding(deps, committee, d.organizationId, 'suspend', { reason: '違反' }, meta);
      const e = await approved({ nameJa: '退会株式会社' });
      await changeStanding(deps, secAdmin, e.organizationId, 'withdraw', {}, meta);
      await refused(latestRoster(deps), 'roster_not_published', 404);
      await refused(publishRoster(deps, secAnalyst, { asOf: '2026-04-01' }, meta), 'forbidden');
      const first = await publishRoster(deps, secAdmin, { asOf: '2026-04-01' }, meta);
      expect(first.count).toBe(2);
      expect(await latestRoster(deps)).toEqual({
        asOf: '2026-04-01',
        entries: [
          { nameJa: 'あおば市', nameEn: 'Aoba City', category: 'local_government' },
          { nameJa: 'いろは大学', nameEn: 'Iroha University', category: 'university' },
        ],
      });
      await changeStanding(deps, secAdmin, c.organizationId, 'withdraw', {}, meta);
      deps.clock.advance(DAY);
      await publishRoster(deps, secAdmin, { asOf: '2026-04-02' }, meta);
      expect((await latestRoster(deps)).entries.map((x) => x.nameJa)).toEqual(['あおば市']);
      const all = await listRosters(deps, { limit: 10 });
      expect(all.items.map((r) => r.asOf)).toEqual(['2026-04-02', '2026-04-01']);
      const csv = rosterCsv(await latestRoster(deps), 'ja');
      expect(csv.startsWith('\uFEFF区分,名称,英語名称\r\n地方公共団体,あおば市,Aoba City\r\n')).toBe(true);
      expect(rosterCsv({ asOf: 'x', entries: [{ nameJa: 'a,"b"', nameEn: 'c', category: 'university' }] }, 'en')).toContain('"a,""b"""');
      expect(a.organizationId).toBeTruthy();
    });

    it('counts members per period, class and category', async () => {
      await approved({ category: 'university' });
      await approved({ requestedClass: 'type1', capabilities: '解析' }, 'type1');
      const x = await approved();
      await createPeriod(deps, secAdmin, { opensAt: '2026-06-01T09:00:00+09:00', closesAt: '2026-06-30T18:00:00+09:00', decisionDate: '2026-07-15' }, meta);
      deps.clock.advance(70 * DAY); // 2026-06-10: period 2 open
      await changeStanding(deps, secAdmin, x.organizationId, 'withdraw', {}, meta);
      await approved({ category: 'local_government' });
      const member = await (await insertUser(deps, (await insertOrg(deps, { memberClass: 'none' })).id)).actor();
      await refused(membershipStats(deps, member), 'forbidden');
      const stats = await membershipStats(deps, committee);
      expect(stats.rows.map((r) => [r.periodNumber, r.total, r.joined])).toEqual([
        [1, 3, 3],
        [2, 3, 1],
      ]);
      expect(stats.rows[0]?.byClass).toEqual({ designated: 0, type1: 1, type2: 0, general: 2 });
      expect(stats.rows[1]?.byCategory).toMatchObject({ university: 1, local_government: 1, cyber_business: 1 });
      // "now" also counts organisations created directly (the fixture's experts org has class none: not a member).
      expect(stats.current.total).toBe(3);
    });

    it('keeps names in settings and the committee flag on users', async () => {
      expect((await getCouncilSettings(deps)).secretariatName.ja).toBe('協議会事務局');
      await refused(updateCouncilSettings(deps, secAnalyst, { secretariatName: { ja: 'x', en: 'y' } }, meta), 'forbidden');
      await updateCouncilSettings(deps, secAdmin, { secretariatName: { ja: '国家サイバー統括室', en: 'National Cybersecurity Office' } }, meta);
      expect(await getCouncilSettings(deps)).toMatchObject({ councilName: { ja: 'サイバーセキュリティ協議会' }, secretariatName: { ja: '国家サイバー統括室' } });

      const org = await insertOrg(deps);
      const u: TestUser = await insertUser(deps, org.id);
      expect((await u.actor()).isCommittee).toBe(false);
      await refused(setCommittee(deps, secAnalyst, u.userId, true, meta), 'forbidden');
      const user = await setCommittee(deps, secAdmin, u.userId, true, meta);
      expect(user.isCommittee).toBe(true);
      expect((await u.actor()).isCommittee).toBe(true);
    });
  });
});
