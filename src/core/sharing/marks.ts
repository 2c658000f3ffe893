/**
 * Confidentiality marks (受領組織の識別): every exported or downloaded document of non-public information
 * carries the receiving organisation's mark, in two forms:
 *
 * - a visible line naming the organisation, the user, the time (Japan time) and the TLP label, in Japanese and
 *   English (`markNotice`);
 * - an invisible token: the random id of a stored mark, written in zero-width characters
 *   (U+200B, U+200C, U+200D, U+2060, two bits each) and repeated after the title, after every heading, after
 *   every sentence and at the end of every line of prose, so that a part of the text copied on its own still
 *   carries it (`encodeMark`, `embedMark`).
 *
 * `decodeMarks` finds every token in any text; `traceMarks` (the secretariat's `kyogikai trace-leak`) names the
 * organisation, user, item and time behind each. Formats or tools that strip zero-width characters lose the
 * token: the visible line remains.
 */
import { createHash, randomBytes } from 'node:crypto';
import { system, type Actor } from '../actor.js';
import { audit, iso, type Deps, type RequestMeta } from '../context.js';
import type { Repos } from '../ports.js';
import { formatJst } from '../time.js';
import type { MarkRecord, MarkedItemType } from './marks-ports.js';
import { tlpLabel, type Tlp } from './model.js';

/** The four zero-width characters, one per two-bit symbol (0 … 3). */
export const MARK_ALPHABET = ['\u200B', '\u200C', '\u200D', '\u2060'] as const;
const SYMBOL = new Map<string, number>(MARK_ALPHABET.map((c, i) => [c, i]));

/** A token starts with this byte so a decoder can find it inside a longer run of zero-width characters. */
const MAGIC = 0xa5;
const ID_BYTES = 12;
const CHECK_BYTES = 2;
const TOKEN_BYTES = 1 + ID_BYTES + CHECK_BYTES;
/** Zero-width characters per token: four per byte. */
export const TOKEN_LENGTH = TOKEN_BYTES * 4;
const ID_PATTERN = /^[0-9a-f]{24}$/;

/** A fresh mark id: 96 random bits as 24 hex digits (not guessable, so a mark cannot be forged to blame another). */
export const newMarkId = (): string => randomBytes(ID_BYTES).toString('hex');

const checksum = (id: Buffer): Buffer => createHash('sha256').update(Buffer.from([MAGIC])).update(id).digest().subarray(0, CHECK_BYTES);

/** The invisible token for a mark id. */
export function encodeMark(id: string): string {
  if (!ID_PATTERN.test(id)) throw new Error('invalid mark id');
  const idBytes = Buffer.from(id, 'hex');
  const bytes = Buffer.concat([Buffer.from([MAGIC]), idBytes, checksum(idBytes)]);
  let out = '';
  for (const b of bytes) for (let shift = 6; shift >= 0; shift -= 2) out += MARK_ALPHABET[(b >> shift) & 3];
  return out;
}

function bytesAt(symbols: readonly number[], start: number, count: number): Buffer {
  const out = Buffer.alloc(count);
  for (let i = 0; i < count; i++) {
    let b = 0;
    for (let k = 0; k < 4; k++) b = (b << 2) | (symbols[start + i * 4 + k] ?? 0);
    out[i] = b;
  }
  return out;
}

/** Every distinct mark id in `text`, in order of first appearance, with how often its token occurs. */
export function decodeMarks(text: string): { id: string; occurrences: number }[] {
  const found = new Map<string, number>();
  const scan = (run: number[]) => {
    let i = 0;
    while (i + TOKEN_LENGTH <= run.length) {
      const head = bytesAt(run, i, 1)[0];
      if (head === MAGIC) {
        const bytes = bytesAt(run, i, TOKEN_BYTES);
        const idBytes = bytes.subarray(1, 1 + ID_BYTES);
        if (checksum(idBytes).equals(bytes.subarray(1 + ID_BYTES))) {
          const id = idBytes.toString('hex');
          found.set(id, (found.get(id) ?? 0) + 1);
          i += TOKEN_LENGTH;
          continue;
        }
      }
      i++;
    }
  };
  let run: number[] = [];
  for (const ch of text) {
    const s = SYMBOL.get(ch);
    if (s !== undefined) {
      run.push(s);
    } else if (run.length) {
      scan(run);
      run = [];
    }
  }
  if (run.length) scan(run);
  return [...found.entries()].map(([id, occurrences]) => ({ id, occurrences }));
}

/** The text without any zero-width mark characters. */
export const stripMarks = (text: string): string => text.replace(/\u200B|\u200C|\u200D|\u2060/g, '');

/**
 * Put the token into prose: after every sentence (。．！？ and . ! ? before a space) and at the end of every
 * non-empty line. Never inside a word, a number, an address or an indicator value.
 */
export function embedMark(text: string, token: string): string {
  if (!token) return text;
  return text
    .split('\n')
    .map((line) => {
      if (line.trim() === '') return line;
      const inner = line.replace(/([。．！？]|[.!?](?=\s))(?=.)/gu, `$1${token}`);
      return `${inner}${token}`;
    })
    .join('\n');
}

