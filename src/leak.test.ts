/**
 * No leak through any channel (issue 9): fast-check builds random councils (src/test/leak/council.ts) and asks every
 * channel (src/test/leak/channels.ts) as every principal — each user's tokens and sessions, read-only and revoked
 * ones, and nobody at all — including what the notification worker delivered: the inbox, the live stream, each
 * user's mail and each organisation's webhook calls. Whatever an answer reveals must be allowed by the policy, and
 * whatever the policy allows a channel to show must be there (src/test/leak/oracle.ts asks src/core/policy.ts,
 * nothing else).
 *
 * One council per fast-check run, many questions each. A failure prints the seed and the shrunk council; replay it
 * with LEAK_SEED=<seed> LEAK_PATH=<path>. LEAK_RUNS sets the number of councils per database (default 8 on SQLite, 4 on PostgreSQL).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channels, type Observation } from './test/leak/channels.js';
import { buildCouncil, councilSpec, refKey, type Council, type Principal, type Ref } from './test/leak/council.js';
import { allowed, allowedToOrganization } from './test/leak/oracle.js';
import { dialects } from './test/stores.js';

/** Councils per run: PostgreSQL answers more slowly, and both databases see more than 1,000 decisions anyway. */
const runs = (dialect: string): number => Number(process.env.LEAK_RUNS ?? (dialect === 'postgres' ? 4 : 8));
const replay = process.env.LEAK_SEED ? { seed: Number(process.env.LEAK_SEED), ...(process.env.LEAK_PATH ? { path: process.env.LEAK_PATH } : {}) } : {};

/** What a reader of a failure needs to know about the item behind a ref. */
function describeRef(ref: Ref, c: Council): string {
  const org = (id: string) => c.orgs.find((o) => o.id === id)?.nameEn ?? id;
  const item = [...c.reports, ...c.advisories].find((x) => x.id === ref.id);
  const facts = item ? ` [stage ${item.stage}, TLP:${item.tlp}, by ${org(item.orgId)}${item.recipients.length ? `, for ${item.recipients.join(' ')}` : ''}]` : '';
  return `${ref.kind} ${ref.id}${facts}`;
}

/** Check one observation; returns the disagreements, and counts every decision taken. */
function disagreements(channel: string, principal: Principal, obs: Observation, c: Council, count: () => void): string[] {
  const problems = (obs.problems ?? []).map((p) => `${channel} to ${principal.label}: ${p}`);
  for (const status of obs.statuses) {
    if (status >= 500 || (principal.actor === 'refused' && status !== 401)) problems.push(`${channel} answered ${status} to ${principal.label}`);
  }
  const seen = new Set(obs.seen.map(refKey));
  const decisions = new Map([...obs.covered, ...obs.seen].map((r) => [refKey(r), r]));
  const org = obs.asOrganization;
  const may = (ref: Ref) => (org ? allowedToOrganization(principal, org, ref, c) : allowed(principal, ref, c));
  const to = org ? `the webhook of ${c.orgs.find((o) => o.id === org)?.nameEn ?? org}, registered by ${principal.label}` : principal.label;
  for (const [key, ref] of decisions) {
    count();
    if (seen.has(key) && !may(ref)) problems.push(`LEAK: ${channel} showed ${describeRef(ref, c)} to ${to}`);
    const due = may(ref) && (!ref.given || may(ref.given));
    if (!seen.has(key) && due) problems.push(`WITHHELD: ${channel} did not show ${describeRef(ref, c)} to ${to}`);
  }
  return problems;
}

describe.each(dialects)('no leak through any channel on %s', (dialect) => {
  it('every answer to every principal agrees with the access policy', { timeout: 900_000 }, async () => {
    let cases = 0;
    let councils = 0;
    await fc.assert(
      fc.asyncProperty(councilSpec, async (spec) => {
        const world = await buildCouncil(dialect, spec);
        const problems: string[] = [];
        try {
          councils++;
          for (const principal of world.council.principals) {
            for (const channel of channels) {
              for (const obs of await channel.ask(world, principal)) {
                problems.push(...disagreements(channel.name, principal, obs, world.council, () => cases++));
              }
            }
          }
        } finally {
          await world.close();
        }
        if (problems.length) throw new Error(`${problems.length} disagreements with the policy:\n${problems.slice(0, 12).join('\n')}`);
      }),
      // A failure reports its seed at once; LEAK_SHRINK=1 shrinks it (minutes) to the smallest council that fails.
      { numRuns: runs(dialect), endOnFailure: !process.env.LEAK_SHRINK, ...replay },
    );
    console.log(`leak test on ${dialect}: ${councils} councils, ${cases} answers checked against the policy`);
    expect(cases).toBeGreaterThanOrEqual(1000);
  });
});
