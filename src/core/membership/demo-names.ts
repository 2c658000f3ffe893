/**
 * Fictional but plausible organisation names for the demo council, in Japanese and English, by category.
 * Deterministic (seeded), so every demo database looks the same.
 */
import type { Category, Sector } from '../model.js';

/** mulberry32: a small seeded generator. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PLACE_HEAD: [string, string][] = [
  ['青', 'Ao'], ['緑', 'Midori'], ['桜', 'Sakura'], ['松', 'Matsu'], ['竹', 'Take'], ['梅', 'Ume'], ['東', 'Higashi'],
  ['西', 'Nishi'], ['南', 'Minami'], ['北', 'Kita'], ['大', 'O'], ['高', 'Taka'], ['若', 'Waka'], ['朝', 'Asa'],
  ['宮', 'Miya'], ['白', 'Shira'], ['黒', 'Kuro'], ['赤', 'Aka'], ['金', 'Kana'], ['石', 'Ishi'], ['森', 'Mori'],
  ['鶴', 'Tsuru'], ['亀', 'Kame'], ['星', 'Hoshi'],
];
const PLACE_TAIL: [string, string][] = [
  ['山', 'yama'], ['川', 'kawa'], ['浜', 'hama'], ['野', 'no'], ['原', 'hara'], ['沢', 'sawa'], ['岡', 'oka'],
  ['島', 'shima'], ['谷', 'tani'], ['崎', 'saki'], ['田', 'ta'], ['津', 'tsu'],
];

const AGENCIES: [string, string][] = [
  ['デジタル基盤庁', 'Digital Infrastructure Agency'],
  ['総合通信政策局', 'General Bureau of Telecommunications Policy'],
  ['経済安全保障局', 'Economic Security Bureau'],
  ['エネルギー安全庁', 'Energy Security Agency'],
  ['交通基盤保全局', 'Transport Infrastructure Protection Bureau'],
  ['金融監督庁', 'Financial Supervision Agency'],
  ['医療情報政策局', 'Bureau of Health Information Policy'],
  ['防災情報庁', 'Disaster Information Agency'],
  ['国土情報管理局', 'National Land Information Bureau'],
  ['産業保安監督局', 'Industrial Safety Supervision Bureau'],
  ['消費者安全庁', 'Consumer Safety Agency'],
  ['統計情報センター', 'Statistics Information Centre'],
  ['特許情報庁', 'Patent Information Agency'],
  ['海上交通安全庁', 'Maritime Traffic Safety Agency'],
  ['気象情報庁', 'Meteorological Information Agency'],
  ['科学技術政策局', 'Science and Technology Policy Bureau'],
  ['地方行政情報局', 'Local Administration Information Bureau'],
  ['教育情報化推進局', 'Bureau for Digital Education'],
  ['農林水産情報局', 'Agriculture, Forestry and Fisheries Information Bureau'],
  ['環境情報局', 'Environmental Information Bureau'],
  ['警察情報通信局', 'Police Information and Communications Bureau'],
  ['防衛情報基盤局', 'Defence Information Infrastructure Bureau'],
  ['外交情報保全局', 'Diplomatic Information Security Bureau'],
  ['公共調達監理局', 'Public Procurement Oversight Bureau'],
  ['宇宙開発情報局', 'Space Development Information Bureau'],
  ['電波監理局', 'Radio Regulatory Bureau'],
];

const CI: Record<Sector, [string, string]> = {
  information_communication: ['{p}通信株式会社', '{P} Telecom Co., Ltd.'],
  finance: ['株式会社{p}銀行', 'The Bank of {P}, Ltd.'],
  aviation: ['{p}航空株式会社', '{P} Airlines Co., Ltd.'],
  airport: ['{p}空港ターミナル株式会社', '{P} Airport Terminal Co., Ltd.'],
  railway: ['{p}鉄道株式会社', '{P} Railway Co., Ltd.'],
  electricity: ['{p}電力株式会社', '{P} Electric Power Co., Inc.'],
  gas: ['{p}ガス株式会社', '{P} Gas Co., Ltd.'],
  government_services: ['{p}行政情報システム株式会社', '{P} Government Information Systems Co., Ltd.'],
  medical: ['{p}中央病院', '{P} Central Hospital'],
  water: ['{p}水道企業団', '{P} Waterworks Authority'],
  logistics: ['{p}物流株式会社', '{P} Logistics Co., Ltd.'],
  chemical: ['{p}化学工業株式会社', '{P} Chemical Industries, Ltd.'],
  credit_card: ['{p}カード株式会社', '{P} Card Co., Ltd.'],
  petroleum: ['{p}石油株式会社', '{P} Oil Corporation'],
  port: ['{p}港湾株式会社', '{P} Port Corporation'],
};

const BRANDS: [string, string][] = [
  ['アオバ', 'Aoba'], ['ミライ', 'Mirai'], ['ヒカリ', 'Hikari'], ['ツバサ', 'Tsubasa'], ['カスミ', 'Kasumi'],
  ['ホシゾラ', 'Hoshizora'], ['ツクヨミ', 'Tsukuyomi'], ['イズミ', 'Izumi'], ['コハク', 'Kohaku'], ['ルリ', 'Ruri'],
  ['スバル', 'Subaru'], ['ヤマト', 'Yamato'], ['アカツキ', 'Akatsuki'], ['シラカバ', 'Shirakaba'], ['ハヤテ', 'Hayate'],
  ['ミナト', 'Minato'], ['カナメ', 'Kaname'], ['サキモリ', 'Sakimori'], ['タテ', 'Tate'], ['マモリ', 'Mamori'],
];
const CYBER: [string, string][] = [
  ['株式会社{b}セキュリティ', '{B} Security Inc.'],
  ['{b}ネットワークス株式会社', '{B} Networks Co., Ltd.'],
  ['{b}サイバーディフェンス株式会社', '{B} Cyber Defense Co., Ltd.'],
  ['株式会社{b}システムズ', '{B} Systems Inc.'],
  ['{b}クラウド株式会社', '{B} Cloud Co., Ltd.'],
  ['{b}インテリジェンス株式会社', '{B} Intelligence Co., Ltd.'],
];

const UNIVERSITY: [string, string][] = [
  ['{p}大学', '{P} University'],
  ['{p}工業大学', '{P} Institute of Technology'],
  ['{p}情報科学研究所', '{P} Institute for Information Science'],
  ['国立高等専門学校機構 {p}工業高等専門学校', 'National Institute of Technology, {P} College'],
];

const INDUSTRIES: [string, string][] = [
  ['電気事業', 'Electric Power Industry'], ['ガス事業', 'Gas Industry'], ['鉄道事業', 'Railway Industry'],
  ['銀行', 'Bankers'], ['証券業', 'Securities Dealers'], ['損害保険', 'General Insurance'],
  ['情報サービス産業', 'Information Technology Services Industry'], ['クレジット', 'Consumer Credit'],
  ['石油', 'Petroleum'], ['化学工業', 'Chemical Industry'], ['病院', 'Hospital'], ['水道', 'Waterworks'],
  ['物流', 'Logistics'], ['航空運送', 'Air Transport'], ['港湾', 'Ports and Harbours'], ['ソフトウェア', 'Software'],
  ['電子情報技術産業', 'Electronics and Information Technology Industries'], ['セキュリティ産業', 'Security Industry'],
  ['電気通信事業者', 'Telecommunications Carriers'], ['クラウド事業者', 'Cloud Service Providers'],
  ['地方銀行', 'Regional Banks'], ['信用金庫', 'Shinkin Banks'], ['放送事業者', 'Commercial Broadcasters'],
  ['医療機器産業', 'Medical Device Industry'],
];

const SURNAMES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田', '松本', '井上', '木村'];
const GIVEN = ['健', '花子', '誠', '由美', '大輔', '彩', '翔', '恵', '直樹', '真理', '拓也', '愛', '隆', '智子', '修'];
const DEPARTMENTS = ['情報セキュリティ部', 'CSIRT', 'システム部', '情報政策課', '総務部', 'セキュリティ統括室'];

export interface GeneratedOrg {
  nameJa: string;
  nameEn: string;
  category: Category;
  sector: Sector | null;
  domain: string;
  contactName: string;
  department: string;
}

/** Hands out unique organisation names (and e-mail domains) category by category. */
export class NameGenerator {
  private readonly usedJa = new Set<string>();
  private readonly usedDomains = new Set<string>();
  private readonly rand: () => number;
  private agency = 0;

