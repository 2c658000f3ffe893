/**
 * Is an incoming object valid STIX 2.1? The common properties of every object kind (STIX 2.1 part 3), the required
 * properties of each type we know, identifiers (`type--UUID`), timestamps, their order, and the syntax of STIX
 * patterns. Anything else an object carries passes through untouched (custom properties and extensions included).
 * A rejection names its reason as a message key with parameters, so it can be told in the reader's language.
 */
import { z } from 'zod';
import type { MessageParam } from '../errors.js';
import { parseTimestamp, type StixObject } from './stix-objects.js';
import { parsePattern, PatternError } from './stix-pattern.js';

export interface StixRejection {
  code: string;
  params: Record<string, MessageParam>;
}

const TYPE_NAME = /^(?!.*--)[a-z0-9][a-z0-9-]{1,248}[a-z0-9]$/;
const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-8][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}';
const IDENTIFIER = new RegExp(`^[a-z0-9][a-z0-9-]*--${UUID}$`);

const timestamp = z.string().refine((s) => parseTimestamp(s) !== null);
const identifier = (type?: string) => z.string().refine((s) => IDENTIFIER.test(s) && (type === undefined || s.startsWith(`${type}--`)));
const refs = (type?: string) => z.array(identifier(type));
const text = z.string().min(1);

const optionalCommon = {
  created_by_ref: identifier('identity').optional(),
  revoked: z.boolean().optional(),
  labels: z.array(z.string()).optional(),
  confidence: z.number().int().min(0).max(100).optional(),
  lang: z.string().optional(),
  external_references: z.array(z.looseObject({ source_name: text })).optional(),
  object_marking_refs: refs('marking-definition').optional(),
  granular_markings: z.array(z.looseObject({ selectors: z.array(z.string()).min(1) })).optional(),
  extensions: z.record(z.string(), z.looseObject({})).optional(),
};

/** Domain and relationship objects (SDO, SRO) and custom objects: versioned, so created and modified. */
const versioned = { id: identifier(), spec_version: z.literal('2.1'), created: timestamp, modified: timestamp, ...optionalCommon };

const named = z.looseObject({ ...versioned, name: text });

const byType: Record<string, z.ZodType> = {
  'attack-pattern': named,
  campaign: named,
  'course-of-action': named,
  identity: named,
  incident: named,
  infrastructure: named,
  'intrusion-set': named,
  'threat-actor': named,
  tool: named,
  vulnerability: named,
  location: z.looseObject(versioned),
  grouping: z.looseObject({ ...versioned, context: text, object_refs: refs().min(1) }),
  indicator: z.looseObject({ ...versioned, pattern: text, pattern_type: text, valid_from: timestamp, valid_until: timestamp.optional() }),
  malware: z.looseObject({ ...versioned, is_family: z.boolean(), name: text.optional() }).refine((m) => !m.is_family || m.name !== undefined, {
    path: ['name'],
    params: { code: 'stix_missing_property', property: 'name' },
  }),
  'malware-analysis': z.looseObject({ ...versioned, product: text }),
  note: z.looseObject({ ...versioned, content: text, object_refs: refs().min(1) }),
  'observed-data': z.looseObject({
    ...versioned,
    first_observed: timestamp,
    last_observed: timestamp,
    number_observed: z.number().int().min(1).max(999_999_999),
  }),
  opinion: z.looseObject({
    ...versioned,
    opinion: z.enum(['strongly-disagree', 'disagree', 'neutral', 'agree', 'strongly-agree']),
    object_refs: refs().min(1),
  }),
  report: z.looseObject({ ...versioned, name: text, published: timestamp, object_refs: refs().min(1) }),
  relationship: z.looseObject({ ...versioned, relationship_type: text, source_ref: identifier(), target_ref: identifier() }),
  sighting: z.looseObject({
    ...versioned,
    sighting_of_ref: identifier(),
    count: z.number().int().min(0).max(999_999_999).optional(),
    first_seen: timestamp.optional(),
    last_seen: timestamp.optional(),
    where_sighted_refs: refs().optional(),
    observed_data_refs: refs('observed-data').optional(),
  }),
  'language-content': z.looseObject({ ...versioned, object_ref: identifier(), contents: z.record(z.string(), z.unknown()) }),
  'marking-definition': z.looseObject({ id: identifier(), spec_version: z.literal('2.1'), created: timestamp, ...optionalCommon }),
  'extension-definition': z.looseObject({
    ...versioned,
    created_by_ref: identifier('identity'),
    name: text,
    schema: text,
    version: text,
    extension_types: z.array(z.enum(['new-sdo', 'new-sco', 'new-sro', 'property-extension', 'toplevel-property-extension'])).min(1),
  }),
};

