/**
 * STIX 2.1 patterning (STIX 2.1 part 9): a parser for the whole grammar, to reject indicators whose pattern is
 * not valid and to read observables out of the ones that are; and the patterns we write for our observables.
 */
import type { Observable, ObservableType } from '../sharing/model.js';
import { normaliseAs } from '../sharing/observables.js';

type TokenKind = 'word' | 'string' | 'int' | 'float' | 'hex' | 'binary' | 'timestamp' | 'punct' | 'op' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
  /** The value of a string literal, unescaped. */
  value?: string;
  at: number;
}

export class PatternError extends Error {
  constructor(readonly position: number) {
    super(`STIX pattern syntax error at ${position}`);
  }
}

const KEYWORDS = new Set(['AND', 'OR', 'NOT', 'FOLLOWEDBY', 'LIKE', 'MATCHES', 'ISSUPERSET', 'ISSUBSET', 'EXISTS', 'IN', 'START', 'STOP', 'SECONDS', 'WITHIN', 'REPEATS', 'TIMES']);
const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?Z$/;

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  const fail = (): never => {
    throw new PatternError(i + 1);
  };
  /** A quoted string from src[i] (the quote), with \' and \\ as its only escapes. */
  const quoted = (): string => {
    let value = '';
    i++;
    for (;;) {
      const c = src[i];
      if (c === undefined) fail();
      if (c === "'") {
        i++;
        return value;
      }
      if (c === '\\') {
        const n = src[i + 1];
        if (n !== "'" && n !== '\\') fail();
        value += n;
        i += 2;
      } else {
        value += c;
        i++;
      }
    }
  };
  while (i < src.length) {
    const c = src[i] as string;
    const at = i + 1;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      const value = quoted();
      out.push({ kind: 'string', text: src.slice(at - 1, i), value, at });
    } else if (/[htb]/.test(c) && src[i + 1] === "'") {
      i++;
      const value = quoted();
      const kind = c === 'h' ? 'hex' : c === 'b' ? 'binary' : 'timestamp';
      const ok =
        kind === 'hex' ? /^([0-9a-fA-F]{2})*$/.test(value) : kind === 'binary' ? /^[A-Za-z0-9+/]*={0,2}$/.test(value) && value.length % 4 === 0 : TIMESTAMP.test(value);
      if (!ok) throw new PatternError(at);
      out.push({ kind, text: src.slice(at - 1, i), value, at });
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i)) as RegExpExecArray;
      out.push({ kind: 'word', text: m[0], at });
      i += m[0].length;
    } else if (/^[-+]?\.?\d/.test(src.slice(i, i + 3))) {
      const text = (/^[-+]?(\d*\.\d+|\d+)/.exec(src.slice(i)) as RegExpExecArray)[0];
      const digits = text.replace(/^[-+]/, '');
      // Integers have no leading zeros (0 itself excepted).
      if (!text.includes('.') && digits.length > 1 && digits.startsWith('0')) fail();
      out.push({ kind: text.includes('.') ? 'float' : 'int', text, at });
      i += text.length;
    } else {
      const two = src.slice(i, i + 2);
      if (two === '!=' || two === '<=' || two === '>=') {
        out.push({ kind: 'op', text: two, at });
        i += 2;
      } else if (c === '=' || c === '<' || c === '>') {
        out.push({ kind: 'op', text: c, at });
        i++;
      } else if ('[]():,.*'.includes(c)) {
        out.push({ kind: 'punct', text: c, at });
        i++;
      } else {
        fail();
      }
    }
  }
  out.push({ kind: 'end', text: '', at: src.length + 1 });
  return out;
}

/** One comparison of an object property with a value, wherever it sits in the pattern. */
export interface Comparison {
  objectType: string;
  /** Property path after the colon: names, list indexes and `*`. */
  path: (string | number)[];
  operator: string;
  negated: boolean;
  /** The literal(s) compared with; strings unescaped. */
  values: { kind: TokenKind; value: string }[];
}

/** Parentheses nested deeper than any real pattern: the parser recurses, so deeper would overflow its stack. */
const MAX_NESTING = 100;

