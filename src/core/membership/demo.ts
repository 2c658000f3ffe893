/**
 * The demo council: four past recruitment periods with the real council's growth (91 → 155 → 225 → 265 members),
 * every class and category including the designated corporation, a foreign-capital Type 2 member with a special
 * approval and a foreign-capital general member without one, a suspended member, a withdrawal and an expulsion,
 * class changes, change notifications, applications in every state, published rosters, rulebooks, and a fifth
 * period open now so a visitor can apply. Everything goes through the use cases (so it is validated and audited);
 * the past is replayed with a moving clock. A few organisations get a user with a password, TOTP where the task
 * force requires it, accepted rules and an API token, listed for `kyogikai demo --out`.
 */
import { system, type UserActor } from '../actor.js';
import type { Deps, RequestMeta } from '../context.js';
import { generatePassword } from '../crypto.js';
import { Conflict, Unauthenticated } from '../errors.js';
import type { Category } from '../model.js';
import { currentTotp } from '../totp.js';
import { actorForUser, authenticateToken, enableTotp, startTotp } from '../usecases/auth.js';
import { createOrganization, updateOrganization } from '../usecases/organizations.js';
import { createToken } from '../usecases/tokens.js';
import { createUser } from '../usecases/users.js';
import { setCommittee, setPasswordWithLink } from './accounts.js';
import * as apps from './applications.js';
import { NameGenerator, seeded, type GeneratedOrg } from './demo-names.js';
import { ApplicationCreate, type ApplicableClass } from './model.js';
import { createPeriod } from './periods.js';
import { approveClassChange, rejectClassChange, requestClassChange, submitChangeNotification } from './requests.js';
import { publishRoster } from './roster.js';
import { acceptRulebooks, createRulebook, myRulebooks } from './rulebooks.js';
import { updateCouncilSettings } from './settings.js';
import { changeStanding } from './standing.js';
import { jst, jstDate } from './time.js';

export type DemoClass = 'designated' | 'type1' | 'type2' | 'general' | 'none';

/** One line of `kyogikai demo --out`: a user and a full API token of one organisation. */
export interface DemoAccount {
  name: string;
  class: DemoClass;
  foreignCapital: boolean;
  specialApproval: boolean;
  suspended: boolean;
  login: string;
  password: string;
  totpSecret: string | null;
  token: string;
}

export interface DemoResult {
  organizations: DemoAccount[];
  /** Members at each period's decision date. */
  growth: { period: number; members: number }[];
  /** Private status links of the open period's applications (for trying the applicant's side). */
  openApplications: { nameJa: string; status: string; accessToken: string }[];
}

const DAY = 86_400_000;
const GENERAL_MIX: Partial<Record<Category, number>> = {
  national_agency: 2,
  local_government: 5,
  critical_infrastructure: 6,
  cyber_business: 5,
  university: 3,
  business_association: 3,
};
const TYPE1_MIX: Partial<Record<Category, number>> = { cyber_business: 6, university: 2, critical_infrastructure: 1 };
const TYPE2_MIX: Partial<Record<Category, number>> = {
  critical_infrastructure: 5,
  local_government: 2,
  national_agency: 1,
  cyber_business: 1,
};

interface Spec {
  org: GeneratedOrg;
  requested: ApplicableClass;
  /** Approved into this class; null: rejected; 'withdrawn': the applicant withdraws. */
  outcome: ApplicableClass | 'rejected' | 'withdrawn';
  foreignShare?: number;
  specialApproval?: string;
  consent: boolean;
  /** Keep for accounts and later events. */
  key?: string;
}

interface Submitted {
  spec: Spec;
  id: string;
  accessToken: string;
  orgId?: string;
}

const REJECTIONS = [
  '申込書の記載から、協議会の構成員として求められる情報共有の体制を確認できませんでした。体制を整備のうえ、次期の募集で改めてお申込みください。',
  '同一グループの他法人がすでに構成員となっているため、グループとしての参加方法を事務局とご相談ください。',
];

