import { describe, expect, it } from 'vitest';
import type { AdvisoryContent } from './model.js';
import { flagPersonalData } from './pii.js';

const content = (text: string): AdvisoryContent => ({
  title: '標的型メールに関する注意喚起',
  summary: text,
  threat: '',
  actions: '',
  affectedProducts: [],
  sectors: [],
  indicators: [],
  confidence: 'medium',
});

describe('personal-data flags before a release', () => {
  it.each([
    ['email', '担当者 taro.yamada@example.co.jp から受信'],
    ['phone', '連絡先は 03-1234-5678 まで'],
    ['phone', '携帯 090-1234-5678'],
    ['postal_address', '〒100-8914 東京都千代田区永田町1-6-1'],
    ['postal_address', '所在地 大阪府大阪市北区梅田1-2-3'],
    ['person_name', '山田太郎様より報告'],
    ['person_name', '報告者は佐藤さんです'],
    ['person_name', 'Reported by Mr. John Smith'],
    ['person_name', 'Contact: Jane Doe'],
  ])('flags %s in "%s"', (kind, text) => {
    expect(flagPersonalData(content(text), { terms: [] }).map((f) => f.kind)).toContain(kind);
  });

  it('does not flag role mailboxes, IP addresses, CVE ids or plain technical text', () => {
    const flags = flagPersonalData(
      content('security@example.jp へ。通信先 203.0.113.10、CVE-2024-3400 を悪用。バージョン 10.2.9 で修正。同様の仕様の製品も皆様ご確認を。'),
      { terms: [] },
    );
    expect(flags).toEqual([]);
  });

  it("flags the provider's own identifiers", () => {
    const flags = flagPersonalData(content('みなと電力株式会社のメールサーバで観測 (minato-denryoku.co.jp)'), {
      terms: ['みなと電力株式会社', 'minato-denryoku.co.jp'],
    });
    expect(flags.filter((f) => f.kind === 'provider_identifier').map((f) => f.text)).toEqual([
      'みなと電力株式会社',
      'minato-denryoku.co.jp',
    ]);
  });
});
