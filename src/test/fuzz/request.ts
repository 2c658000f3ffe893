/** Pieces of generated HTTP requests that both fuzz tests (the OpenAPI operations and TAXII) send. */
import fc from 'fast-check';

/** Percent-encoding of any string: a lone surrogate has no UTF-8 form, so it goes as the replacement character. */
export const encode = (s: string): string => encodeURIComponent(s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));

/** Long URLs and bodies cut in the middle, so that a failure stays readable. */
export const short = (s: string): string => (s.length > 240 ? `${s.slice(0, 160)}…(${s.length} characters)…${s.slice(-60)}` : s);

/** Header values HTTP can carry at all (printable Latin-1), some of them very long. */
export const headerValue = fc.oneof(
  fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).filter((c) => c !== 0x7f).map((c) => String.fromCharCode(c)), maxLength: 60 }),
  fc.constantFrom('en', 'ja', 'fr-CA;q=0.9, *;q=0.1', '*', 'ja-JP-u-ca-japanese', 'x'.repeat(8000)),
);
