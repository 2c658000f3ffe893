/**
 * `kyogikai trace-leak <file>`: the secretariat's tool after a leak. Reads any text (a whole exported document or
 * a fragment pasted from one), finds every confidentiality mark in it and names the receiving organisation, the
 * user, the item and the time of each export, in Japan time. Exit 0 when at least one mark was traced to an
 * organisation, 1 when none was, 2 when the file cannot be read.
 */
import { readFile } from 'node:fs/promises';
import type { Deps } from '../core/context.js';
import { traceMarks, type TracedMark } from '../core/sharing/marks.js';

/** Text from the bytes of a file: UTF-8, or UTF-16 with a byte-order mark (as some editors save). */
export function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  return bytes.toString('utf8');
}

async function readInput(file: string): Promise<Buffer> {
  if (file !== '-') return readFile(file);
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const itemKind = { advisory: '対策情報 / countermeasure information', report: '情報提供 / report' } as const;

/** The findings as the operator reads them: Japanese first, English after. */
export function formatTrace(marks: readonly TracedMark[]): string {
  const lines: string[] = [];
  const traced = marks.filter((m) => m.known);
  lines.push(
    traced.length
      ? `${traced.length}件の識別情報を検出しました / ${traced.length} mark(s) traced`
      : '識別情報は見つかりませんでした / no mark found',
  );
  marks.forEach((m, i) => {
    lines.push('');
    lines.push(`[${i + 1}] 識別ID / mark id: ${m.markId}（文中 ${m.occurrences} 箇所 / ${m.occurrences} occurrence(s)）`);
    if (!m.known) {
      lines.push('    この基盤では発行されていない識別情報です / not issued by this installation');
      return;
    }
    lines.push(`    組織 / organisation: ${m.org?.nameJa ?? '?'} / ${m.org?.nameEn ?? '?'}${m.org ? ` (${m.org.id})` : ''}`);
    lines.push(`    利用者 / user: ${m.user ? `${m.user.displayName} (${m.user.login}, ${m.user.email})` : '?'}`);
    const item = m.item;
    if (item) {
      const version = item.version !== null ? ` 第${item.version}版 / v${item.version}` : '';
      lines.push(`    対象 / item: ${itemKind[item.type]}「${item.title ?? '?'}」${version} (${item.id})`);
    }
    lines.push(`    提供日時 / provided: ${m.atJst?.ja ?? '?'} / ${m.atJst?.en ?? '?'}`);
    lines.push(`    形式 / format: ${m.format ?? '?'}, ${m.tlp ?? ''}`);
  });
  return lines.join('\n');
}

export async function traceLeak(deps: Deps, file: string, opts: { json?: boolean } = {}): Promise<number> {
  let bytes: Buffer;
  try {
    bytes = await readInput(file);
  } catch (err) {
    console.error(`ファイルを読めません / cannot read ${file}: ${(err as Error).message}`);
    return 2;
  }
  const marks = await traceMarks(deps, decodeText(bytes), { source: file === '-' ? 'stdin' : file, meta: { ip: null, userAgent: 'cli' } });
  if (opts.json) console.log(JSON.stringify({ marks }, null, 2));
  else console.log(formatTrace(marks));
  return marks.some((m) => m.known) ? 0 : 1;
}
