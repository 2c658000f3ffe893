/** Query terms and highlighted snippets: pure text work, shared by both databases. */

/** Characters, not UTF-16 units: the trigram indexes count characters. */
export const charLength = (s: string): number => [...s].length;

/** The index finds substrings of at least this many characters; shorter terms are matched by scanning. */
export const TRIGRAM = 3;
const MAX_TERMS = 10;

/**
 * Split a query into terms: words separated by spaces (ASCII or full-width), "double-quoted" text as one term.
 * Duplicates (ignoring case) are dropped. Null when nothing of at least two characters is left: one character would
 * match nearly everything.
 */
export function parseTerms(q: string): string[] | null {
  const terms = new Map<string, string>();
  for (const m of q.matchAll(/"([^"]*)"|([^\s"]+)/gu)) {
    const term = (m[1] ?? m[2] ?? '').trim();
    if (term && !terms.has(term.toLowerCase())) terms.set(term.toLowerCase(), term);
  }
  const list = [...terms.values()].slice(0, MAX_TERMS);
  return list.some((t) => charLength(t) >= 2) ? list : null;
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => escapes[c] ?? c);

const SNIPPET_CHARS = 160;
const BEFORE_HIT = 40;

/**
 * An excerpt of `text` around the first hit of any term, HTML-escaped, with every hit inside it wrapped in
 * <mark>…</mark>; "…" where it was cut. Everything but the mark tags is escaped, so the tags are unambiguous.
 */
export function snippet(text: string, terms: readonly string[]): string {
  const chars = [...text.replace(/\s+/gu, ' ').trim()];
  const flat = chars.join('');
  // Longest first, so that a term inside another is not marked instead of it.
  const pattern = new RegExp(
    [...terms].sort((a, b) => b.length - a.length).map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'),
    'giu',
  );
  const first = pattern.exec(flat);
  pattern.lastIndex = 0;
  // Work in characters so a cut never splits a surrogate pair.
  const firstChar = first ? charLength(flat.slice(0, first.index)) : 0;
  const start = Math.max(0, Math.min(firstChar - BEFORE_HIT, chars.length - SNIPPET_CHARS));
  const end = Math.min(chars.length, start + SNIPPET_CHARS);
  const window = chars.slice(start, end).join('');
  let out = start > 0 ? '…' : '';
  let at = 0;
  for (const m of window.matchAll(pattern)) {
    out += `${escapeHtml(window.slice(at, m.index))}<mark>${escapeHtml(m[0])}</mark>`;
    at = m.index + m[0].length;
  }
  return out + escapeHtml(window.slice(at)) + (end < chars.length ? '…' : '');
}
