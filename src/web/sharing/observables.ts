/**
 * Observables typed one per line: the type is recognised with the core's own rules (defanged forms such
 * as hxxp://example[.]com are accepted) and sent explicitly; the server validates and normalises again.
 */
import { detectObservable, normaliseAs } from '../../core/sharing/observables.js';
import type { Observable } from './api.js';
import { observableTypes, pick } from './labels.js';

export { detectObservable, normaliseAs, refang } from '../../core/sharing/observables.js';

export interface ParsedLine {
  /** 1-based line number in the text. */
  line: number;
  raw: string;
  /** Recognised (type and normalised value), or null when the line could not be read. */
  observable: Observable | null;
}

/**
 * One observable per line; blank lines and lines starting with # are skipped. A line may name its
 * type first (`sha256: 9f86…`, as the diff view shows indicators) to skip detection.
 */
export function parseObservables(text: string): ParsedLine[] {
  const out: ParsedLine[] = [];
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const raw = rawLine.trim();
    if (!raw || raw.startsWith('#')) return;
    const prefixed = /^([a-z0-9]+)\s*[:：]\s+(.+)$/i.exec(raw);
    const named = prefixed ? pick(observableTypes, prefixed[1]?.toLowerCase()) : undefined;
    if (prefixed && named) {
      const value = normaliseAs(named, prefixed[2] ?? '');
      out.push({ line: i + 1, raw, observable: value === null ? null : { type: named, value } });
      return;
    }
    out.push({ line: i + 1, raw, observable: detectObservable(raw) });
  });
  return out;
}

/** The text of a list of observables, one per line (for editing an existing list). */
export const observablesText = (list: readonly Observable[]): string => list.map((o) => o.value).join('\n');