/** Parse a pattern; throws PatternError with the position of the first problem. Returns every comparison in it. */
export function parsePattern(src: string): Comparison[] {
  const tokens = tokenize(src);
  let p = 0;
  let nesting = 0;
  const comparisons: Comparison[] = [];
  const peek = (): Token => tokens[p] as Token;
  const next = (): Token => tokens[p++] as Token;
  const fail = (t: Token = peek()): never => {
    throw new PatternError(t.at);
  };
  const isWord = (t: Token, w: string) => t.kind === 'word' && t.text === w;
  const expectPunct = (ch: string) => {
    const t = next();
    if (t.kind !== 'punct' || t.text !== ch) fail(t);
  };
  /** Parse what stands between the parenthesis `open` and its closing one. */
  const parenthesised = (open: Token, inner: () => void) => {
    if (++nesting > MAX_NESTING) fail(open);
    inner();
    expectPunct(')');
    nesting--;
  };

  // observationExpressions: FOLLOWEDBY binds loosest, then OR, then AND.
  function observations(): void {
    observationOr();
    while (isWord(peek(), 'FOLLOWEDBY')) {
      next();
      observationOr();
    }
  }
  function observationOr(): void {
    observationAnd();
    while (isWord(peek(), 'OR')) {
      next();
      observationAnd();
    }
  }
  function observationAnd(): void {
    observation();
    while (isWord(peek(), 'AND')) {
      next();
      observation();
    }
  }
  function observation(): void {
    const t = next();
    if (t.kind === 'punct' && t.text === '[') {
      comparisonOr();
      expectPunct(']');
    } else if (t.kind === 'punct' && t.text === '(') {
      parenthesised(t, observations);
    } else {
      fail(t);
    }
    // Qualifiers follow an observation expression, any number of them.
    for (;;) {
      const q = peek();
      if (isWord(q, 'START')) {
        next();
        if (next().kind !== 'timestamp') fail(tokens[p - 1]);
        if (!isWord(next(), 'STOP')) fail(tokens[p - 1]);
        if (next().kind !== 'timestamp') fail(tokens[p - 1]);
      } else if (isWord(q, 'WITHIN')) {
        next();
        const n = next();
        if (!((n.kind === 'int' || n.kind === 'float') && !n.text.startsWith('-') && Number(n.text) > 0)) fail(n);
        if (!isWord(next(), 'SECONDS')) fail(tokens[p - 1]);
      } else if (isWord(q, 'REPEATS')) {
        next();
        const n = next();
        if (!(n.kind === 'int' && !n.text.startsWith('-') && Number(n.text) > 0)) fail(n);
        if (!isWord(next(), 'TIMES')) fail(tokens[p - 1]);
      } else {
        return;
      }
    }
  }
  function comparisonOr(): void {
    comparisonAnd();
    while (isWord(peek(), 'OR')) {
      next();
      comparisonAnd();
    }
  }
  function comparisonAnd(): void {
    propTest();
    while (isWord(peek(), 'AND')) {
      next();
      propTest();
    }
  }
  function objectPath(): Pick<Comparison, 'objectType' | 'path'> {
    const type = next();
    if (type.kind !== 'word' || KEYWORDS.has(type.text)) fail(type);
    expectPunct(':');
    const path: (string | number)[] = [];
    const component = (): void => {
      const t = next();
      if (t.kind === 'word' && !t.text.includes('-')) path.push(t.text);
      else if (t.kind === 'string') path.push(t.value as string);
      else fail(t);
    };
    component();
    for (;;) {
      const t = peek();
      if (t.kind === 'punct' && t.text === '.') {
        next();
        component();
      } else if (t.kind === 'punct' && t.text === '[') {
        // A `[` right after a path is a list index (an observation's `[` never follows a path).
        next();
        const idx = next();
        if (idx.kind === 'int') path.push(Number(idx.text));
        else if (idx.kind === 'punct' && idx.text === '*') path.push('*');
        else fail(idx);
        expectPunct(']');
      } else {
        return { objectType: type.text, path };
      }
    }
  }
  function literal(): { kind: TokenKind; value: string } {
    const t = next();
    if (t.kind === 'word' && (t.text === 'true' || t.text === 'false')) return { kind: 'word', value: t.text };
    if (['string', 'int', 'float', 'hex', 'binary', 'timestamp'].includes(t.kind)) return { kind: t.kind, value: t.value ?? t.text };
    return fail(t);
  }
  function propTest(): void {
    const t = peek();
    if (t.kind === 'punct' && t.text === '(') {
      parenthesised(next(), comparisonOr);
      return;
    }
    if (isWord(t, 'EXISTS')) {
      next();
      comparisons.push({ ...objectPath(), operator: 'EXISTS', negated: false, values: [] });
      return;
    }
    const target = objectPath();
    let negated = false;
    if (isWord(peek(), 'NOT')) {
      next();
      negated = true;
    }
    const op = next();
    if (op.kind === 'op') {
      const value = literal();
      // Ordering comparisons take no booleans.
      if (['<', '>', '<=', '>='].includes(op.text) && value.kind === 'word') fail(op);
      comparisons.push({ ...target, operator: op.text, negated, values: [value] });
    } else if (isWord(op, 'IN')) {
      expectPunct('(');
      const values: { kind: TokenKind; value: string }[] = [];
      if (!(peek().kind === 'punct' && peek().text === ')')) {
        values.push(literal());
        while (peek().kind === 'punct' && peek().text === ',') {
          next();
          values.push(literal());
        }
      }
      expectPunct(')');
      comparisons.push({ ...target, operator: 'IN', negated, values });
    } else if (op.kind === 'word' && ['LIKE', 'MATCHES', 'ISSUBSET', 'ISSUPERSET'].includes(op.text)) {
      const value = next();
      if (value.kind !== 'string') fail(value);
      comparisons.push({ ...target, operator: op.text, negated, values: [{ kind: 'string', value: value.value as string }] });
    } else {
      fail(op);
    }
  }

  observations();
  if (peek().kind !== 'end') fail();
  return comparisons;
}