export const demoRulebooks = {
  council_rules: `# サイバーセキュリティ協議会規約

## 第1章 総則

**第1条（目的）** 本協議会は、サイバーセキュリティに関する施策の推進に関し必要な協議を行うとともに、構成員相互の間でサイバーセキュリティに関する情報を迅速に共有し、もってサイバーセキュリティの確保に資することを目的とする。

**第2条（構成員）** 構成員は、国の関係行政機関、地方公共団体、重要インフラ事業者、サイバー関連事業者、大学・教育研究機関及び事業者の団体のうち、運営委員会の承認を得たものとする。

## 第2章 情報の取扱い

**第5条（情報提供）** 構成員は、正当な理由がある場合を除き、協議会からの求めに応じて資料又は情報を提供するよう努めなければならない。

**第6条（守秘義務）** 構成員は、協議会の事務に関して知り得た秘密を漏らし、又は盗用してはならない。構成員でなくなった後も同様とする。

**第7条（TLP）** 共有される情報には TLP 2.0 の区分を付し、構成員はその区分に従って取り扱う。

## 第3章 運営

**第10条（運営委員会）** 加入の承認、区分の決定、特別承認及び資格停止・除名は運営委員会が行う。

**第11条（事務局）** 協議会の庶務は事務局が処理する。
`,
  council_rules_v2: `# サイバーセキュリティ協議会規約（2022年4月1日改正）

**第1条（目的）** 本協議会は、構成員相互の間でサイバーセキュリティに関する情報を迅速に共有し、サイバーセキュリティの確保に資することを目的とする。

**第2条（構成員）** 構成員は、運営委員会の承認を得た国の関係行政機関、地方公共団体、重要インフラ事業者、サイバー関連事業者、大学・教育研究機関及び事業者の団体とする。

**第6条（守秘義務）** 構成員は、協議会の事務に関して知り得た秘密を漏らし、又は盗用してはならない。違反した場合、運営委員会は資格停止又は除名を決定することができる。

**第6条の2（アカウントの管理）** 構成員は、利用者のアカウントを適切に管理し、退職等により不要となったアカウントを速やかに無効化しなければならない。

**第7条（TLP）** 共有される情報には TLP 2.0 の区分を付し、構成員はその区分に従って取り扱う。
`,
  taskforce_rules: `# 24条タスクフォース規則

**第1条（構成）** タスクフォースは、第一類構成員、政令指定法人及び第二類構成員で構成する。外資系法人等は、運営委員会の特別承認を得た場合に限り参加することができる。

**第2条（第一類構成員）** 第一類構成員は、未確定の段階を含む専門的な分析及び独自情報を提供し、相互にフィードバックを行う。

**第3条（第二類構成員）** 第二類構成員は、早期に提供される対策情報について、速やかに「来ている」「来ていない」「わからない」のいずれかで回答する。

**第4条（顧客への利用）** 第一類構成員は、TLP:AMBER の情報を自らの顧客の対策のために必要な範囲で利用することができる。
`,
  confidentiality_pledge: `# 守秘義務の誓約

私は、サイバーセキュリティ協議会の構成員の利用者として、次の事項を誓約します。

1. 協議会において知り得た秘密を漏らし、又は盗用しません（サイバーセキュリティ基本法第17条第5項。違反には罰則があります）。
2. TLP の区分に従って情報を取り扱い、TLP:RED 及び TLP:AMBER の情報を電子メール等で転送しません。
3. 情報の提供者を推測できる形で情報を第三者に伝えません。
4. アカウントを他人に使わせず、不要になったときは直ちに事務局に届け出ます。
`,
} as const;

/** The periods of the demo council (past ones after the real council's calendar). */
function pastPeriods() {
  return [
    { number: 1, opensAt: jst(2019, 1, 15, 10), closesAt: jst(2019, 2, 28, 18), decisionDate: '2019-03-29' },
    { number: 2, opensAt: jst(2019, 10, 1, 10), closesAt: jst(2019, 11, 29, 18), decisionDate: '2020-01-31' },
    { number: 3, opensAt: jst(2020, 10, 1, 10), closesAt: jst(2020, 11, 30, 18), decisionDate: '2021-01-29' },
    { number: 4, opensAt: jst(2021, 12, 1, 10), closesAt: jst(2022, 2, 28, 18), decisionDate: '2022-03-31' },
  ];
}

