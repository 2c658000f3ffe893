import { describe, expect, it } from 'vitest';
import { detectObservable, parseObservables, refang } from './observables.js';

describe('observables typed in the browser', () => {
  it('recognises every type', () => {
    const cases: [string, string, string][] = [
      ['192.0.2.10', 'ipv4', '192.0.2.10'],
      ['2001:DB8:0:0::1', 'ipv6', '2001:db8::1'],
      ['Example.COM.', 'domain', 'example.com'],
      ['https://example.com/a?b=1', 'url', 'https://example.com/a?b=1'],
      ['Alice@Example.jp', 'email', 'Alice@example.jp'],
      ['D41D8CD98F00B204E9800998ECF8427E', 'md5', 'd41d8cd98f00b204e9800998ecf8427e'],
      ['da39a3ee5e6b4b0d3255bfef95601890afd80709', 'sha1', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'],
      ['e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 'sha256', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
      ['cve-2024-12345', 'cve', 'CVE-2024-12345'],
    ];
    for (const [raw, type, value] of cases) expect(detectObservable(raw), raw).toEqual({ type, value });
  });

  it('accepts defanged forms', () => {
    expect(refang('hxxps://evil[.]example[.]com/x')).toBe('https://evil.example.com/x');
    expect(detectObservable('hxxp://example[.]com/login')).toEqual({ type: 'url', value: 'http://example.com/login' });
    expect(detectObservable('198[.]51[.]100[.]7')).toEqual({ type: 'ipv4', value: '198.51.100.7' });
    expect(detectObservable('user[@]example[dot]org')).toEqual({ type: 'email', value: 'user@example.org' });
    expect(detectObservable('例え.テスト')).toEqual({ type: 'domain', value: 'xn--r8jz45g.xn--zckzah' });
  });

  it('rejects what is no observable', () => {
    for (const raw of ['not an indicator', '999.1.1.1', 'abc', 'javascript:alert(1)', 'CVE-24-1']) expect(detectObservable(raw), raw).toBeNull();
  });

  it('reads a text one per line, with line numbers and optional type prefixes', () => {
    const lines = parseObservables('\n# comment\n203.0.113.5\nsha1: DA39A3EE5E6B4B0D3255BFEF95601890AFD80709\n???\n');
    expect(lines).toEqual([
      { line: 3, raw: '203.0.113.5', observable: { type: 'ipv4', value: '203.0.113.5' } },
      { line: 4, raw: 'sha1: DA39A3EE5E6B4B0D3255BFEF95601890AFD80709', observable: { type: 'sha1', value: 'da39a3ee5e6b4b0d3255bfef95601890afd80709' } },
      { line: 5, raw: '???', observable: null },
    ]);
    // A URL is not mistaken for a type prefix.
    expect(parseObservables('http://example.com/')[0]?.observable).toEqual({ type: 'url', value: 'http://example.com/' });
  });
});
