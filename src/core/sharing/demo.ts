/**
 * The information side of the demo council (`kyogikai demo`): reports of every kind and certainty (some
 * anonymous), Type 1 analysis threads, countermeasure information at every stage and TLP with versions and
 * Type 2 answers (some late, some missing, one item still open for feedback), information requests in
 * large-scale attack mode (one past its deadline, answered late or not at all), and consultations in every state.
 * Everything goes through the use cases with a clock that walks through the last two weeks, so it is validated,
 * audited and counted in the give-and-take ledger like real work.
 */
import type { UserActor } from '../actor.js';
import type { Deps, RequestMeta } from '../context.js';
import { Conflict } from '../errors.js';
import type { DemoAccount } from '../membership/demo.js';
import { authenticateToken } from '../usecases/auth.js';
import { createAdvisory, releaseAdvisory, releaseCheck, reviseAdvisory } from './advisories.js';
import {
  answerConsultation,
  answerQuestion,
  consentByToken,
  convertConsultation,
  getConsultation,
  issueChallenge,
  listConsultations,
  postByToken,
  relayAnswer,
  solveChallenge,
  submitConsultation,
  widenConsultation,
} from './consultations.js';
import { submitFeedback } from './feedback.js';
import type { AdvisoryCreate, ReportCreate, Stage } from './model.js';
import { addComment, corroborate, createReport, linkReports } from './reports.js';
import { answerRequest, declareCampaign, issueRequest } from './requests.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface SharingDemoResult {
  reports: number;
  advisories: number;
  /** Private links of the demo consultations, to try the consulter's side. */
  consultationLinks: { status: string; token: string }[];
}

