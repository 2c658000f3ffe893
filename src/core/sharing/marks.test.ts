import { describe, expect, it } from 'vitest';
import { decodeMarks, embedMark, encodeMark, markNotice, MARK_ALPHABET, newMarkId, stripMarks, TOKEN_LENGTH } from './marks.js';

describe('invisible mark tokens', () => {
  it('encode a mark id in zero-width characters only, and decode it back', () => {
    const id = newMarkId();
    expect(id).toMatch(/^[0-9a-f]{24}$/);
    const token = encodeMark(id);
    expect(token).toHaveLength(TOKEN_LENGTH);
    for (const ch of token) expect(MARK_ALPHABET).toContain(ch);
    expect(decodeMarks(`見出し${token}本文`)).toEqual([{ id, occurrences: 1 }]);
  });

  it('gives fresh ids', () => {
    const ids = new Set(Array.from({ length: 200 }, newMarkId));
    expect(ids.size).toBe(200);
  });

  it('finds several tokens, adjacent or apart, and counts them', () => {
    const a = newMarkId();
    const b = newMarkId();
    const text = `x${encodeMark(a)}${encodeMark(a)}y${encodeMark(b)}z${encodeMark(a)}`;
    expect(decodeMarks(text)).toEqual([
      { id: a, occurrences: 3 },
      { id: b, occurrences: 1 },
    ]);
  });

  it('finds a token inside a longer run of zero-width characters', () => {
    const id = newMarkId();
    expect(decodeMarks(`a\u200B\u200D\u2060${encodeMark(id)}\u200C\u200Cb`)).toEqual([{ id, occurrences: 1 }]);
  });

  it('ignores damaged tokens and stray zero-width characters', () => {
    const token = encodeMark(newMarkId());
    const chars = [...token];
    // Flip one symbol in the middle: the checksum no longer matches.
    chars[20] = chars[20] === MARK_ALPHABET[0] ? MARK_ALPHABET[1] : MARK_ALPHABET[0];
    expect(decodeMarks(`a${chars.join('')}b`)).toEqual([]);
    // A truncated token (part of it lost in a copy) is not a mark.
    expect(decodeMarks(token.slice(0, TOKEN_LENGTH - 1))).toEqual([]);
    expect(decodeMarks('普通の文章\u200Bです。')).toEqual([]);
  });

  it('refuses to encode anything but a mark id', () => {
    expect(() => encodeMark('not-an-id')).toThrow();
  });
});

describe('embedding a mark in text', () => {
  const token = encodeMark(newMarkId());

  it('puts the token after every sentence and at every line end, and nothing else changes', () => {
    const text = '不審な通信を確認しました。対象は 192.0.2.1 です。\nSee example.com. Update now!\n\nLast line';
    const marked = embedMark(text, token);
    expect(stripMarks(marked)).toBe(text);
    expect(marked.split(token)).toHaveLength(6);
    // Never inside an address or a domain.
    expect(marked).toContain('192.0.2.1');
    expect(marked).toContain('example.com.');
    // A single sentence copied on its own still carries it.
    const sentence = marked.slice(marked.indexOf('対象は'), marked.indexOf('\n'));
    expect(decodeMarks(sentence)).toHaveLength(1);
    // Blank lines stay blank.
    expect(marked.split('\n')[2]).toBe('');
  });

  it('leaves text alone without a token', () => {
    expect(embedMark('a. b', '')).toBe('a. b');
  });
});

describe('the visible mark line', () => {
  it('names the organisation, the user, the time in Japan time and the TLP in both languages', () => {
    const n = markNotice({
      orgNameJa: '東日本電力株式会社',
      orgNameEn: 'East Japan Electric Power Co.',
      userDisplayName: '電力 四郎',
      userLogin: 'ejep.csirt',
      at: '2026-04-01T00:00:00.000Z',
      tlp: 'amber',
    });
    expect(n.ja).toContain('この文書は東日本電力株式会社（電力 四郎 / ejep.csirt）に2026年4月1日 09:00（日本時間）に提供されました。TLP:AMBER');
    expect(n.en).toContain('This document was provided to East Japan Electric Power Co. (電力 四郎 / ejep.csirt) on 1 Apr 2026, 09:00 JST. TLP:AMBER');
  });
});