  constructor(seed = 20190401) {
    this.rand = seeded(seed);
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rand() * list.length)] as T;
  }

  private place(): [string, string] {
    const [hj, he] = this.pick(PLACE_HEAD);
    const [tj, te] = this.pick(PLACE_TAIL);
    return [hj + tj, he + te];
  }

  private domainOf(nameEn: string): string {
    const slug = nameEn
      .toLowerCase()
      .replace(/\b(the|of|co|ltd|inc|corporation|k\.k|g\.k)\b/g, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 30)
      .replace(/-+$/, '');
    let domain = `${slug}.example.jp`;
    for (let i = 2; this.usedDomains.has(domain); i++) domain = `${slug}${i}.example.jp`;
    this.usedDomains.add(domain);
    return domain;
  }

  private candidate(category: Category): [string, string, Sector | null] {
    const fill = (tpl: [string, string], p: [string, string]): [string, string] => [
      tpl[0].replace('{p}', p[0]).replace('{b}', p[0]),
      tpl[1].replace('{P}', p[1]).replace('{B}', p[1]),
    ];
    switch (category) {
      case 'national_agency': {
        const a = AGENCIES[this.agency++];
        if (a) return [a[0], a[1], null];
        const [pj, pe] = this.place();
        return [`${pj}地方情報管理局`, `${pe} Regional Information Bureau`, null];
      }
      case 'local_government': {
        const p = this.place();
        const kind = this.rand();
        if (kind < 0.2) return [`${p[0]}県`, `${p[1]} Prefecture`, null];
        if (kind < 0.35) return [`${p[0]}町`, `${p[1]} Town`, null];
        return [`${p[0]}市`, `${p[1]} City`, null];
      }
      case 'critical_infrastructure': {
        const sector = this.pick(Object.keys(CI) as Sector[]);
        const [ja, en] = fill(CI[sector], this.place());
        return [ja, en, sector];
      }
      case 'cyber_business': {
        const [ja, en] = fill(this.pick(CYBER), this.pick(BRANDS));
        return [ja, en, null];
      }
      case 'university': {
        const [ja, en] = fill(this.pick(UNIVERSITY), this.place());
        return [ja, en, null];
      }
      case 'business_association': {
        const [ij, ie] = this.pick(INDUSTRIES);
        const regional = this.rand() < 0.4 ? this.place() : null;
        return regional
          ? [`一般社団法人${regional[0]}${ij}協会`, `${regional[1]} ${ie} Association`, null]
          : [`一般社団法人日本${ij}協会`, `Japan ${ie} Association`, null];
      }
    }
  }

  /** A fresh organisation of the category (names never repeat). */
  next(category: Category): GeneratedOrg {
    for (let attempt = 0; ; attempt++) {
      const [nameJa, nameEn, sector] = this.candidate(category);
      if (this.usedJa.has(nameJa) && attempt < 200) continue;
      const suffix = this.usedJa.has(nameJa) ? `${attempt}` : '';
      this.usedJa.add(nameJa + suffix);
      return this.named(nameJa + suffix, nameEn + (suffix ? ` ${suffix}` : ''), category, sector);
    }
  }

  /** An organisation with a given name (the designated corporation, the foreign-capital examples). */
  named(nameJa: string, nameEn: string, category: Category, sector: Sector | null = null): GeneratedOrg {
    this.usedJa.add(nameJa);
    return {
      nameJa,
      nameEn,
      category,
      sector,
      domain: this.domainOf(nameEn),
      contactName: `${this.pick(SURNAMES)} ${this.pick(GIVEN)}`,
      department: this.pick(DEPARTMENTS),
    };
  }

  /** A category drawn with the council's rough mix. */
  category(weights: Partial<Record<Category, number>>): Category {
    const entries = Object.entries(weights) as [Category, number][];
    const total = entries.reduce((s, [, w]) => s + w, 0);
    let x = this.rand() * total;
    for (const [c, w] of entries) {
      x -= w;
      if (x <= 0) return c;
    }
    return entries[0]?.[0] ?? 'cyber_business';
  }
}
