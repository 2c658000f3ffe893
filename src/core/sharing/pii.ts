/**
 * Before information leaves the Type 1 group, likely personal data and the provider's own identifiers
 * in its free text are flagged for the releasing user to redact or confirm (as CISA AIS does).
 * Heuristics: they flag for a person to look at, they do not decide.
 */
import type { AdvisoryContent } from './model.js';

export type FlagKind = 'email' | 'phone' | 'postal_address' | 'person_name' | 'provider_identifier';

export interface Flag {
  kind: FlagKind;
  /** The text found; the releasing user confirms flags by this text. */
  text: string;
  field: string;
}

/** Everyday words that end like an honorific (同様, 仕様, 皆様 …): not names. */
const NOT_NAMES = /(?:同様|仕様|多様|模様|異様|一様|皆様|各様|態様|様様|両氏|同氏|各氏|諸氏|貴殿)$/;

/** Mailboxes of roles, not people: not personal data. */
const ROLE_MAILBOXES = /^(security|abuse|info|contact|soc|csirt|cert|psirt|noc|support|admin|webmaster|postmaster|noreply|no-reply)@/i;

const patterns: [FlagKind, RegExp][] = [
  ['email', /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g],
  // Japanese numbers (03-1234-5678, 090-1234-5678, 0120-123-456), +81 forms, and ＋ full-width digits are rare enough to skip.
  ['phone', /(?:\+81[-\s]?\d{1,4}|0\d{1,4})[-\s(（]?\d{1,4}[-\s)）]?\d{3,4}(?!\d)/g],
  // 〒100-0001, or a prefecture followed by a city/ward/town and a block number.
  ['postal_address', /〒\s?\d{3}-?\d{4}[^\n。]{0,40}/g],
  ['postal_address', /(?:東京都|北海道|(?:京都|大阪)府|[^\s\d、。「」（）]{2,3}県)[^\s、。]{1,12}?[市区町村郡][^\s、。]{0,20}?\d+(?:[-ー－丁目番地号の]\d*)+/g],
  // 山田太郎様 / 山田 太郎氏 / 佐藤さん: a kanji name of two or more characters followed by an honorific.
  ['person_name', /[\p{Script=Han}]{2,4}(?:[ \u3000][\p{Script=Han}\p{Script=Hiragana}]{1,4})?(?:様|氏|さん|殿)/gu],
  // Mr./Ms./Dr. John Smith, or "Name: John Smith".
  ['person_name', /\b(?:Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?/g],
  ['person_name', /\b(?:[Nn]ame|[Cc]ontact(?: person)?)\s*[:：]\s*[A-Z][a-z]+\s+[A-Z][a-z]+/g],
];

/**
 * Long enough to flag without drowning the releasing user in false hits: three characters of ASCII, two of Japanese
 * (桜市, 日銀 and many surnames are two characters).
 */
export function significantTerm(term: string): boolean {
  const t = term.trim();
  return /^[\x20-\x7e]*$/.test(t) ? t.length >= 3 : t.length >= 2;
}

export interface ProviderIdentifiers {
  /** Organisation names (ja/en), e-mail domains, login IDs and display names of the provider. */
  terms: readonly string[];
}

/** Flag what looks like personal data or the provider's identity in the free-text fields of a version. */
export function flagPersonalData(content: AdvisoryContent, provider: ProviderIdentifiers): Flag[] {
  const fields: [string, string][] = [
    ['title', content.title],
    ['summary', content.summary],
    ['threat', content.threat],
    ['actions', content.actions],
    ...content.affectedProducts.map((p, i): [string, string] => [`affectedProducts.${i}`, p]),
  ];
  const flags: Flag[] = [];
  const seen = new Set<string>();
  const add = (kind: FlagKind, text: string, field: string) => {
    const key = `${kind}\u0000${text}`;
    if (seen.has(key)) return;
    seen.add(key);
    flags.push({ kind, text, field });
  };
  for (const [field, text] of fields) {
    for (const [kind, re] of patterns) {
      for (const m of text.matchAll(re)) {
        const found = m[0].trim();
        if (kind === 'email' && ROLE_MAILBOXES.test(found)) continue;
        if (kind === 'person_name' && NOT_NAMES.test(found)) continue;
        // Digit runs inside IP addresses, versions and CVE ids are not phone numbers.
        if (kind === 'phone' && /(\d+\.){2,}|CVE-/i.test(text.slice(Math.max(0, (m.index ?? 0) - 5), (m.index ?? 0) + found.length + 2))) continue;
        add(kind, found, field);
      }
    }
    const lower = text.toLowerCase();
    for (const term of provider.terms) {
      if (significantTerm(term) && lower.includes(term.toLowerCase())) add('provider_identifier', term, field);
    }
  }
  return flags;
}
