/** Full-text search and observable look-up: what the API takes and answers. */
import { z } from 'zod';
import { Sector } from '../model.js';
import { ObservableType, Stage, Tlp } from '../sharing/model.js';

/** What a hit is: `advisory` is countermeasure information (対策情報), its id as in /api/v1/advisories. */
export const searchKinds = ['advisory', 'report', 'comment', 'consultation', 'rulebook'] as const;
export const SearchKind = z.enum(searchKinds);
export type SearchKind = z.infer<typeof SearchKind>;

export const SearchQuery = z.object({
  /** Words separated by spaces (all must appear, anywhere in the text); "quoted words" as one phrase. */
  q: z.string().trim().min(1).max(200),
  kind: SearchKind.optional(),
  stage: Stage.optional(),
  tlp: Tlp.optional(),
  /** Calendar days in Japan time, inclusive. */
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  /** Countermeasure information for this sector. */
  sector: Sector.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type SearchQuery = z.infer<typeof SearchQuery>;

export const SearchItem = z.object({
  id: z.string(),
  kind: SearchKind,
  title: z.string(),
  /**
   * An excerpt around the first hit: HTML-escaped text in which only the hits are wrapped in <mark>…</mark>.
   * Safe to insert as HTML; or split on the two tags and unescape &amp; &lt; &gt; &quot; &#39; to get text.
   */
  snippet: z.string(),
  /** The item's stage and TLP (a comment: its report's; a consultation: the stage it was widened to, if any). */
  stage: Stage.nullable(),
  tlp: Tlp.nullable(),
  createdAt: z.string(),
  /** Where the web UI shows the item. */
  path: z.string(),
});
export type SearchItem = z.infer<typeof SearchItem>;

export const SearchPage = z.object({
  items: z.array(SearchItem),
  next: z.string().nullable(),
  /** On the first page: visible hits per kind for the query and filters other than `kind`. */
  counts: z.record(SearchKind, z.number().int()).optional(),
});
export type SearchPage = z.infer<typeof SearchPage>;

/** One value per line; defanged forms (hxxp://, [.], [:], [@]) are accepted. */
export const LookupInput = z.object({ values: z.string().min(1).max(200_000) });
export type LookupInput = z.infer<typeof LookupInput>;

export const LookupHolder = z.object({
  kind: z.enum(['report', 'advisory']),
  id: z.string(),
  title: z.string(),
  stage: Stage,
  tlp: Tlp,
  /** When the item recorded the value (its latest revision, for countermeasure information). */
  seenAt: z.string(),
  path: z.string(),
});

export const LookupResult = z.object({
  /** The line as pasted. */
  input: z.string(),
  /** Its type and normalised form; null when no observable type fits. */
  type: ObservableType.nullable(),
  value: z.string().nullable(),
  /** Visible items holding it, with the earliest and latest time one of them recorded it. */
  total: z.number().int(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  /** The newest holders, at most LOOKUP_HOLDERS of them. */
  items: z.array(LookupHolder),
});
export type LookupResult = z.infer<typeof LookupResult>;

export const LookupAnswer = z.object({ results: z.array(LookupResult) });
export type LookupAnswer = z.infer<typeof LookupAnswer>;
