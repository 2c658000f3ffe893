import { describe, expect, it } from 'vitest';
import { snippet } from '../../core/search/text.js';
import { highlightParts } from './highlight.js';

describe('highlightParts', () => {
  it('gives back the text and the hits of a server snippet, markup in the text staying text', () => {
    const text = '<img src=x onerror="alert(1)"> &amp; 標的型攻撃 <mark>x</mark>';
    const parts = highlightParts(snippet(text, ['標的型']));
    expect(parts).toEqual([
      { text: '<img src=x onerror="alert(1)"> &amp; ', hit: false },
      { text: '標的型', hit: true },
      { text: '攻撃 <mark>x</mark>', hit: false },
    ]);
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });
});
