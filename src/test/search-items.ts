/**
 * Items for the search tests, written through the use cases into a council of src/test/council.ts: Japanese and
 * English texts at every visibility the policy tells apart — a Type 1 thread, a TLP:RED report naming one person, a
 * draft, countermeasure information released to all members, a consultation widened to members, a rulebook.
 */
import { system } from '../core/actor.js';
import type { Deps } from '../core/context.js';
import { createRulebook } from '../core/membership/rulebooks.js';
import { createAdvisory, releaseAdvisory } from '../core/sharing/advisories.js';
import { consentByToken, issueChallenge, solveChallenge, submitConsultation, widenConsultation } from '../core/sharing/consultations.js';
import { AdvisoryCreate, ReleaseInput, ReportCreate } from '../core/sharing/model.js';
import { addComment, createReport } from '../core/sharing/reports.js';
import { sha256 } from '../core/crypto.js';
import type { Council } from './council.js';

const meta = { ip: '192.0.2.10' };
const HOUR = 3_600_000;

export interface SearchItems {
  /** General member's report, TLP:AMBER, in the Type 1 group's queue. */
  phishing: string;
  /** Type 2 member's report in English, TLP:GREEN. */
  emotetEn: string;
  /** Type 1 member's TLP:RED report naming the designated corporation's user only. */
  red: string;
  /** Countermeasure information released to all members, for the electricity sector. */
  advisory: string;
  /** A Type 1 member's draft. */
  draft: string;
  /** The Type 1 group's analysis comment on `phishing`, and the reply to its provider. */
  analysis: string;
  reply: string;
  /** A non-member's consultation, widened to all members with a summary. */
  consultation: string;
  rulebook: string;
  /** A report whose text tries to inject HTML. */
  markup: string;
}

export async function seedSearchItems(deps: Deps, c: Council): Promise<SearchItems> {
  const step = () => (deps as Deps & { clock?: { advance(ms: number): void } }).clock?.advance(HOUR);
  const type1 = await c.type1.actor();
  const report = async (who: typeof c.general, input: Partial<ReportCreate> & { title: string; description: string }) => {
    step();
    const r = await createReport(deps, await who.actor(), ReportCreate.parse({ kind: 'phishing', certainty: 'suspected', ...input }), meta);
    return r.id;
  };

  const phishing = await report(c.general, {
    title: '標的型攻撃メールの着信について',
    description: '経理部宛てに請求書を装った標的型攻撃メールが届きました。添付ファイルを開いた端末がエモテットに感染した疑いがあります。',
    tlp: 'amber',
    observables: [
      { type: 'url', value: 'hxxp://invoice-portal[.]example/dl' },
      { type: 'ipv4', value: '198.51.100[.]7' },
    ],
  });
  const emotetEn = await report(c.type2, {
    title: 'Emotet campaign against power utilities',
    description: 'EMOTET is spreading again through reply-chain mail. Several substations received macros.',
    tlp: 'green',
    kind: 'malware',
  });
  const red = await report(c.type1, {
    title: '極秘：特定組織を狙うランサムウェア',
    description: '交渉中の案件。ランサムウェアの暗号化手法に関する詳細。',
    tlp: 'red',
    recipientUserIds: [c.designated.userId],
  });
  const markup = await report(c.general2, {
    title: '<img src=x onerror=alert(1)> 不審なスクリプト',
    description: '<script>alert("x")</script> を含むエモテット関連のページ & "引用符"',
    tlp: 'green',
  });

  step();
  const advisory = (
    await createAdvisory(
      deps,
      type1,
      AdvisoryCreate.parse({
        title: 'エモテット感染拡大に関する注意喚起',
        summary: '標的型メールによるエモテットの感染が拡大しています。',
        threat: '返信を装うメールのマクロから感染します。',
        actions: 'マクロを無効にし、不審な添付ファイルを開かないでください。',
        sectors: ['electricity'],
        indicators: [{ type: 'ipv4', value: '198.51.100.7' }],
        tlp: 'green',
      }),
      meta,
    )
  ).id;
  for (const to of ['type1', 'type2', 'members'] as const) {
    await releaseAdvisory(deps, type1, advisory, ReleaseInput.parse({ to, confirmFlags: [] }), meta);
  }
  step();
  const draft = (
    await createAdvisory(
      deps,
      type1,
      AdvisoryCreate.parse({ title: '未公開の標的型キャンペーン分析', summary: '未公開の下書き。', threat: '分析中。', actions: '検討中。', tlp: 'amber' }),
      meta,
    )
  ).id;

  step();
  await addComment(deps, type1, phishing, { kind: 'comment', body: '標的型の手口はエモテットの既知パターンと一致します（分析メモ）。' }, meta);
  await addComment(deps, type1, phishing, { kind: 'reply', body: '端末のネットワーク隔離をお願いします（提供者への返信）。' }, meta);
  const comments = await deps.store.read.sharing.comments.list(phishing, ['type1', 'provider']);
  const analysis = comments.find((x) => x.kind === 'comment')?.id as string;
  const reply = comments.find((x) => x.kind === 'reply')?.id as string;

  step();
  const ch = await issueChallenge(deps, 4);
  const { token } = await submitConsultation(
    deps,
    {
      name: '鈴木 一郎',
      organization: '鈴木工務店',
      email: 'ichiro@suzuki-koumuten.example.jp',
      body: '弊社の経理用パソコンがエモテットに感染したようです。取引先にも不審なメールが届いています。',
      observables: [],
      challenge: ch.challenge,
      nonce: solveChallenge(ch.challenge, ch.difficulty),
    },
    { minDifficulty: 4, locale: 'ja' },
    meta,
  );
  const consultation = (await deps.store.read.requests.consultations.byTokenHash(sha256(token)))?.id as string;
  await consentByToken(deps, token, true, meta);
  await widenConsultation(deps, type1, consultation, { summary: '中小企業でのエモテット感染について、対処の経験をお持ちの方はいますか。', stage: 'members', confirmFlags: [] }, meta);

  step();
  // In force only next year: it does not hold up anyone's rules gate now.
  const rulebook = (
    await createRulebook(
      deps,
      system('test'),
      { kind: 'council_rules', titleJa: '情報共有規程', titleEn: 'Information Sharing Rules', bodyMd: '# 第1条\n標的型攻撃に関する情報は、TLP に従って取り扱う。', effectiveAt: '2027-04-01T00:00:00+09:00' },
      meta,
    )
  ).id;

  return { phishing, emotetEn, red, advisory, draft, analysis, reply, consultation, rulebook, markup };
}
