import { describe, expect, it } from 'vitest';
import { formatJst, jstDayEnd, jstDayStart } from './format.js';

describe('formatJst', () => {
  it('shows instants in Japan time', () => {
    expect(formatJst('2026-11-26T01:50:03Z')).toBe('2026/11/26 10:50:03 JST');
    expect(formatJst('2026-11-26T01:50:03.123+00:00')).toBe('2026/11/26 10:50:03 JST');
  });

  it('rolls over to the next Japanese day at 15:00 UTC, with 00 hours', () => {
    expect(formatJst('2026-11-26T15:00:00Z')).toBe('2026/11/27 00:00:00 JST');
  });

  it('gives a fallback for missing values and echoes unparseable ones', () => {
    expect(formatJst(null)).toBe('—');
    expect(formatJst(undefined, 'never')).toBe('never');
    expect(formatJst('not a date')).toBe('not a date');
  });
});

describe('JST day bounds', () => {
  it('takes picker days as Japan time', () => {
    expect(jstDayStart('2026-11-26')).toBe('2026-11-26T00:00:00+09:00');
    expect(jstDayEnd('2026-11-26 00:00:00')).toBe('2026-11-26T23:59:59.999+09:00');
    expect(new Date(jstDayStart('2026-11-26')).toISOString()).toBe('2026-11-25T15:00:00.000Z');
  });
});
