import { describe, expect, it } from 'vitest';
import { parseBlocks } from './Markdown.js';

describe('rulebook Markdown', () => {
  it('splits headings, paragraphs, lists and quotes', () => {
    const blocks = parseBlocks('# 第1条\n本文の一行目\n二行目\n\n- 一\n- 二\n\n1. A\n2. B\n> 注記\n---');
    expect(blocks).toEqual([
      { kind: 'heading', level: 1, text: '第1条' },
      { kind: 'para', text: '本文の一行目\n二行目' },
      { kind: 'list', ordered: false, items: ['一', '二'] },
      { kind: 'list', ordered: true, items: ['A', 'B'] },
      { kind: 'quote', text: '注記' },
      { kind: 'rule' },
    ]);
  });

  it('keeps HTML as text (React escapes it)', () => {
    expect(parseBlocks('<script>alert(1)</script>')).toEqual([{ kind: 'para', text: '<script>alert(1)</script>' }]);
  });
});
