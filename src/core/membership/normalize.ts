/**
 * Normalised organisation names and e-mail domains: how two applications from the same organisation in one
 * period are recognised although typed differently (全角/半角, spaces, 株式会社 or "Co., Ltd.").
 */

/** Legal-form words that say nothing about which organisation it is. */
const LEGAL_FORMS_JA = [
  '株式会社',
  '有限会社',
  '合同会社',
  '合資会社',
  '合名会社',
  '一般社団法人',
  '公益社団法人',
  '一般財団法人',
  '公益財団法人',
  '独立行政法人',
  '国立研究開発法人',
  '国立大学法人',
  '公立大学法人',
  '学校法人',
  '特定非営利活動法人',
  '医療法人',
  '社会福祉法人',
  '(株)',
  '(有)',
  '(一社)',
  '(公社)',
  '(一財)',
  '(公財)',
];
const LEGAL_FORMS_EN = /\b(co|company|corp|corporation|inc|incorporated|ltd|limited|llc|kk|k\.k|plc|gk)\b\.?/g;

export function normalizeName(name: string): string {
  let s = name.normalize('NFKC').toLowerCase();
  for (const form of LEGAL_FORMS_JA) s = s.split(form).join('');
  s = s.replace(LEGAL_FORMS_EN, '');
  s = s.replace(/^the\s+/, '');
  // Drop spaces, punctuation and symbols of every script; keep letters and digits.
  return s.replace(/[^\p{L}\p{N}]/gu, '');
}

/** Mail services anyone can use: the same domain there says nothing about the organisation. */
const FREE_MAIL = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.co.jp',
  'ymail.ne.jp',
  'yahoo.com',
  'outlook.com',
  'outlook.jp',
  'hotmail.com',
  'hotmail.co.jp',
  'live.jp',
  'live.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'proton.me',
  'protonmail.com',
  'docomo.ne.jp',
  'ezweb.ne.jp',
  'au.com',
  'softbank.ne.jp',
  'i.softbank.jp',
  'nifty.com',
  'biglobe.ne.jp',
  'ocn.ne.jp',
  'so-net.ne.jp',
]);

/** The organisation's e-mail domain, or null for free-mail services. */
export function organisationDomain(email: string): string | null {
  const domain = email.trim().toLowerCase().split('@').pop() ?? '';
  if (!domain || FREE_MAIL.has(domain)) return null;
  return domain;
}
