import { describe, expect, it } from 'vitest';
import { detectObservable, normaliseAs, normaliseObservables, refang } from './observables.js';

describe('observables', () => {
  it('refangs the usual defanged forms', () => {
    expect(refang('hxxp://example[.]com/a')).toBe('http://example.com/a');
    expect(refang('1.2.3[.]4')).toBe('1.2.3.4');
    expect(refang('user[at]example(.)jp')).toBe('user@example.jp');
  });

  it.each([
    ['ipv4', '192.0.2.1', '192.0.2.1'],
    ['ipv4', '192.0.2[.]1', '192.0.2.1'],
    ['ipv6', '2001:DB8:0:0:0:0:0:1', '2001:db8::1'],
    ['domain', 'Example.CO.JP.', 'example.co.jp'],
    ['domain', 'ドメイン.jp', 'xn--eckwd4c7c.jp'],
    ['url', 'hxxps://Example.com/Path?q=1', 'https://example.com/Path?q=1'],
    ['email', 'Alice@Example.JP', 'Alice@example.jp'],
    ['md5', 'D41D8CD98F00B204E9800998ECF8427E', 'd41d8cd98f00b204e9800998ecf8427e'],
    ['sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
    ['sha256', 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['cve', 'cve-2024-3400', 'CVE-2024-3400'],
  ] as const)('normalises %s %s', (type, raw, expected) => {
    expect(normaliseAs(type, raw)).toBe(expected);
  });

  it.each([
    ['ipv4', '999.1.1.1'],
    ['ipv4', 'example.com'],
    ['ipv6', '2001:db8::g'],
    ['domain', 'localhost'],
    ['domain', '-bad-.com'],
    ['url', 'javascript:alert(1)'],
    ['url', 'not a url'],
    ['email', 'no-at-sign'],
    ['md5', 'abc'],
    ['sha256', 'z'.repeat(64)],
    ['cve', 'CVE-24-1'],
  ] as const)('rejects %s %s', (type, raw) => {
    expect(normaliseAs(type, raw)).toBeNull();
  });

  it('rejects a list naming the first bad value, and removes duplicates', () => {
    expect(() => normaliseObservables([{ type: 'ipv4', value: '1.2.3.4' }, { type: 'ipv4', value: 'x' }])).toThrow(
      expect.objectContaining({ code: 'invalid_observable', params: expect.objectContaining({ index: 1 }) }),
    );
    expect(normaliseObservables([{ type: 'domain', value: 'A.jp' }, { type: 'domain', value: 'a.jp' }])).toHaveLength(1);
  });

  it('detects pasted values', () => {
    expect(detectObservable('hxxp://example[.]com')).toEqual({ type: 'url', value: 'http://example.com/' });
    expect(detectObservable('1.2.3[.]4')).toEqual({ type: 'ipv4', value: '1.2.3.4' });
    expect(detectObservable('evil.example.jp')).toEqual({ type: 'domain', value: 'evil.example.jp' });
    expect(detectObservable('CVE-2023-4966')).toEqual({ type: 'cve', value: 'CVE-2023-4966' });
    expect(detectObservable('hello world')).toBeNull();
  });
});