/** Where each observable type sits in a pattern. Hash names are matched without case or hyphen (MD5, 'SHA-256'). */
const patternPaths: Record<Exclude<ObservableType, 'cve'>, { objectType: string; path: string[] }> = {
  ipv4: { objectType: 'ipv4-addr', path: ['value'] },
  ipv6: { objectType: 'ipv6-addr', path: ['value'] },
  domain: { objectType: 'domain-name', path: ['value'] },
  url: { objectType: 'url', path: ['value'] },
  email: { objectType: 'email-addr', path: ['value'] },
  md5: { objectType: 'file', path: ['hashes', 'MD5'] },
  sha1: { objectType: 'file', path: ['hashes', 'SHA-1'] },
  sha256: { objectType: 'file', path: ['hashes', 'SHA-256'] },
};

const hashKey = (name: string) => name.toLowerCase().replace(/-/g, '');

function observableTypeOf(c: Comparison): Exclude<ObservableType, 'cve'> | undefined {
  if (c.objectType === 'email-message' && c.path.join('.') === 'from_ref.value') return 'email';
  for (const [type, where] of Object.entries(patternPaths) as [Exclude<ObservableType, 'cve'>, (typeof patternPaths)['md5']][]) {
    if (where.objectType !== c.objectType || where.path.length !== c.path.length) continue;
    const same = where.path.every((step, i) => (i === 1 && where.path[0] === 'hashes' ? hashKey(step) === hashKey(String(c.path[i])) : step === c.path[i]));
    if (same) return type;
  }
  return undefined;
}

/**
 * The observables a pattern names: every `=` or `IN` comparison (not negated) of a property we know with a value
 * that is valid for it. Other comparisons (ranges, LIKE, CIDR blocks…) name no single value and are left out.
 */
export function observablesOfPattern(comparisons: readonly Comparison[]): Observable[] {
  const out: Observable[] = [];
  for (const c of comparisons) {
    if (c.negated || (c.operator !== '=' && c.operator !== 'IN')) continue;
    const type = observableTypeOf(c);
    if (!type) continue;
    for (const v of c.values) {
      if (v.kind !== 'string') continue;
      const value = normaliseAs(type, v.value);
      if (value !== null) out.push({ type, value });
    }
  }
  return out;
}

const quote = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The STIX pattern of one observable (not for CVEs: those are vulnerabilities, not indicators). */
export function patternOf(o: Observable): string {
  if (o.type === 'cve') throw new Error('a CVE has no pattern');
  const where = patternPaths[o.type];
  const path = where.path.map((step, i) => (i === 0 ? step : /^[A-Za-z_][A-Za-z0-9_]*$/.test(step) ? `.${step}` : `.${quote(step)}`)).join('');
  return `[${where.objectType}:${path} = ${quote(o.value)}]`;
}