/** Cyber-observable objects: no created/modified, spec_version optional. */
const scoCommon = { id: identifier(), spec_version: z.literal('2.1').optional(), ...optionalCommon };
const valued = z.looseObject({ ...scoCommon, value: text });
const scos: Record<string, z.ZodType> = {
  'ipv4-addr': valued,
  'ipv6-addr': valued,
  'domain-name': valued,
  url: valued,
  'email-addr': valued,
  'mac-addr': valued,
  mutex: z.looseObject({ ...scoCommon, name: text }),
  file: z.looseObject({ ...scoCommon, hashes: z.record(z.string(), text).optional(), name: z.string().optional() }).refine((f) => f.hashes !== undefined || f.name !== undefined, {
    path: ['hashes'],
    params: { code: 'stix_missing_property', property: 'hashes' },
  }),
};
for (const t of ['artifact', 'autonomous-system', 'directory', 'email-message', 'network-traffic', 'process', 'software', 'user-account', 'windows-registry-key', 'x509-certificate']) {
  scos[t] = z.looseObject(scoCommon);
}

/** Timestamps that must not run backwards: [earlier, later] per type. */
const orderedTimes: [string, string][] = [
  ['created', 'modified'],
  ['valid_from', 'valid_until'],
  ['first_seen', 'last_seen'],
  ['first_observed', 'last_observed'],
];

/**
 * Deeper than any real STIX object nests (custom properties included). An object that deep could not be written out
 * again: JSON.stringify recurses and runs out of stack. Counted without recursion for the same reason.
 */
const MAX_DEPTH = 100;

function deeperThan(root: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(v)) stack.push([child, depth + 1]);
  }
  return false;
}

function rejection(code: string, params: Record<string, MessageParam> = {}): { ok: false; reason: StixRejection } {
  return { ok: false, reason: { code, params } };
}

export type StixValidation = { ok: true; object: StixObject } | { ok: false; reason: StixRejection };

export function validateStixObject(input: unknown): StixValidation {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return rejection('stix_not_object');
  const o = input as Record<string, unknown>;
  if (deeperThan(o, MAX_DEPTH)) return rejection('stix_too_deep', { max: MAX_DEPTH });
  if (typeof o.type !== 'string') return rejection('stix_missing_property', { property: 'type' });
  const type = o.type;
  if (!TYPE_NAME.test(type)) return rejection('stix_invalid_type');
  if (type === 'bundle') return rejection('stix_nested_bundle');
  if (o.spec_version !== undefined && o.spec_version !== '2.1') return rejection('stix_unsupported_spec_version', { version: String(o.spec_version).slice(0, 20) });
  if (typeof o.id !== 'string') return rejection('stix_missing_property', { property: 'id' });
  if (!IDENTIFIER.test(o.id) || !o.id.startsWith(`${type}--`)) return rejection('stix_invalid_id', { type });

  // Types we do not know are custom objects: held to the rules of domain objects.
  const schema = byType[type] ?? scos[type] ?? z.looseObject(versioned);
  const result = schema.safeParse(o);
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    const property = issue.path.map(String).join('.') || 'type';
    const top = issue.path[0];
    const custom = issue.code === 'custom' ? (issue.params as { code?: string } | undefined)?.code : undefined;
    if (custom) return rejection(custom, { property });
    const missing = top !== undefined && o[String(top)] === undefined;
    return rejection(missing ? 'stix_missing_property' : 'stix_invalid_property', { property });
  }
  for (const [earlier, later] of orderedTimes) {
    const a = typeof o[earlier] === 'string' ? parseTimestamp(o[earlier]) : null;
    const b = typeof o[later] === 'string' ? parseTimestamp(o[later]) : null;
    if (a !== null && b !== null && b < a) return rejection('stix_time_order', { earlier, later });
  }
  if (type === 'indicator' && o.pattern_type === 'stix') {
    try {
      parsePattern(o.pattern as string);
    } catch (err) {
      if (err instanceof PatternError) return rejection('stix_invalid_pattern', { position: err.position });
      throw err;
    }
  }
  return { ok: true, object: o as StixObject };
}

/** The object's version for TAXII: `modified`, else `created` (null for objects with neither, such as SCOs). */
export function versionOf(o: StixObject): string | null {
  if (typeof o.modified === 'string') return o.modified;
  if (typeof o.created === 'string') return o.created;
  return null;
}