/** TLP 2.0 (FIRST): what the recipient may do with the document. */
const tlpRule: Record<Tlp, { ja: string; en: string }> = {
  clear: { ja: '公開の制限はありません。', en: 'Disclosure is not limited.' },
  green: {
    ja: 'コミュニティ内で共有できますが、一般に公開された場には掲載できません。',
    en: 'Recipients may share it within their community, not via publicly accessible channels.',
  },
  amber: {
    ja: '受領組織とその顧客の中で、知る必要のある範囲に限り共有できます。',
    en: 'Recipients may share it within their organisation and its clients on a need-to-know basis only.',
  },
  'amber+strict': {
    ja: '受領組織の中で、知る必要のある範囲に限り共有できます。',
    en: 'Recipients may share it within their own organisation only, on a need-to-know basis.',
  },
  red: { ja: '指名された受領者本人限りです。これ以上共有できません。', en: 'For the named recipients only: no further disclosure.' },
};

export const tlpRuleText = (tlp: Tlp): { ja: string; en: string } => tlpRule[tlp];

export interface NoticeInput {
  orgNameJa: string;
  orgNameEn: string;
  /** The user's display name and login. */
  userDisplayName: string;
  userLogin: string;
  at: string;
  tlp: Tlp;
}

/** The visible mark line, in Japanese and English. */
export function markNotice(n: NoticeInput): { ja: string; en: string } {
  const label = tlpLabel(n.tlp);
  const who = n.userDisplayName && n.userDisplayName !== n.userLogin ? `${n.userDisplayName} / ${n.userLogin}` : n.userLogin;
  return {
    ja: `この文書は${n.orgNameJa}（${who}）に${formatJst(n.at, 'ja')}に提供されました。${label}：${tlpRule[n.tlp].ja}受領組織の識別情報が埋め込まれています。`,
    en: `This document was provided to ${n.orgNameEn} (${who}) on ${formatJst(n.at, 'en')}. ${label}: ${tlpRule[n.tlp].en} It carries an identifier of the receiving organisation.`,
  };
}

export interface IssueMarkInput {
  orgId: string;
  userId: string;
  itemType: MarkedItemType;
  itemId: string;
  version: number | null;
  tlp: Tlp;
  format: string;
}

/** Store a new mark inside the caller's transaction and give its invisible token. */
export async function issueMark(r: Repos, deps: Deps, input: IssueMarkInput): Promise<{ mark: MarkRecord; token: string }> {
  const mark: MarkRecord = { id: newMarkId(), ...input, tlp: tlpLabel(input.tlp), createdAt: iso(deps.now()) };
  await r.marks.insert(mark);
  return { mark, token: encodeMark(mark.id) };
}

/** What a mark found in a document says. */
export interface TracedMark {
  markId: string;
  /** How many copies of the token the text holds. */
  occurrences: number;
  /** False when the token decodes but no such mark was ever issued here (another installation, or forged). */
  known: boolean;
  org?: { id: string; nameJa: string; nameEn: string };
  user?: { id: string; login: string; displayName: string; email: string };
  item?: { type: MarkedItemType; id: string; title: string | null; version: number | null };
  tlp?: string;
  format?: string;
  at?: string;
  /** `at` in Japan time. */
  atJst?: { ja: string; en: string };
}

/**
 * Trace the marks in a leaked text back to the receiving organisations. For the secretariat (it runs as the
 * operator with database access); every trace is itself written to the audit log.
 */
export async function traceMarks(
  deps: Deps,
  text: string,
  opts: { actor?: Actor; meta?: RequestMeta; source?: string } = {},
): Promise<TracedMark[]> {
  const r = deps.store.read;
  const out: TracedMark[] = [];
  for (const { id, occurrences } of decodeMarks(text)) {
    const mark = await r.marks.byId(id);
    if (!mark) {
      out.push({ markId: id, occurrences, known: false });
      continue;
    }
    const org = await r.organizations.byId(mark.orgId);
    const user = await r.users.byId(mark.userId);
    let title: string | null = null;
    if (mark.itemType === 'advisory') {
      const v = mark.version !== null ? await r.sharing.versions.get(mark.itemId, mark.version) : undefined;
      title = v?.content.title ?? (await r.sharing.advisories.byId(mark.itemId))?.title ?? null;
    } else {
      title = (await r.sharing.reports.byId(mark.itemId))?.title ?? null;
    }
    out.push({
      markId: id,
      occurrences,
      known: true,
      ...(org ? { org: { id: org.id, nameJa: org.nameJa, nameEn: org.nameEn } } : {}),
      ...(user ? { user: { id: user.id, login: user.login, displayName: user.displayName, email: user.email } } : {}),
      item: { type: mark.itemType, id: mark.itemId, title, version: mark.version },
      tlp: mark.tlp,
      format: mark.format,
      at: mark.createdAt,
      atJst: { ja: formatJst(mark.createdAt, 'ja'), en: formatJst(mark.createdAt, 'en') },
    });
  }
  const actor = opts.actor ?? system('trace-leak');
  await deps.store.tx((t) =>
    audit(t, deps, actor, opts.meta ?? { ip: null }, 'mark.trace', null, {
      source: opts.source ?? null,
      found: out.map((m) => ({ markId: m.markId, known: m.known, orgId: m.org?.id ?? null })),
    }),
  );
  return out;
}
