/**
 * Observable look-up: pasted values (one per line, defanged or not) → each value's type and normalised form, and the
 * visible reports and countermeasure information holding it, with when it was first and last recorded.
 */
import type { Actor } from '../actor.js';
import type { Deps } from '../context.js';
import { Invalid } from '../errors.js';
import { readFilter } from '../policy.js';
import { detectObservable } from '../sharing/observables.js';
import type { Observable } from '../sharing/model.js';
import type { LookupAnswer, LookupInput, LookupResult } from './model.js';

/** Lines per look-up: a day's worth of indicators from one feed, answered in one query. */
export const LOOKUP_MAX_VALUES = 1000;
/** Holders listed per value (the total counts them all). */
export const LOOKUP_HOLDERS = 50;

const keyOf = (o: Observable): string => `${o.type}\u0000${o.value}`;

export async function lookupObservables(deps: Deps, actor: Actor, input: LookupInput): Promise<LookupAnswer> {
  const lines = [...new Set(input.values.split(/\r?\n/).map((l) => l.trim()).filter(Boolean))];
  if (lines.length > LOOKUP_MAX_VALUES) throw new Invalid('lookup_too_many', { max: LOOKUP_MAX_VALUES });
  const detected = lines.map((line) => ({ line, observable: detectObservable(line) }));
  const values = new Map<string, Observable>();
  for (const { observable } of detected) if (observable) values.set(keyOf(observable), observable);

  const rows = values.size
    ? await deps.store.read.search.holders({
        values: [...values.values()],
        filter: readFilter(actor),
        userId: actor.kind === 'user' ? actor.userId : undefined,
        perValue: LOOKUP_HOLDERS,
      })
    : [];
  const byValue = new Map<string, typeof rows>();
  for (const row of rows) byValue.set(keyOf(row), [...(byValue.get(keyOf(row)) ?? []), row]);

  return {
    results: detected.map(({ line, observable }): LookupResult => {
      const held = observable ? (byValue.get(keyOf(observable)) ?? []) : [];
      return {
        input: line,
        type: observable?.type ?? null,
        value: observable?.value ?? null,
        total: held[0]?.total ?? 0,
        firstSeen: held[0]?.firstSeen ?? null,
        lastSeen: held[0]?.lastSeen ?? null,
        items: held.map((h) => ({
          kind: h.kind,
          id: h.id,
          title: h.title,
          stage: h.stage,
          tlp: h.tlp,
          seenAt: h.seenAt,
          path: h.kind === 'report' ? `/reports/${h.id}` : `/advisories/${h.id}`,
        })),
      };
    }),
  };
}
