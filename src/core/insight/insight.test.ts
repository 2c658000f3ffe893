/**
 * Dashboards and the home page on a small council, on both databases: the numbers are right, and nothing a viewer
 * may not read is counted (an amber item still in the Type 1 group, a TLP:RED item for someone else, a draft of
 * another organisation, an item released to Type 2 for a viewer outside the task force).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserActor } from '../actor.js';
import type { Deps } from '../context.js';
import { council, person, type Council, type Person } from '../../test/council.js';
import { createTestStore, dialects, testDeps, type TestClock, type TestStore } from '../../test/stores.js';
import { bootstrap } from '../usecases/bootstrap.js';
import { createAdvisory, releaseAdvisory } from '../sharing/advisories.js';
import {
  answerConsultation,
  answerQuestion,
  consentByToken,
  getConsultation,
  issueChallenge,
  relayAnswer,
  solveChallenge,
  submitConsultation,
  widenConsultation,
} from '../sharing/consultations.js';
import { submitFeedback } from '../sharing/feedback.js';
import { AdvisoryCreate, ReleaseInput, ReportCreate, type FeedbackAnswer, type Stage } from '../sharing/model.js';
import { createReport } from '../sharing/reports.js';
import { answerRequest, declareCampaign, issueRequest } from '../sharing/requests.js';
import { councilDashboard } from './council.js';
import { councilCsv, organizationCsv, type1Csv } from './csv.js';
import { home } from './home.js';
import type { StageCount } from './model.js';
import { jstMonths, organizationDashboard } from './organization.js';
import { type1Dashboard } from './type1.js';

const meta = { ip: null };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = new Date('2026-04-01T00:00:00Z').getTime();

const byStage = (counts: StageCount[], stage: Stage) => counts.find((s) => s.stage === stage);

describe.each(dialects)('dashboards and the home page on %s', (dialect) => {
  let db: TestStore;
  let deps: Deps & { clock: TestClock };
  let c: Council;
  let type1b: Person;
  let type2b: Person;
  let type2c: Person;
  let type2d: Person;
  let foreign: Person;
  const as: Record<string, UserActor> = {};
  const ids: Record<string, string> = {};
  let consultationToken = '';

  const at = (ms: number) => {
    deps.clock.advance(T0 + ms - deps.now().getTime());
  };
  const advisory = (over: Record<string, unknown>) =>
    AdvisoryCreate.parse({ title: '対策情報', summary: '概要', threat: '脅威', actions: '対策', tlp: 'amber', ...over });
  const release = (actor: UserActor, id: string, to: Stage, feedbackHours = 24) =>
    releaseAdvisory(deps, actor, id, ReleaseInput.parse({ to, feedbackHours }), meta);
  const answer = (actor: UserActor, id: string, a: FeedbackAnswer) => submitFeedback(deps, actor, id, { answer: a, sightings: [] }, meta);

  beforeAll(async () => {
    db = await createTestStore(dialect);
    deps = testDeps(db.store);
    await bootstrap(deps, 'correct horse battery staple');
    c = await council(deps);
    type1b = await person(deps, { memberClass: 'type1', nameJa: '第一類B', nameEn: 'Type One B' }, { totp: true });
    type2b = await person(deps, { memberClass: 'type2', category: 'local_government', nameJa: '第二類県庁', nameEn: 'Type Two Prefecture' }, { totp: true });
    type2c = await person(deps, { memberClass: 'type2', category: 'national_agency', nameJa: '第二類省庁', nameEn: 'Type Two Ministry' }, { totp: true });
    type2d = await person(deps, { memberClass: 'type2', category: 'university', nameJa: '第二類大学', nameEn: 'Type Two University' }, { totp: true });
    // Foreign capital without the committee's special approval: not in the task force, never expected to answer.
    foreign = await person(deps, { memberClass: 'type2', foreignCapital: true, nameJa: '外資第二類', nameEn: 'Foreign Type Two' }, { totp: true });
    for (const [k, p] of Object.entries({ ...c, type1b, type2b, type2c, type2d, foreign })) as[k] = await p.actor();

    // A report from a general member becomes a countermeasure item, released to Type 2 with 24 hours for feedback.
    at(0);
    const report = await createReport(
      deps,
      as.general as UserActor,
      ReportCreate.parse({ title: '自治体ポータルへの不審なログイン', description: '深夜に海外から', kind: 'suspicious_activity', certainty: 'unease' }),
      meta,
    );
    ids.report = report.id;
    at(30 * 60_000);
    const a1 = await createAdvisory(deps, as.type1 as UserActor, advisory({ title: '不正ログインへの注意', sourceReportId: report.id }), meta);
    ids.a1 = a1.id;
    at(HOUR);
    await release(as.type1 as UserActor, a1.id, 'type1');
    at(3 * HOUR);
    await release(as.type1 as UserActor, a1.id, 'type2');
    at(4.5 * HOUR);
    await answer(as.type2 as UserActor, a1.id, 'seen');
    at(10.25 * HOUR);
    await answer(as.type2b as UserActor, a1.id, 'not_seen');

    // Amber, still in the Type 1 group; TLP:RED for one Type 1 analyst; another organisation's draft.
    at(11 * HOUR);
    const a2 = await createAdvisory(deps, as.type1b as UserActor, advisory({ title: '第一類内の検討中案件' }), meta);
    await release(as.type1b as UserActor, a2.id, 'type1');
    const a3 = await createAdvisory(deps, as.type1b as UserActor, advisory({ title: '限定共有', tlp: 'red', recipientUserIds: [c.type1.userId] }), meta);
    await release(as.type1b as UserActor, a3.id, 'type1');
    await createAdvisory(deps, as.type1b as UserActor, advisory({ title: '下書き' }), meta);

    // Large-scale attack mode: an information request to general members, due in two days.
    at(12 * HOUR);
    const campaign = await declareCampaign(deps, as.secretariat as UserActor, { title: '大規模DDoS', description: '政府・自治体へのDDoS' }, meta);
    const request = await issueRequest(
      deps,
      as.secretariat as UserActor,
      campaign.id,
      { title: '観測状況の提供のお願い', body: 'アクセス急増の有無', deadline: new Date(T0 + 2 * DAY + 12 * HOUR).toISOString(), audience: 'general' },
      meta,
    );
    ids.request = request.id;

    // A consultation from a non-member, waiting for the Type 1 group.
    const challenge = await issueChallenge(deps, 4);
    const sent = await submitConsultation(
      deps,
      { challenge: challenge.challenge, nonce: solveChallenge(challenge.challenge, challenge.difficulty), name: '相談 太郎', email: 'soudan@example.jp', body: '社内PCが夜間に再起動します。', observables: [] },
      { minDifficulty: 4, locale: 'ja' },
      meta,
    );
    consultationToken = sent.token;
    const list = await db.store.read.requests.consultations.list({ limit: 1 });
    ids.consultation = list[0]?.id as string;
  });
  afterAll(() => db.cleanup());

  it('Type 1 group: items per stage count only what the viewer may read', async () => {
    const mine = await type1Dashboard(deps, as.type1 as UserActor, {});
    expect(byStage(mine.stages, 'type2')).toMatchObject({ total: 1, byTlp: { amber: 1 } });
    // The amber item in the group and the TLP:RED item naming this analyst; the other organisation's draft is not ours.
    expect(byStage(mine.stages, 'type1')).toMatchObject({ total: 2, byTlp: { amber: 1, red: 1 } });
    expect(byStage(mine.stages, 'draft')?.total).toBe(0);

    // The designated corporation sees drafts, but not TLP:RED for someone else.
    const designated = await type1Dashboard(deps, as.designated as UserActor, {});
    expect(byStage(designated.stages, 'type1')).toMatchObject({ total: 1, byTlp: { amber: 1, red: 0 } });
    expect(byStage(designated.stages, 'draft')?.total).toBe(1);

    await expect(type1Dashboard(deps, as.general as UserActor, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(type1Dashboard(deps, as.type2 as UserActor, {})).rejects.toMatchObject({ code: 'forbidden' });
    await expect(type1Dashboard(deps, as.type1 as UserActor, { from: '2026-05-01T00:00:00+09:00', to: '2026-04-01T00:00:00+09:00' })).rejects.toMatchObject({
      code: 'dashboard_period_invalid',
    });
  });

  it('Type 1 group: feedback per release to Type 2 over time until the deadline and by sector', async () => {
    at(20 * HOUR);
    const open = await type1Dashboard(deps, as.type1 as UserActor, {});
    const r = open.releases[0];
    expect(open.releases).toHaveLength(1);
    expect(r).toMatchObject({
      advisoryId: ids.a1,
      version: 1,
      releasedAt: new Date(T0 + 3 * HOUR).toISOString(),
      deadline: new Date(T0 + 27 * HOUR).toISOString(),
      // type2 (electricity), type2b, type2c, type2d — not the foreign-capital member without special approval.
      expected: 4,
      notAnswered: 2,
      totals: { seen: 1, not_seen: 1, unknown: 0 },
      late: 0,
    });
    expect(r?.bySector).toEqual([
      { group: 'electricity', seen: 1, not_seen: 0, unknown: 0 },
      { group: 'local_government', seen: 0, not_seen: 1, unknown: 0 },
    ]);
    // From the release at 03:00 to now (20:00), one point per hour: 03:00, then 04:00 … 20:00.
    expect(r?.overTime).toHaveLength(18);
    expect(r?.overTime[0]).toEqual({ at: new Date(T0 + 3 * HOUR).toISOString(), seen: 0, not_seen: 0, unknown: 0 });
    expect(r?.overTime.find((p) => p.at === new Date(T0 + 5 * HOUR).toISOString())).toMatchObject({ seen: 1, not_seen: 0 });
    expect(r?.overTime.at(-1)).toEqual({ at: new Date(T0 + 20 * HOUR).toISOString(), seen: 1, not_seen: 1, unknown: 0 });

    // After the deadline: a late answer counts in the totals, not in the curve, which stops at the deadline.
    at(30 * HOUR);
    await answer(as.type2c as UserActor, ids.a1 as string, 'unknown');
    const closed = (await type1Dashboard(deps, as.type1 as UserActor, {})).releases[0];
    expect(closed).toMatchObject({ totals: { seen: 1, not_seen: 1, unknown: 1 }, late: 1, notAnswered: 1 });
    expect(closed?.overTime).toHaveLength(25);
    expect(closed?.overTime.at(-1)).toEqual({ at: new Date(T0 + 27 * HOUR).toISOString(), seen: 1, not_seen: 1, unknown: 0 });
  });

  it('Type 1 group: hours from the report to each release, and their median', async () => {
    const d = await type1Dashboard(deps, as.type1 as UserActor, {});
    expect(d.leadTimes).toEqual([
      {
        advisoryId: ids.a1,
        title: '不正ログインへの注意',
        reportId: ids.report,
        reportedAt: new Date(T0).toISOString(),
        hours: { type1: 1, type2: 3, members: null, public: null },
      },
    ]);
    expect(d.medianHours).toEqual({ type1: 1, type2: 3, members: null, public: null });
    // The same countermeasure item, but its report is the provider's own and the group's: the designated corporation sees both.
    expect((await type1Dashboard(deps, as.designated as UserActor, {})).leadTimes).toHaveLength(1);
  });

  it('each organisation: what it may read per stage — an amber item in the Type 1 group is not in a general member’s numbers', async () => {
    const general = await organizationDashboard(deps, as.general as UserActor);
    expect(general.available.map((s) => s.total)).toEqual([0, 0, 0, 0, 0]);
    const type2 = await organizationDashboard(deps, as.type2 as UserActor);
    expect(type2.available.map((s) => [s.stage, s.total])).toEqual([
      ['draft', 0],
      ['type1', 0],
      ['type2', 1],
      ['members', 0],
      ['public', 0],
    ]);
    // Released on to all members, the item counts for the general member too.
    await release(as.type1 as UserActor, ids.a1 as string, 'members');
    expect(byStage((await organizationDashboard(deps, as.general as UserActor)).available, 'members')?.total).toBe(1);
    expect(byStage((await organizationDashboard(deps, as.general as UserActor)).available, 'type1')?.total).toBe(0);
  });

  it('each organisation: its ledger by kind and month, and its deadlines', async () => {
    const d = await organizationDashboard(deps, as.type2 as UserActor);
    expect(d).toMatchObject({ orgId: c.type2.org.id, nameJa: '第二類電力' });
    expect(d.ledger.totals.feedback_on_time).toBe(1);
    expect(d.ledger.score).toBe(2);
    expect(d.ledger.months.map((m) => m.month)).toEqual(jstMonths(deps.now(), 12));
    expect(d.ledger.months.at(-1)).toMatchObject({ month: '2026-04', counts: { feedback_on_time: 1 } });
    expect(d.deadlines).toEqual([
      { kind: 'feedback', id: ids.a1, title: '不正ログインへの注意', deadline: new Date(T0 + 27 * HOUR).toISOString(), answered: true, overdue: true },
    ]);
    // The organisation that has not answered sees the same deadline, unanswered; a general member its request.
    expect((await organizationDashboard(deps, as.type2d as UserActor)).deadlines).toMatchObject([{ kind: 'feedback', answered: false, overdue: true }]);
    expect((await organizationDashboard(deps, as.general as UserActor)).deadlines).toMatchObject([
      { kind: 'request', id: ids.request, title: '観測状況の提供のお願い', answered: false, overdue: false },
    ]);
    expect(jstMonths(new Date('2026-01-31T15:30:00Z'), 3)).toEqual(['2025-12', '2026-01', '2026-02']);
  });

  it('home: answers due with the soonest first, new items since the previous visit, consultations waiting', async () => {
    const general = await home(deps, as.general as UserActor);
    expect(general.due).toEqual([
      { kind: 'request', id: ids.request, title: '観測状況の提供のお願い', deadline: new Date(T0 + 2 * DAY + 12 * HOUR).toISOString(), answered: false, overdue: false },
    ]);
    // No sign-in on record (token): the last week. The item released to all members is new; the own report is not.
    expect(general.sinceLastVisit).toBe(false);
    expect(general.newItems).toMatchObject({ total: 1, items: [{ kind: 'advisory', id: ids.a1, stage: 'members' }] });
    expect(general.consultations).toEqual({ total: 0, items: [] });

    // Type 2 members that did not answer still owe it (late answers are taken) — not those not expected to answer.
    expect((await home(deps, as.type2d as UserActor)).due).toMatchObject([{ kind: 'feedback', id: ids.a1, overdue: true }]);
    expect((await home(deps, as.type2 as UserActor)).due).toEqual([]);
    expect((await home(deps, as.foreign as UserActor)).due).toEqual([]);

    const type1 = await home(deps, as.type1 as UserActor);
    expect(type1.consultations).toMatchObject({ total: 1, items: [{ kind: 'consultation', id: ids.consultation, title: '社内PCが夜間に再起動します。' }] });
    // New to the Type 1 analyst: the report, the other organisation's amber item, the TLP:RED item naming them.
    expect(type1.newItems.items.map((i) => i.kind).sort()).toEqual(['advisory', 'advisory', 'report']);
    expect(type1.newItems.items.map((i) => i.id)).not.toContain(ids.a1);
    // The designated corporation is not named on the TLP:RED item, and drafts are not news.
    const designated = await home(deps, as.designated as UserActor);
    expect(designated.newItems.items.map((i) => i.title).sort()).toEqual(['不正ログインへの注意', '第一類内の検討中案件', '自治体ポータルへの不審なログイン'].sort());

    // Answered, the consultation waits no more; asked of all members, it waits for their answer.
    await answerConsultation(deps, as.type1 as UserActor, ids.consultation as string, 'ネットワークから切り離してください。', meta);
    expect((await home(deps, as.type1 as UserActor)).consultations.total).toBe(0);
    await consentByToken(deps, consultationToken, true, meta);
    await widenConsultation(deps, as.type1 as UserActor, ids.consultation as string, { summary: '夜間の再起動を観測していますか。', stage: 'members', confirmFlags: [] }, meta);
    expect((await home(deps, as.general as UserActor)).consultations).toMatchObject({ total: 1, items: [{ kind: 'question', id: ids.consultation }] });
    await answerQuestion(deps, as.general as UserActor, ids.consultation as string, '当市では観測していません。', meta);
    expect((await home(deps, as.general as UserActor)).consultations.total).toBe(0);
    // The member's answer waits for the Type 1 group to pass it on to the consulter.
    expect((await home(deps, as.type1 as UserActor)).consultations.total).toBe(1);
    const memberAnswer = (await getConsultation(deps, as.type1 as UserActor, ids.consultation as string, meta)).messages.find((m) => m.author === 'member');
    await relayAnswer(deps, as.type1 as UserActor, ids.consultation as string, memberAnswer?.id ?? '', meta);
    expect((await home(deps, as.type1 as UserActor)).consultations.total).toBe(0);

    // Answered, the request is no longer due.
    await answerRequest(deps, as.general as UserActor, ids.request as string, { kind: 'answer', text: '平常どおりです。', observables: [] }, meta);
    expect((await home(deps, as.general as UserActor)).due).toEqual([]);
  });

  it('council: members, the ranking, and organisations with overdue answers — feedback only where the viewer may read the item', async () => {
    // Past the request's deadline: two general members never answered it.
    at(3 * DAY);
    const period = { from: new Date(T0 - DAY).toISOString(), to: new Date(T0 + 10 * DAY).toISOString() };
    const secretariat = await councilDashboard(deps, as.secretariat as UserActor, period, meta);
    expect(secretariat.membership.current.byClass.type2).toBe(5);
    expect(secretariat.ranking.items.find((i) => i.orgId === c.type2.org.id)?.totals.feedback_on_time).toBe(1);
    const row = (d: typeof secretariat, p: Person) => d.overdue.find((o) => o.orgId === p.org.id);
    expect(row(secretariat, type2d)).toMatchObject({ feedbackMissing: 1, feedbackLate: 0, requestsMissing: 0 });
    expect(row(secretariat, type2c)).toMatchObject({ feedbackMissing: 0, feedbackLate: 1 });
    expect(row(secretariat, c.general2)).toMatchObject({ requestsMissing: 1, feedbackMissing: 0 });
    expect(row(secretariat, c.committee)).toMatchObject({ requestsMissing: 1 });
    expect(row(secretariat, c.general)).toBeUndefined();
    expect(row(secretariat, foreign)).toBeUndefined();

    // The committee member (a general member without a second factor) cannot read items released to Type 2 only:
    // the missing feedback on one is not counted for them. The item is now with all members, so release another.
    const a4 = await createAdvisory(deps, as.type1 as UserActor, advisory({ title: '第二類までの案件' }), meta);
    await release(as.type1 as UserActor, a4.id, 'type1');
    await release(as.type1 as UserActor, a4.id, 'type2', 1);
    at(3 * DAY + 2 * HOUR);
    const bySecretariat = await councilDashboard(deps, as.secretariat as UserActor, period, meta);
    const byCommittee = await councilDashboard(deps, as.committee as UserActor, period, meta);
    expect(row(bySecretariat, type2d)?.feedbackMissing).toBe(2);
    expect(row(byCommittee, type2d)?.feedbackMissing).toBe(1);
    expect(row(byCommittee, type2b)?.feedbackMissing ?? 0).toBe(0);
    expect(row(bySecretariat, type2b)?.feedbackMissing).toBe(1);

    await expect(councilDashboard(deps, as.type1 as UserActor, {}, meta)).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('CSV: every chart, headers in the reader’s language, UTF-8 with a BOM, times in Japan time', async () => {
    const t1 = await type1Dashboard(deps, as.type1 as UserActor, {});
    const stages = type1Csv(t1, 'stages', 'ja');
    expect(stages.startsWith('\uFEFF公開段階,TLP:CLEAR,TLP:GREEN,TLP:AMBER,TLP:AMBER+STRICT,TLP:RED,合計\r\n')).toBe(true);
    expect(stages).toContain('\r\n第一類構成員G,0,0,1,0,1,2\r\n');
    expect(type1Csv(t1, 'stages', 'en')).toContain('\uFEFFRelease stage,');
    const releases = type1Csv(t1, 'releases', 'ja');
    expect(releases).toContain('不正ログインへの注意,1,TLP:AMBER,2026-04-01 12:00,2026-04-02 12:00,4,1,1,1,1,1');
    expect(type1Csv(t1, 'sectors', 'en')).toContain('Electricity,1,0,0');
    expect(type1Csv(t1, 'over-time', 'ja')).toContain('\r\n不正ログインへの注意,1,2026-04-01 12:00,0,0,0\r\n');
    expect(type1Csv(t1, 'lead-times', 'en').split('\r\n')[0]).toBe('\uFEFFCountermeasure item,Reported (JST),Hours until released to Type 1 group,Hours until released to Type 2 members (early),Hours until released to All members,Hours until released to Public');

    const council = await councilDashboard(deps, as.secretariat as UserActor, {}, meta);
    expect(councilCsv(council, 'members', 'ja').split('\r\n')[0]).toBe(
      '\uFEFF募集期間,基準日,合計,その期の加入,政令指定法人,第一類構成員,第二類構成員,一般の構成員,国の関係行政機関,地方公共団体,重要インフラ事業者,サイバー関連事業者,大学・教育研究機関,事業者の団体',
    );
    expect(councilCsv(council, 'ranking', 'en')).toContain('Type Two Power');
    expect(councilCsv(council, 'overdue', 'ja')).toContain('第二類大学,第二類構成員,2,0,0,0');

    const org = await organizationDashboard(deps, as.general as UserActor);
    expect(organizationCsv(org, 'deadlines', 'ja')).toBe('\uFEFF種類,件名,回答期限（日本時間）,回答済み,期限超過\r\n情報提供依頼,観測状況の提供のお願い,2026-04-03 21:00,はい,はい\r\n');
    expect(organizationCsv(org, 'ledger', 'en')).toContain('Requests answered (in time),1\r\n');
    expect(organizationCsv(org, 'ledger-months', 'ja').split('\r\n').length).toBe(14);
    expect(organizationCsv(org, 'available', 'ja')).toContain('全構成員,0,0,1,0,0,1');
  });
});
