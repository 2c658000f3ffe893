/**
 * TAXII 2.1 URL parameters: `limit`, `next`, `added_after` and the `match[...]` filters, checked strictly. A value
 * we cannot read is a 400 naming the parameter, never a 500 and never silently ignored.
 */
import { decodeCursor } from '../context.js';
import { Invalid } from '../errors.js';
import type { VersionMatch } from './ports.js';
import { parseTimestamp } from './stix-objects.js';

export const DEFAULT_PAGE = 100;
export const MAX_PAGE = 1000;
/** How many values one match[…] parameter may list. */
const MAX_VALUES = 1000;

export type TaxiiParameter = 'limit' | 'next' | 'added_after' | 'match[id]' | 'match[type]' | 'match[version]' | 'match[spec_version]';

export interface TaxiiQuery {
  limit: number;
  /** Objects added after this (microseconds): the later of added_after and the page key. */
  afterUs?: number;
  ids?: string[];
  types?: string[];
  specVersions?: string[];
  versions: VersionMatch;
}

const bad = (parameter: string): never => {
  throw new Invalid('taxii_invalid_parameter', { parameter });
};

const IDENTIFIER = /^[a-z0-9][a-z0-9-]*--[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const TYPE = /^[a-z0-9][a-z0-9-]{0,249}$/;
const SPEC_VERSION = /^\d{1,2}\.\d{1,2}$/;

/** A parameter given once or several times (`?match[type]=a&match[type]=b` means the same as `a,b`). */
function listOf(raw: Record<string, unknown>, name: string, check: RegExp | ((v: string) => boolean)): string[] | undefined {
  const v = raw[name];
  if (v === undefined) return undefined;
  const joined = (Array.isArray(v) ? v : [v]).map(String).join(',');
  const values = joined.split(',').map((s) => s.trim());
  const ok = (s: string) => (check instanceof RegExp ? check.test(s) : check(s));
  if (values.length > MAX_VALUES || values.some((s) => !s || !ok(s))) bad(name);
  return [...new Set(values)];
}

function single(raw: Record<string, unknown>, name: string): string | undefined {
  const v = raw[name];
  if (v === undefined) return undefined;
  if (Array.isArray(v) || typeof v !== 'string') return bad(name);
  return v;
}

/**
 * Read the parameters an endpoint supports (`allowed`); the others are ignored, as TAXII asks of filters a server
 * does not apply there. `versionDefault` is what an absent match[version] means: `last` for objects and manifests,
 * `all` for the versions list and for DELETE.
 */
export function parseTaxiiQuery(
  raw: Record<string, unknown>,
  allowed: readonly TaxiiParameter[],
  versionDefault: 'last' | 'all',
): TaxiiQuery {
  const has = (p: TaxiiParameter) => allowed.includes(p);
  const q: TaxiiQuery = { limit: DEFAULT_PAGE, versions: { all: versionDefault === 'all', first: false, last: versionDefault === 'last', at: [] } };

  const limit = has('limit') ? single(raw, 'limit') : undefined;
  if (limit !== undefined) {
    if (!/^\d{1,9}$/.test(limit) || Number(limit) < 1) bad('limit');
    // A larger page than we serve is not an error: TAXII lets the server give fewer, and `more` says so.
    q.limit = Math.min(Number(limit), MAX_PAGE);
  }

  const after: number[] = [];
  const addedAfter = has('added_after') ? single(raw, 'added_after') : undefined;
  if (addedAfter !== undefined) after.push(parseTimestamp(addedAfter, false) ?? bad('added_after'));
  const next = has('next') ? single(raw, 'next') : undefined;
  if (next !== undefined) {
    let key: string | undefined;
    try {
      key = decodeCursor(next);
    } catch {
      bad('next');
    }
    if (!key || !/^\d{1,17}$/.test(key)) bad('next');
    after.push(Number(key));
  }
  if (after.length) q.afterUs = Math.max(...after);

  if (has('match[id]')) {
    const ids = listOf(raw, 'match[id]', IDENTIFIER);
    if (ids) q.ids = ids;
  }
  if (has('match[type]')) {
    const types = listOf(raw, 'match[type]', TYPE);
    if (types) q.types = types;
  }
  if (has('match[spec_version]')) {
    const specs = listOf(raw, 'match[spec_version]', SPEC_VERSION);
    if (specs) q.specVersions = specs;
  }
  if (has('match[version]')) {
    const versions = listOf(raw, 'match[version]', (v) => v === 'first' || v === 'last' || v === 'all' || parseTimestamp(v, false) !== null);
    if (versions) {
      q.versions = {
        all: versions.includes('all'),
        first: versions.includes('first'),
        last: versions.includes('last'),
        at: versions.filter((v) => v !== 'first' && v !== 'last' && v !== 'all').map((v) => parseTimestamp(v, false) as number),
      };
    }
  }
  return q;
}