export async function loadSharingDemo(
  deps: Deps,
  accounts: readonly DemoAccount[],
  opts: { powBits: number },
  meta: RequestMeta = { ip: null, userAgent: 'demo' },
): Promise<SharingDemoResult> {
  // Two weeks of council life, ending now.
  const end = deps.now().getTime();
  let simTime = end - 14 * DAY;
  const sim: Deps = { ...deps, now: () => new Date(simTime) };
  const after = (ms: number) => {
    simTime = Math.min(simTime + ms, end);
  };

  const actors = new Map<string, UserActor>();
  for (const a of accounts) {
    const actor = await authenticateToken(deps, a.token);
    if (actor && !actors.has(`${a.class}:${a.name}`)) actors.set(`${a.class}:${a.name}`, actor);
  }
  const pick = (cls: DemoAccount['class'], n = 0, filter: (a: DemoAccount) => boolean = (a) => !a.foreignCapital && !a.suspended) => {
    const account = accounts.filter((a) => a.class === cls && filter(a))[n];
    const actor = account && actors.get(`${cls}:${account.name}`);
    if (!actor) throw new Conflict('demo_needs_accounts');
    return actor;
  };
  const designated = pick('designated');
  const type1a = pick('type1', 0);
  const type1b = pick('type1', 1);
  const type2 = [pick('type2', 0), pick('type2', 1), pick('type2', 2)];
  const type2Foreign = pick('type2', 0, (a) => a.foreignCapital && a.specialApproval);
  const generalA = pick('general', 0);
  const generalB = pick('general', 1);
  const secretariat = pick('none', 0, (a) => a.login === 'demo-secretariat');

  let reports = 0;
  let advisories = 0;
  const report = async (actor: UserActor, input: Partial<ReportCreate> & Pick<ReportCreate, 'title' | 'description' | 'kind' | 'certainty'>) => {
    after(7 * HOUR);
    reports++;
    return createReport(
      sim,
      actor,
      {
        confidence: 'low',
        tlp: 'amber',
        isConsultation: false,
        isOriginal: false,
        providerNamed: false,
        observables: [],
        recipientUserIds: [],
        ...input,
      },
      meta,
    );
  };

  // 1. Reports, from intuitive unease to confirmed incidents.
  const unease = await report(generalA, {
    title: '深夜帯に海外IPアドレスからのログイン試行が急増',
    description:
      '住民向けポータルの管理画面に対し、11月中旬から深夜2時〜4時に海外のIPアドレスからのログイン試行が増えています。' +
      '実害は確認していませんが、普段と違う動きのため念のため共有します（直感的な違和感の段階です）。',
    kind: 'suspicious_activity',
    certainty: 'unease',
    observables: [
      { type: 'ipv4', value: '203.0.113.45' },
      { type: 'ipv4', value: '198.51.100.23' },
    ],
  });
  const smishing = await report(type2[0] as UserActor, {
    title: '宅配業者を装ったSMS（スミッシング）による偽サイトへの誘導',
    description:
      '顧客から「不在通知」を装ったSMSを受信したとの問合せが相次いでいます。リンク先は当社ログイン画面を模した偽サイトで、' +
      'ID・パスワードとワンタイムパスワードの入力を求めます。',
    kind: 'phishing',
    certainty: 'likely',
    confidence: 'medium',
    tlp: 'green',
    providerNamed: true,
    observables: [
      { type: 'url', value: 'hxxps://delivery-check[.]example/login' },
      { type: 'domain', value: 'delivery-check.example' },
    ],
    technique: 'SMSによるフィッシング、リアルタイムでのOTP中継',
    objective: 'オンラインバンキングの認証情報の窃取',
  });
  const malware = await report(type1a, {
    title: '請求書を装った添付ファイルによるマルウェア感染の試み（エモテット類似）',
    description:
      '取引先を装ったメールに、パスワード付きZIPの「請求書」が添付されています。展開されたマクロ付き文書が' +
      '外部から二次検体を取得します。当社の解析で得た独自の情報（オリジナル情報）です。',
    kind: 'malware',
    certainty: 'confirmed',
    confidence: 'high',
    isOriginal: true,
    observables: [
      { type: 'sha256', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
      { type: 'domain', value: 'invoice-download.example' },
      { type: 'ipv4', value: '203.0.113.45' },
    ],
    attackSource: '取引先を装った日本語のメール',
    technique: 'パスワード付きZIP、マクロ付き文書',
    objective: '情報窃取、ランサムウェア感染の足がかり',
  });
  const vpn = await report(type2[1] as UserActor, {
    title: 'VPN装置の脆弱性（CVE-2024-3400）を悪用したとみられる侵入の痕跡',
    description:
      '発電所の運用系とは分離された業務系ネットワークのVPN装置で、設定ファイルの不審な変更と外部への通信を確認しました。' +
      '運用系への影響は確認されていません。',
    kind: 'vulnerability',
    certainty: 'confirmed',
    confidence: 'high',
    tlp: 'amber+strict',
    observables: [
      { type: 'cve', value: 'CVE-2024-3400' },
      { type: 'ipv4', value: '198.51.100.23' },
    ],
  });
  const defacement = await report(generalB, {
    title: '大学Webサイトの一部ページの改ざん',
    description: '研究室の紹介ページが改ざんされ、外部サイトへ転送するスクリプトが埋め込まれていました。CMSのプラグインが古い版でした。',
    kind: 'incident',
    certainty: 'confirmed',
    confidence: 'medium',
    tlp: 'green',
    providerNamed: true,
    observables: [{ type: 'url', value: 'http://redirect.example/landing' }],
  });
  await report(generalA, {
    title: '業務システムの応答が不安定：攻撃かどうか判断できない',
    description: '窓口業務システムの応答が時々止まります。アクセス数は平常並みに見えますが、攻撃の可能性があるか相談したいです。',
    kind: 'other',
    certainty: 'unease',
    isConsultation: true,
  });
  await report(designated, {
    title: '特定の第一類構成員にのみ共有する攻撃インフラ情報',
    description: '調整中の案件に関する攻撃インフラの情報です。TLP:RED のため、宛先に指定した方のみ閲覧できます。',
    kind: 'malware',
    certainty: 'likely',
    tlp: 'red',
    recipientUserIds: [type1a.userId],
  });

  // 2. The Type 1 group analyses: threads, corroboration, links.
  after(3 * HOUR);
  await corroborate(sim, type1b, unease.id, '当社の顧客でも同じIPアドレスからの試行を観測しています。', meta);
  await addComment(sim, type1a, unease.id, { kind: 'comment', body: '同じIPアドレスが当社解析のマルウェア検体の通信先にも現れています。関連を調査します。' }, meta);
  await addComment(sim, type1a, unease.id, { kind: 'reply', body: 'ご報告ありがとうございます。該当時間帯のログの保全をお願いします。' }, meta);
  await linkReports(sim, type1a, unease.id, malware.id, meta);
  await corroborate(sim, designated, smishing.id, undefined, meta);
  await addComment(sim, designated, smishing.id, { kind: 'original', body: '同一の偽サイトが複数の金融機関を標的にしていることを確認しました（オリジナル情報）。' }, meta);
  await addComment(sim, type1b, vpn.id, { kind: 'comment', body: 'ベンダーの修正版の適用状況を第二類構成員に確認する必要があります。' }, meta);
  await addComment(sim, type1a, defacement.id, { kind: 'comment', body: '同じCMSプラグインの脆弱性を狙った改ざんが他でも報告されています。' }, meta);

  // 3. Countermeasure information at every stage.
  const advisory = async (actor: UserActor, input: AdvisoryCreate, stages: Stage[], answers?: (id: string) => Promise<void>, feedbackHours = 24) => {
    after(5 * HOUR);
    advisories++;
    const created = await createAdvisory(sim, actor, input, meta);
    for (const to of stages) {
      after(4 * HOUR);
      const releaser = to === 'type1' ? actor : to === 'type2' ? designated : type1a;
      const flags = to === 'type1' ? [] : await releaseCheck(sim, releaser, created.id);
      await releaseAdvisory(sim, releaser, created.id, { to, feedbackHours, confirmFlags: flags.map((f) => f.text) }, meta);
      if (to === 'type2' && answers) await answers(created.id);
    }
    return created;
  };
  const content = (title: string, summary: string, extra: Partial<AdvisoryCreate> = {}): AdvisoryCreate => ({
    title,
    summary,
    threat: extra.threat ?? summary,
    actions: extra.actions ?? '',
    affectedProducts: [],
    sectors: [],
    indicators: [],
    confidence: 'medium',
    tlp: 'amber',
    recipientUserIds: [],
    ...extra,
  });
  const answer = (actor: UserActor, id: string, a: 'seen' | 'not_seen' | 'unknown', comment?: string) =>
    submitFeedback(sim, actor, id, { answer: a, sightings: [], ...(comment ? { comment } : {}) }, meta);

  await advisory(
    type1b,
    content('【下書き】教育機関を狙ったCMSプラグインの脆弱性悪用', '複数の大学Webサイトで同一のCMSプラグインを悪用した改ざんが見られます。', {
      actions: '1. プラグインを最新版に更新する。\n2. 改ざん検知を有効にする。',
      sourceReportId: defacement.id,
      sectors: [],
    }),
    [],
  );
  await advisory(
    type1a,
    content('VPN装置の脆弱性（CVE-2024-3400）悪用の痕跡と確認事項', '業務系ネットワークのVPN装置で、脆弱性を悪用したとみられる侵入の痕跡が確認されました。', {
      tlp: 'amber+strict',
      actions: '1. 修正版を適用する。\n2. 設定ファイルの変更履歴と外部通信を確認する。\n3. 認証情報を変更する。',
      affectedProducts: ['VPN装置（特定ベンダー製）'],
      sectors: ['electricity', 'gas'],
      indicators: [
        { type: 'cve', value: 'CVE-2024-3400' },
        { type: 'ipv4', value: '198.51.100.23' },
      ],
      sourceReportId: vpn.id,
    }),
    ['type1'],
  );
  // Early to Type 2, feedback still open: two answers in, the rest missing.
  await advisory(
    type1a,
    content('宅配業者を装ったスミッシングによるワンタイムパスワードの中継', '偽サイトが入力されたOTPをリアルタイムで中継し、不正送金を行う手口が確認されています。', {
      actions: '1. 顧客への注意喚起を行う。\n2. 偽サイトのドメインをブロックする。\n3. 不審な送金の監視を強化する。',
      sectors: ['finance', 'credit_card'],
      indicators: [
        { type: 'url', value: 'https://delivery-check.example/login' },
        { type: 'domain', value: 'delivery-check.example' },
      ],
      sourceReportId: smishing.id,
    }),
    ['type1', 'type2'],
    async (id) => {
      after(2 * HOUR);
      await answer(type2[0] as UserActor, id, 'seen', '当社顧客向けSMSで同一ドメインを確認。');
      after(3 * HOUR);
      await answer(type2Foreign, id, 'not_seen');
    },
  );
  // Through Type 2 to all members, revised once: answers in time, one late, one missing.
  const released = await advisory(
    type1a,
    content('請求書を装ったマルウェア付きメール（エモテット類似）への注意', 'パスワード付きZIPの「請求書」を開かせ、マクロ付き文書から二次検体を取得させる攻撃が続いています。', {
      actions: '1. マクロの自動実行を無効にする。\n2. パスワード付きZIPの受信時の確認手順を定める。\n3. 通信先をブロックする。',
      sectors: [],
      indicators: [
        { type: 'sha256', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
        { type: 'domain', value: 'invoice-download.example' },
        { type: 'ipv4', value: '203.0.113.45' },
      ],
      sourceReportId: malware.id,
    }),
    ['type1', 'type2'],
    async (id) => {
      after(3 * HOUR);
      await answer(type2[0] as UserActor, id, 'seen', '同様の添付ファイルを3件受信し、隔離しました。');
      after(2 * HOUR);
      await answer(type2[1] as UserActor, id, 'unknown', 'ログの保存期間外のため確認できません。');
      after(30 * HOUR);
      await answer(type2Foreign, id, 'not_seen');
    },
  );
  after(2 * HOUR);
  await reviseAdvisory(
    sim,
    type1a,
    released.id,
    {
      title: '請求書を装ったマルウェア付きメール（エモテット類似）への注意（第2版）',
      summary: 'パスワード付きZIPの「請求書」を開かせる攻撃が続いています。第二類構成員からの報告を受け、通信先を追加しました。',
      threat: 'マクロ付き文書が外部から二次検体を取得します。',
      actions: '1. マクロの自動実行を無効にする。\n2. パスワード付きZIPの受信時の確認手順を定める。\n3. 通信先をブロックする（198.51.100.23 を追加）。',
      affectedProducts: [],
      sectors: [],
      indicators: [
        { type: 'sha256', value: '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08' },
        { type: 'domain', value: 'invoice-download.example' },
        { type: 'ipv4', value: '203.0.113.45' },
        { type: 'ipv4', value: '198.51.100.23' },
      ],
      confidence: 'high',
      note: '第二類構成員のフィードバックを反映',
    },
    meta,
  );
  await releaseAdvisory(sim, type1a, released.id, { to: 'members', feedbackHours: 24, confirmFlags: (await releaseCheck(sim, type1a, released.id)).map((f) => f.text) }, meta);
  // All the way to the public, TLP:CLEAR.
  await advisory(
    type1b,
    content('ウェブサイト改ざん対策の基本（一般公開）', 'CMSとプラグインの更新、管理画面へのアクセス制限、改ざん検知の導入を推奨します。', {
      tlp: 'clear',
      actions: '1. CMS本体とプラグインを最新に保つ。\n2. 管理画面へのアクセスを制限する。\n3. 改ざん検知とバックアップを用意する。',
      confidence: 'high',
    }),
    ['type1', 'type2', 'members', 'public'],
  );
  await advisory(
    designated,
    content('調整中の攻撃インフラに関する限定共有', 'TLP:RED：宛先に指定した方のみが閲覧できます。', { tlp: 'red', recipientUserIds: [type1a.userId, type1b.userId] }),
    ['type1'],
  );

  // 4. Large-scale attack mode with an open information request.
  after(6 * HOUR);
  const campaign = await declareCampaign(
    sim,
    secretariat,
    {
      title: '大規模DDoS攻撃（政府・自治体・重要インフラのWebサイト）',
      description: '複数の政府機関、地方公共団体、重要インフラ事業者のWebサイトに対する大規模なDDoS攻撃が発生しています。',
    },
    meta,
  );
  // A first request, past its deadline: one answer in time, one late, the rest missing (overdue on the council's dashboard).
  const first = await issueRequest(
    sim,
    secretariat,
    campaign.id,
    {
      title: 'DDoS攻撃の初期観測の提供のお願い（第1報）',
      body: '攻撃開始時刻と送信元の傾向について、観測していればご提供ください。',
      deadline: new Date(simTime + DAY).toISOString(),
      audience: 'general',
    },
    meta,
  );
  after(3 * HOUR);
  await answerRequest(sim, generalA, first.id, { kind: 'answer', text: '13時50分頃から海外の複数のIPアドレスからのアクセスが急増しました。', observables: [] }, meta);
  after(30 * HOUR);
  await answerRequest(sim, generalB, first.id, { kind: 'answer', text: '委託先の報告では、14時頃から同様の急増がありました。', observables: [] }, meta);
  const request = await issueRequest(
    sim,
    secretariat,
    campaign.id,
    {
      title: 'DDoS攻撃の観測状況の提供のお願い',
      body: '貴組織のWebサイトに対するアクセス急増の有無、観測した送信元、影響の有無をご提供ください。',
      deadline: new Date(end + 2 * DAY).toISOString(),
      audience: 'general',
    },
    meta,
  );
  after(HOUR);
  await answerRequest(sim, generalA, request.id, { kind: 'answer', text: '14時頃から通常の約30倍のアクセスを観測。閲覧の遅延が発生しました。', observables: [{ type: 'ipv4', value: '192.0.2.77' }] }, meta);
  await answerRequest(sim, generalB, request.id, { kind: 'refusal', reason: 'Webサイトの運用を外部委託しており、委託先からの報告待ちのため現時点では提供できません。', observables: [] }, meta);

  // 5. Consultations from non-members, in every state.
  const consultationLinks: SharingDemoResult['consultationLinks'] = [];
  const consult = async (name: string, body: string) => {
    after(3 * HOUR);
    const challenge = await issueChallenge(sim, opts.powBits);
    const nonce = solveChallenge(challenge.challenge, challenge.difficulty);
    const { token } = await submitConsultation(
      sim,
      { challenge: challenge.challenge, nonce, name, email: 'soudan@example.jp', body, observables: [] },
      { minDifficulty: opts.powBits, locale: 'ja' },
      meta,
    );
    // The list is newest first: the one just sent.
    const id = (await listConsultations(sim, type1a, { limit: 1 })).items[0]?.id as string;
    return { token, id };
  };
  const fresh = await consult('相談者A', '社内のPCが夜間に勝手に再起動します。攻撃でしょうか。');
  consultationLinks.push({ status: 'open', token: fresh.token });

  const answered = await consult('相談者B', '取引先を名乗るメールの添付ファイルを開いてしまいました。どうすればよいですか。');
  await answerConsultation(sim, type1a, answered.id, 'ネットワークから切り離し、端末を保全してください。添付ファイルの種類を教えてください。', meta);
  await postByToken(sim, answered.token, 'Excelのファイルでした。マクロの有効化を求められました。', meta);
  consultationLinks.push({ status: 'answered', token: answered.token });

  const widened = await consult('相談者C', '当社の問い合わせフォームに大量の不審な送信があります。他社でも同様の事象はありますか。');
  await answerConsultation(sim, type1a, widened.id, '他の構成員にも状況を確認してよいか、この画面で同意をお願いします。', meta);
  await consentByToken(sim, widened.token, true, meta);
  const question = await widenConsultation(
    sim,
    type1a,
    widened.id,
    { summary: '問い合わせフォームへの大量の不審な送信（ボットによるものとみられる）を観測している組織はありますか。', stage: 'members', confirmFlags: [] },
    meta,
  );
  after(2 * HOUR);
  await answerQuestion(sim, generalB, question.id, '当大学でも先週から同様の送信を観測し、CAPTCHAを導入しました。', meta);
  const memberAnswer = (await getConsultation(sim, type1a, widened.id, meta)).messages.find((m) => m.author === 'member');
  if (memberAnswer) await relayAnswer(sim, type1a, widened.id, memberAnswer.id, meta);
  consultationLinks.push({ status: 'widened', token: widened.token });

  const converted = await consult('相談者D', '不審なドメイン login-verify.example から当社の社員あてにメールが届いています。');
  await convertConsultation(
    sim,
    type1b,
    converted.id,
    {
      title: '認証情報の入力を求める不審ドメインからのメール（相談より）',
      description: '非構成員からの相談をもとにした報告です。',
      kind: 'phishing',
      certainty: 'suspected',
      confidence: 'low',
      tlp: 'amber',
      observables: [{ type: 'domain', value: 'login-verify.example' }],
    },
    meta,
  );
  consultationLinks.push({ status: 'converted', token: converted.token });
  reports++;

  // 6. Today: an item just released to Type 2 with three days for feedback, so Type 2 members have an answer due.
  simTime = end;
  await advisory(
    type1b,
    content('リモートデスクトップを入口とするランサムウェア攻撃への対策', '外部公開されたリモートデスクトップへの不正ログインを入口とするランサムウェア被害が続いています。', {
      tlp: 'green',
      actions: '1. リモートデスクトップを外部に公開しない。\n2. VPN経由とし、多要素認証を必須にする。\n3. オフラインのバックアップを確保する。',
      sectors: ['medical', 'information_communication'],
    }),
    ['type1', 'type2'],
    async (id) => {
      await answer(type2[2] as UserActor, id, 'seen', '当社でも不正ログインの試行を検知しています。');
    },
    72,
  );

  return { reports, advisories, consultationLinks };
}
