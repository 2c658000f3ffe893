import { describe, expect, it } from 'vitest';
import { en } from './en.js';
import { ja } from './ja.js';

type Tree = { [key: string]: unknown };

/** Every leaf of a catalogue as `a.b.c` → value. */
function leaves(tree: Tree, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [p, v] of leaves(value as Tree, path)) out.set(p, v);
    } else {
      out.set(path, value);
    }
  }
  return out;
}

/** `{{name}}` placeholders of a text, sorted. */
const placeholders = (text: string): string[] => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();

const catalogues = { ja: leaves(ja), en: leaves(en) } as const;

describe('web UI message catalogues', () => {
  it('have the same keys in Japanese and English', () => {
    const jaKeys = [...catalogues.ja.keys()].sort();
    const enKeys = [...catalogues.en.keys()].sort();
    expect(jaKeys.filter((k) => !catalogues.en.has(k)), 'keys missing in en.ts').toEqual([]);
    expect(enKeys.filter((k) => !catalogues.ja.has(k)), 'keys missing in ja.ts').toEqual([]);
  });

  for (const [lang, catalogue] of Object.entries(catalogues)) {
    it(`has only non-empty strings in ${lang}`, () => {
      const bad = [...catalogue].filter(([, v]) => typeof v !== 'string' || v.trim() === '').map(([k]) => k);
      expect(bad, `empty or non-string values in ${lang}.ts`).toEqual([]);
    });
  }

  it('uses the same placeholders in both languages', () => {
    const differing = [...catalogues.ja]
      .filter(([key, value]) => {
        const other = catalogues.en.get(key);
        return typeof value === 'string' && typeof other === 'string' && placeholders(value).join() !== placeholders(other).join();
      })
      .map(([key]) => key);
    expect(differing).toEqual([]);
  });

  it('is really translated: Japanese texts contain Japanese', () => {
    const sameAsEnglish = new Set(['app.product', 'common.none', 'language.ja', 'language.en', 'audit.actionPlaceholder']);
    const notJapanese = [...catalogues.ja]
      .filter(([key, value]) => !sameAsEnglish.has(key) && typeof value === 'string' && !/[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]/.test(value))
      .map(([key]) => key);
    expect(notJapanese).toEqual([]);
  });
});
