import { describe, expect, it } from 'vitest';
import { catalogues, localeFromAcceptLanguage, translate } from './messages.js';

describe('server message catalogues', () => {
  it.each(catalogues.map((c, i) => [i, c] as const))('catalogue %i has every key in Japanese and English, none empty', (_, c) => {
    expect(Object.keys(c.en).sort()).toEqual(Object.keys(c.ja).sort());
    for (const v of [...Object.values(c.ja), ...Object.values(c.en)]) expect(v.trim()).not.toBe('');
  });

  it('fills placeholders and prefers Japanese', () => {
    expect(translate('ja', 'too_many_attempts', { seconds: 30 })).toContain('30秒');
    expect(translate('en', 'too_many_attempts', { seconds: 30 })).toContain('30 seconds');
    expect(localeFromAcceptLanguage(undefined)).toBe('ja');
    expect(localeFromAcceptLanguage('en-US,en;q=0.9')).toBe('en');
    expect(localeFromAcceptLanguage('fr-FR,en;q=0.5,ja;q=0.8')).toBe('ja');
  });
});