/**
 * Load the demo council. Refuses a database that already has organisations (other than the secretariat) or
 * periods: the demo is for a fresh database.
 */
export async function loadMembershipDemo(deps: Deps, meta: RequestMeta = { ip: null, userAgent: 'demo' }): Promise<DemoResult> {
  const actor = system('demo');
  const read = deps.store.read;
  const secretariat = await read.organizations.secretariat();
  if (!secretariat) throw new Conflict('demo_needs_secretariat');
  if ((await read.members.all()).length > 0 || (await read.periods.list()).length > 0) throw new Conflict('demo_not_empty');

  // The past is replayed with a clock of its own.
  let simTime = Date.parse(jst(2019, 1, 7, 10));
  const sim: Deps = { ...deps, now: () => new Date(simTime) };
  const at = (instant: string | number) => {
    simTime = typeof instant === 'number' ? instant : Date.parse(instant);
  };
  const tick = () => {
    simTime += 7 * 60_000;
  };
  const rand = seeded(265);
  const names = new NameGenerator();

  await updateCouncilSettings(
    sim,
    actor,
    {
      councilName: { ja: 'サイバーセキュリティ協議会', en: 'Cybersecurity Council' },
      secretariatName: { ja: '国家サイバー統括室', en: 'National Cybersecurity Office' },
    },
    meta,
  );
  const effective = '2019-04-01T00:00:00+09:00';
  await createRulebook(sim, actor, { kind: 'council_rules', bodyMd: demoRulebooks.council_rules, effectiveAt: effective }, meta);
  await createRulebook(sim, actor, { kind: 'taskforce_rules', bodyMd: demoRulebooks.taskforce_rules, effectiveAt: effective }, meta);
  await createRulebook(sim, actor, { kind: 'confidentiality_pledge', bodyMd: demoRulebooks.confidentiality_pledge, effectiveAt: effective }, meta);

  const kept = new Map<string, Submitted>();
  const growth: DemoResult['growth'] = [];

  const application = (s: Spec, periodNumber: number): ApplicationCreate =>
    ApplicationCreate.parse({
      periodNumber,
      nameJa: s.org.nameJa,
      nameEn: s.org.nameEn,
      category: s.org.category,
      sector: s.org.sector,
      foreignCapital: s.foreignShare !== undefined,
      foreignCapitalShare: s.foreignShare ?? null,
      requestedClass: s.requested,
      contacts: [
        { name: s.org.contactName, department: s.org.department, email: `security@${s.org.domain}`, phone: '03-5253-2111' },
      ],
      reason: 'サイバー攻撃に関する情報を迅速に共有し、自組織及び関係者の対策に活かすため。',
      ...(s.requested === 'type1'
        ? { capabilities: 'SOC で観測した攻撃通信の解析結果、マルウェアの独自解析、インシデント対応の知見を提供できます。' }
        : {}),
      quickFeedbackCommitment: s.requested !== 'general',
      rosterConsent: s.consent,
      locale: 'ja',
    });

  /** Specs of one period: approvals by class (and a few asked for more than they got), two rejections. */
  function plan(counts: Record<ApplicableClass, number>, extra: Spec[] = []): Spec[] {
    const specs: Spec[] = [...extra];
    for (const cls of ['type1', 'type2', 'general'] as const) {
      const mix = cls === 'type1' ? TYPE1_MIX : cls === 'type2' ? TYPE2_MIX : GENERAL_MIX;
      for (let i = 0; i < counts[cls]; i++) {
        // Some general members had asked for Type 2: the committee approves into another class.
        const requested = cls === 'general' && i % 15 === 3 ? 'type2' : cls;
        specs.push({ org: names.next(names.category(mix)), requested, outcome: cls, consent: rand() < 0.88 });
      }
    }
    for (let i = 0; i < 2; i++) specs.push({ org: names.next(names.category(GENERAL_MIX)), requested: 'general', outcome: 'rejected', consent: true });
    return specs;
  }

  async function runPeriod(p: ReturnType<typeof pastPeriods>[number], specs: Spec[], afterDecision?: () => Promise<void>) {
    at(Date.parse(p.opensAt) - 30 * DAY);
    await createPeriod(sim, actor, { number: p.number, opensAt: p.opensAt, closesAt: p.closesAt, decisionDate: p.decisionDate }, meta);
    at(Date.parse(p.opensAt) + DAY);
    const submitted: Submitted[] = [];
    for (const spec of specs) {
      tick();
      const s = await apps.submitApplication(sim, application(spec, p.number), meta);
      const entry: Submitted = { spec, id: s.application.id, accessToken: s.accessToken };
      submitted.push(entry);
      if (spec.key) kept.set(spec.key, entry);
    }
    at(Date.parse(p.opensAt) + 20 * DAY);
    for (const s of submitted.filter((x) => x.spec.outcome === 'withdrawn')) {
      tick();
      await apps.withdrawApplication(sim, s.accessToken, { reason: '社内の体制が整ってから改めて申し込みます。' }, meta);
    }
    // One application per period needed a question before it was complete.
    at(Date.parse(p.closesAt) + DAY);
    const asked = submitted.find((x) => x.spec.outcome === 'general');
    if (asked) {
      await apps.returnApplication(sim, actor, asked.id, { message: '担当者の電話番号に誤りがないかご確認ください。' }, meta);
      tick();
      await apps.answerQuestions(sim, asked.accessToken, { message: '確認しました。記載のとおりで誤りありません。' }, meta);
    }
    at(Date.parse(p.closesAt) + 3 * DAY);
    for (const s of submitted.filter((x) => x.spec.outcome !== 'withdrawn')) {
      tick();
      await apps.checkApplication(sim, actor, s.id, {}, meta);
    }
    at(jst(...(p.decisionDate.split('-').map(Number) as [number, number, number]), 10));
    let rejection = 0;
    for (const s of submitted) {
      tick();
      const outcome = s.spec.outcome;
      if (outcome === 'withdrawn') continue;
      if (outcome === 'rejected') {
        await apps.rejectApplication(sim, actor, s.id, { reason: REJECTIONS[rejection++ % REJECTIONS.length] ?? '' }, meta);
        continue;
      }
      const result = await apps.approveApplication(
        sim,
        actor,
        s.id,
        {
          memberClass: outcome,
          ...(outcome !== s.spec.requested ? { reason: '当面は一般の構成員として参加いただき、活動状況を踏まえて区分を見直します。' } : {}),
          ...(s.spec.specialApproval ? { specialApproval: { reason: s.spec.specialApproval } } : {}),
        },
        meta,
      );
      s.orgId = result.organizationId;
    }
    if (afterDecision) await afterDecision();
    at(Date.parse(jst(...(p.decisionDate.split('-').map(Number) as [number, number, number]), 10)) + DAY);
    await publishRoster(sim, actor, { asOf: p.decisionDate }, meta);
    growth.push({ period: p.number, members: (await read.members.all()).filter((o) => o.status !== 'withdrawn' && o.status !== 'expelled' && o.memberClass !== 'none').length });
    return submitted;
  }

  const keyed = (key: string, s: Spec): Spec => ({ ...s, key });
  const [p1, p2, p3, p4] = pastPeriods() as [ReturnType<typeof pastPeriods>[number], ReturnType<typeof pastPeriods>[number], ReturnType<typeof pastPeriods>[number], ReturnType<typeof pastPeriods>[number]];

  // ---- Period 1: 91 members, among them the designated corporation.
  const designatedSpec = keyed('designated', {
    org: names.named('一般社団法人サイバー緊急対応調整センター', 'Cyber Emergency Response Coordination Center', 'cyber_business'),
    requested: 'type1',
    outcome: 'type1',
    consent: true,
  });
  const p1Specs = plan({ type1: 10, type2: 15, general: 65 }, [designatedSpec]);
  markFirst(p1Specs, 'type1', 'type1-a');
  markFirst(p1Specs, 'type2', 'type2-a');
  markFirst(p1Specs, 'general', 'general-a');
  markNth(p1Specs, 'general', 5, 'leaves-withdraw');
  markNth(p1Specs, 'general', 6, 'upgrade-1');
  markNth(p1Specs, 'general', 7, 'upgrade-2');
  await runPeriod(p1, p1Specs, async () => {
    const d = kept.get('designated');
    if (d?.orgId) await updateOrganization(sim, actor, d.orgId, { designated: true }, meta);
  });

  // ---- Period 2: 155 members; a foreign-capital Type 2 member with the committee's special approval.
  const foreignSa = keyed('type2-foreign', {
    org: names.named('ノースブリッジ・セキュリティ・ジャパン株式会社', 'Northbridge Security Japan K.K.', 'cyber_business'),
    requested: 'type2',
    outcome: 'type2',
    foreignShare: 100,
    specialApproval: '本国親会社を含め、長年にわたり国内の重要インフラ事業者と高度の信頼関係を有し、インシデント対応の実績があるため。',
    consent: true,
  });
  const p2Specs = plan({ type1: 5, type2: 11, general: 47 }, [foreignSa]);
  markFirst(p2Specs, 'type1', 'type1-b');
  markFirst(p2Specs, 'type2', 'type2-b');
  markNth(p2Specs, 'general', 4, 'leaves-expel');
  markNth(p2Specs, 'type2', 3, 'type2-upgrade-rejected');
  await runPeriod(p2, p2Specs);

  // ---- Period 3: 225 members; a foreign-capital organisation asked for Type 2 and became a general member (no
  // special approval); between periods 2 and 3 one member withdrew, one was expelled, two moved up to Type 2.
  const foreignGeneral = keyed('general-foreign', {
    org: names.named('グローバルクラウドサービス・ジャパン合同会社', 'Global Cloud Services Japan G.K.', 'cyber_business'),
    requested: 'type2',
    outcome: 'general',
    foreignShare: 100,
    consent: true,
  });
  const p3Specs = plan({ type1: 4, type2: 10, general: 57 }, [foreignGeneral]);
  markFirst(p3Specs, 'type1', 'type1-c');
  markNth(p3Specs, 'general', 8, 'general-suspended');
  p3Specs.push({ org: names.next('university'), requested: 'general', outcome: 'withdrawn', consent: true });
  at(Date.parse(p3.opensAt) - 60 * DAY);
  const withdrawing = kept.get('leaves-withdraw')?.orgId;
  if (withdrawing) await changeStanding(sim, actor, withdrawing, 'withdraw', { reason: '組織再編に伴う退会' }, meta);
  at(Date.parse(p3.opensAt) - 40 * DAY);
  const expelled = kept.get('leaves-expel')?.orgId;
  if (expelled) {
    await changeStanding(sim, actor, expelled, 'expel', { reason: '守秘義務違反（TLP:AMBER の対策情報を外部のウェブサイトに転載）' }, meta);
  }
  for (const key of ['upgrade-1', 'upgrade-2']) {
    const orgId = kept.get(key)?.orgId;
    if (!orgId) continue;
    at(Date.parse(p3.opensAt) - 20 * DAY);
    const req = await requestClassChange(sim, actor, orgId, { requestedClass: 'type2', reason: '重要インフラ事業者との取引拡大に伴い、早期の対策情報を受けたい。', quickFeedbackCommitment: true }, meta);
    at(Date.parse(p3.opensAt) - 10 * DAY);
    await approveClassChange(sim, actor, req.id, { reason: 'フィードバック体制を確認した。' }, meta);
  }
  await runPeriod(p3, p3Specs);

  // ---- Period 4: 265 members; one member is suspended while a possible confidentiality breach is looked into.
  const p4Specs = plan({ type1: 3, type2: 6, general: 31 });
  markFirst(p4Specs, 'type2', 'type2-c');
  markFirst(p4Specs, 'general', 'general-b');
  at(Date.parse(p4.opensAt) + 15 * DAY);
  const suspended = kept.get('general-suspended')?.orgId;
  if (suspended) await changeStanding(sim, actor, suspended, 'suspend', { reason: '守秘義務の誓約に反する情報の取扱いの疑い（調査中）' }, meta);
  const upgrade = kept.get('type2-upgrade-rejected')?.orgId;
  if (upgrade) {
    const req = await requestClassChange(
      sim,
      actor,
      upgrade,
      { requestedClass: 'type1', reason: '独自の分析結果を提供したい。', capabilities: '自社 SOC の観測データ', quickFeedbackCommitment: true },
      meta,
    );
    tick();
    await rejectClassChange(sim, actor, req.id, { reason: '独自情報の提供実績を1年程度積んだうえで、改めて申請してください。' }, meta);
  }
  await runPeriod(p4, p4Specs);
  at(Date.parse(p4.closesAt) + 40 * DAY);
  await createRulebook(sim, actor, { kind: 'council_rules', bodyMd: demoRulebooks.council_rules_v2, effectiveAt: '2022-04-01T00:00:00+09:00' }, meta);

  // ---- Period 5: open now, with applications in the open states.
  const now = deps.now();
  const today = jstDate(now.toISOString()).split('-').map(Number) as [number, number, number];
  const opens = Date.parse(jst(...today, 10)) - 14 * DAY;
  const closes = Date.parse(jst(...today, 18)) + 45 * DAY;
  at(opens - 20 * DAY);
  await createPeriod(
    sim,
    actor,
    {
      number: 5,
      opensAt: new Date(opens).toISOString(),
      closesAt: new Date(closes).toISOString(),
      decisionDate: jstDate(new Date(closes + 30 * DAY).toISOString()),
    },
    meta,
  );
  const openApplications: DemoResult['openApplications'] = [];
  const p5: { spec: Spec; then: 'submitted' | 'returned' | 'checked' }[] = [
    { spec: { org: names.next('local_government'), requested: 'general', outcome: 'general', consent: true }, then: 'submitted' },
    { spec: { org: names.next('cyber_business'), requested: 'type1', outcome: 'type1', consent: true }, then: 'submitted' },
    { spec: { org: names.next('critical_infrastructure'), requested: 'type2', outcome: 'type2', consent: false }, then: 'returned' },
    { spec: { org: names.next('university'), requested: 'general', outcome: 'general', consent: true }, then: 'checked' },
  ];
  for (const { spec, then } of p5) {
    const s = await apps.submitApplication(deps, application(spec, 5), meta);
    if (then === 'returned') {
      await apps.returnApplication(deps, actor, s.application.id, { message: '第二類構成員として迅速な回答を行う体制（担当部署・連絡手段）を具体的にご記入ください。' }, meta);
    }
    if (then === 'checked') await apps.checkApplication(deps, actor, s.application.id, {}, meta);
    openApplications.push({ nameJa: spec.org.nameJa, status: then, accessToken: s.accessToken });
  }

  // ---- Accounts: a user with password, rules accepted, an API token (and TOTP in the task force) for a few members.
  // Password hashing (argon2, slow on purpose) dominates here: the accounts are set up side by side, and act
  // through the actor the server would build for them rather than signing in (a second hash check each).
  const enroll = async (name: string, cls: DemoClass, loginId: string, password: string, flags: Partial<DemoAccount> = {}): Promise<DemoAccount> => {
    const record = await read.users.byLogin(loginId);
    const user = record && (await actorForUser(read, record, { via: 'session', readOnly: false }, deps.now()));
    if (!user) throw new Unauthenticated('unauthenticated');
    const pending = await myRulebooks(deps, user);
    if (pending.items.length) await acceptRulebooks(deps, user, pending.items.map((i) => i.id), meta);
    const { token } = await createToken(deps, user, { name: 'demo', expiresInDays: 365, readOnly: false }, meta);
    let totpSecret: string | null = null;
    if (cls === 'designated' || cls === 'type1' || cls === 'type2') {
      const started = await startTotp(deps, user);
      // Confirmed with the previous step's code, so the current code still works for the first sign-in.
      await enableTotp(deps, user, currentTotp(started.secret, new Date(deps.now().getTime() - 30_000)), meta);
      totpSecret = started.secret;
    }
    return { name, class: cls, foreignCapital: false, specialApproval: false, suspended: false, login: loginId, password, totpSecret, token, ...flags };
  };
  const enrollApplicant = async (key: string, cls: DemoClass, flags: Partial<DemoAccount> = {}): Promise<DemoAccount | undefined> => {
    const entry = kept.get(key);
    if (!entry) return undefined;
    const link = await apps.passwordLinkForApplicant(deps, entry.accessToken, meta);
    const password = generatePassword();
    await setPasswordWithLink(deps, { token: link.passwordSetupToken, password }, meta);
    return enroll(entry.spec.org.nameJa, cls, link.login, password, flags);
  };
  const newUser = async (orgId: string, name: string, cls: DemoClass, u: { login: string; displayName: string; role: 'admin' | 'analyst' }, committee = false) => {
    const password = generatePassword();
    const created = await createUser(deps, actor, orgId, { ...u, email: `${u.login}@example.jp`, locale: 'ja', password }, meta);
    if (committee) await setCommittee(deps, actor, created.user.id, true, meta);
    return enroll(name, cls, u.login, password);
  };

  const experts = await createOrganization(
    deps,
    actor,
    { nameJa: '運営委員会 有識者委員', nameEn: 'Steering Committee (Independent Experts)', category: 'university', memberClass: 'none', foreignCapital: false, designated: false, rosterConsent: false },
    meta,
  );
  const designatedOrgId = kept.get('designated')?.orgId;
  const enrolled = await Promise.all([
    newUser(secretariat.id, secretariat.nameJa, 'none', { login: 'demo-secretariat', displayName: '事務局 担当者', role: 'admin' }),
    newUser(experts.id, experts.nameJa, 'none', { login: 'demo-committee', displayName: '運営委員 有識者', role: 'admin' }, true),
    enrollApplicant('designated', 'designated'),
    designatedOrgId
      ? newUser(designatedOrgId, designatedSpec.org.nameJa, 'designated', { login: 'demo-designated-analyst', displayName: '分析担当', role: 'analyst' })
      : undefined,
    ...['type1-a', 'type1-b', 'type1-c'].map((key) => enrollApplicant(key, 'type1')),
    ...['type2-a', 'type2-b', 'type2-c'].map((key) => enrollApplicant(key, 'type2')),
    enrollApplicant('type2-foreign', 'type2', { foreignCapital: true, specialApproval: true }),
    ...['general-a', 'general-b'].map((key) => enrollApplicant(key, 'general')),
    enrollApplicant('general-foreign', 'general', { foreignCapital: true }),
    enrollApplicant('general-suspended', 'general', { suspended: true }),
  ]);
  const accounts = enrolled.filter((a): a is DemoAccount => a !== undefined);

  // Requests waiting for the secretariat and the committee now.
  const generalA = kept.get('general-a');
  if (generalA?.orgId) {
    const admin = await memberAdmin(deps, accounts, generalA.spec.org.nameJa);
    if (admin) {
      await requestClassChange(deps, admin, generalA.orgId, { requestedClass: 'type2', reason: '自治体向けサービスの拡大に伴い、早期の対策情報を受けたい。', quickFeedbackCommitment: true }, meta);
      await submitChangeNotification(deps, admin, generalA.orgId, { changes: { nameEn: `${generalA.spec.org.nameEn} (renamed)` }, note: '英文名称の変更' }, meta);
    }
  }

  return { organizations: accounts, growth, openApplications };
}

/** Sign the demo account of an organisation in through its token, to file requests as that organisation. */
async function memberAdmin(deps: Deps, accounts: DemoAccount[], name: string): Promise<UserActor | undefined> {
  const account = accounts.find((a) => a.name === name);
  if (!account) return undefined;
  return authenticateToken(deps, account.token);
}

function markFirst(specs: Spec[], cls: ApplicableClass, key: string): void {
  const s = specs.find((x) => x.outcome === cls && x.requested === cls && !x.key);
  if (s) {
    s.key = key;
    s.consent = true;
  }
}

function markNth(specs: Spec[], cls: ApplicableClass, n: number, key: string): void {
  const s = specs.filter((x) => x.outcome === cls && x.requested === cls && !x.key)[n];
  if (s) {
    s.key = key;
    s.consent = true;
  }
}
