import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.js';
import { formatLeft, toJstLocal } from './time.js';

describe('toCsv', () => {
  it('quotes what needs quoting, ends lines with CRLF and starts with a BOM', () => {
    expect(toCsv([['種類', '件数'], ['情報提供', 3], ['a,"b"', 0]])).toBe('\uFEFF種類,件数\r\n情報提供,3\r\n"a,""b""",0\r\n');
  });

  it('keeps text that looks like a formula from running', () => {
    expect(toCsv([['=HYPERLINK("x")', -1]])).toBe('\uFEFF"\'=HYPERLINK(""x"")",-1\r\n');
  });
});

describe('deadline helpers', () => {
  it('gives datetime-local values in Japan time', () => {
    expect(toJstLocal(Date.parse('2026-11-26T15:30:00Z'))).toBe('2026-11-27T00:30');
  });

  it('says how long is left with days', () => {
    const t = ((key: string, o: Record<string, number>) => `${key}:${Object.values(o).join('/')}`) as never;
    expect(formatLeft(t, (2 * 1440 + 3 * 60 + 5) * 60_000)).toBe('infoRequest.daysHours:2/3');
    expect(formatLeft(t, (3 * 60 + 5) * 60_000)).toBe('infoRequest.hoursMinutes:3/5');
    expect(formatLeft(t, 5 * 60_000 + 59_000)).toBe('infoRequest.minutes:5');
  });
});
