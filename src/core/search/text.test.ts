/** Query terms and snippets: the text work both databases share. */
import { describe, expect, it } from 'vitest';
import { parseTerms, snippet } from './text.js';

describe('parseTerms', () => {
  it('splits on ASCII and full-width spaces, keeps quoted phrases, drops repeats ignoring case', () => {
    expect(parseTerms('標的型　攻撃 Emotet emotet "reply chain"')).toEqual(['標的型', '攻撃', 'Emotet', 'reply chain']);
  });
  it('needs one term of two characters or more', () => {
    expect(parseTerms('a b 標')).toBeNull();
    expect(parseTerms('  ')).toBeNull();
    expect(parseTerms('標的 a')).toEqual(['標的', 'a']);
  });
});

describe('snippet', () => {
  it('escapes everything but the marks it adds', () => {
    expect(snippet('<b onclick="x">エモテット</b> & \'q\'', ['エモテット'])).toBe(
      '&lt;b onclick=&quot;x&quot;&gt;<mark>エモテット</mark>&lt;/b&gt; &amp; &#39;q&#39;',
    );
    // Text that looks like a mark is escaped too: the only real tags are ours.
    expect(snippet('<mark>x</mark> emotet', ['emotet'])).toBe('&lt;mark&gt;x&lt;/mark&gt; <mark>emotet</mark>');
  });

  it('cuts around the first hit with ellipses, without splitting a surrogate pair', () => {
    const text = `${'𠮷'.repeat(100)}標的型攻撃${'あ'.repeat(300)}`;
    const s = snippet(text, ['標的型']);
    expect(s.startsWith(`…${'𠮷'.repeat(40)}<mark>標的型</mark>攻撃`)).toBe(true);
    expect(s.endsWith('あ…')).toBe(true);
    expect([...s.replace(/<\/?mark>/g, '')].length).toBe(160 + 2);
  });

  it('marks every hit, longer terms first, case-insensitively, whitespace collapsed', () => {
    expect(snippet('Emotet\n\n  と EMOTET と 標的型攻撃', ['emotet', '標的', '標的型'])).toBe(
      '<mark>Emotet</mark> と <mark>EMOTET</mark> と <mark>標的型</mark>攻撃',
    );
  });

  it('starts at the beginning when the hit is only in the title', () => {
    expect(snippet('本文には出てこない。', ['題名'])).toBe('本文には出てこない。');
  });
});
