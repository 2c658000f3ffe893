/**
 * A small, safe Markdown renderer for rulebooks: headings, paragraphs, lists, block quotes, horizontal rules,
 * **bold**, *emphasis* and `code`. It builds React elements (React escapes all text): no HTML from the
 * document ever reaches the page, and links are shown as text.
 */
import { Blockquote, Code, Divider, List, Text, Title, Typography } from '@mantine/core';
import type { ReactNode } from 'react';

type Block =
  | { kind: 'heading'; level: number; text: string }
  | { kind: 'para'; text: string }
  | { kind: 'list'; ordered: boolean; items: string[] }
  | { kind: 'quote'; text: string }
  | { kind: 'rule' };

/** Split the document into blocks. Exported for tests. */
export function parseBlocks(md: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  let list: { ordered: boolean; items: string[] } | null = null;
  let quote: string[] = [];
  const flush = () => {
    if (para.length) blocks.push({ kind: 'para', text: para.join('\n') });
    if (list) blocks.push({ kind: 'list', ...list });
    if (quote.length) blocks.push({ kind: 'quote', text: quote.join('\n') });
    para = [];
    list = null;
    quote = [];
  };
  for (const raw of md.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.trimEnd();
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    const numbered = /^\s*\d+[.)]\s+(.*)$/.exec(line);
    const quoted = /^>\s?(.*)$/.exec(line);
    if (!line.trim()) {
      flush();
    } else if (heading) {
      flush();
      blocks.push({ kind: 'heading', level: heading[1]?.length ?? 1, text: (heading[2] ?? '').replace(/\s+#+$/, '') });
    } else if (/^(\*\s*){3,}$|^(-\s*){3,}$|^(_\s*){3,}$/.test(line.trim())) {
      flush();
      blocks.push({ kind: 'rule' });
    } else if (bullet || numbered) {
      const ordered = !bullet;
      const text = (bullet ?? numbered)?.[1] ?? '';
      if (!list || list.ordered !== ordered) {
        flush();
        list = { ordered, items: [] };
      }
      list.items.push(text);
    } else if (quoted) {
      if (!quote.length) flush();
      quote.push(quoted[1] ?? '');
    } else if (list && /^\s{2,}/.test(raw) && list.items.length) {
      // A continuation line of the last list item.
      list.items[list.items.length - 1] += ` ${line.trim()}`;
    } else {
      if (list || quote.length) flush();
      para.push(line);
    }
  }
  flush();
  return blocks;
}

/** Inline marks: `code`, **bold**, *emphasis* / _emphasis_; line breaks inside a paragraph are kept. */
export function inline(text: string, keyPrefix = 'i'): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /`([^`]+)`|\*\*([^*]+)\*\*|__([^_]+)__|\*([^*\s][^*]*)\*|_([^_\s][^_]*)_|\n/g;
  let last = 0;
  let n = 0;
  for (const m of text.matchAll(pattern)) {
    const at = m.index;
    if (at > last) out.push(text.slice(last, at));
    const key = `${keyPrefix}-${n++}`;
    if (m[0] === '\n') out.push(<br key={key} />);
    else if (m[1] !== undefined) out.push(<Code key={key}>{m[1]}</Code>);
    else if (m[2] !== undefined || m[3] !== undefined) out.push(<strong key={key}>{m[2] ?? m[3]}</strong>);
    else out.push(<em key={key}>{m[4] ?? m[5]}</em>);
    last = at + m[0].length;
  }
  if (last < text.length) out.push(text.slice(last));
  return out;
}

export function Markdown({ source, testId }: { source: string; testId?: string }) {
  const blocks = parseBlocks(source);
  return (
    <Typography data-testid={testId}>
      {blocks.map((b, i) => {
        const key = `b${i}`;
        switch (b.kind) {
          case 'heading':
            return (
              <Title key={key} order={Math.min(6, b.level + 2) as 3 | 4 | 5 | 6}>
                {inline(b.text, key)}
              </Title>
            );
          case 'list':
            return (
              <List key={key} type={b.ordered ? 'ordered' : 'unordered'} mb="sm">
                {b.items.map((item, j) => (
                  <List.Item key={`${key}-${j}`}>{inline(item, `${key}-${j}`)}</List.Item>
                ))}
              </List>
            );
          case 'quote':
            return (
              <Blockquote key={key} p="sm" mb="sm">
                {inline(b.text, key)}
              </Blockquote>
            );
          case 'rule':
            return <Divider key={key} my="sm" />;
          default:
            return (
              <Text key={key} mb="sm">
                {inline(b.text, key)}
              </Text>
            );
        }
      })}
    </Typography>
  );
}
