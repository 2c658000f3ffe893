/**
 * The people an event may reach, as actors built the way a sign-in builds them (`userActor`), page by page: a
 * release to every member reaches thousands, so the facts an actor needs (organisation, rulebooks accepted) are
 * loaded for a whole page at once.
 */
import type { UserActor } from '../actor.js';
import { iso } from '../context.js';
import { currentRulebooksFor } from '../membership/rules.js';
import type { RulebookHead } from '../membership/ports.js';
import type { Organization } from '../model.js';
import type { Repos, UserRecord } from '../ports.js';
import { userActor } from '../usecases/auth.js';
import type { Audience } from './audience.js';

const PAGE = 500;

export interface Candidate {
  user: UserRecord;
  actor: UserActor;
}

/** Actors for users with their organisations; `rulesAccepted` as `rulesAccepted` in membership/rules.ts decides it. */
export async function actorsFor(r: Repos, rows: readonly { user: UserRecord; org: Organization }[], now: Date): Promise<Candidate[]> {
  const at = iso(now);
  // Which rulebooks apply depends on the class only: ask once per kind of organisation.
  const byKind = new Map<string, Promise<RulebookHead[]>>();
  const books = (org: Organization) => {
    const kind = `${org.memberClass}:${org.designated}`;
    let p = byKind.get(kind);
    if (!p) byKind.set(kind, (p = currentRulebooksFor(r, org, at)));
    return p;
  };
  const required = await Promise.all(rows.map(({ org }) => books(org)));
  const ids = [...new Set(required.flat().map((b) => b.id))];
  const accepted = new Set(
    (await r.notifications.recipients.acceptances(
      rows.map((x) => x.user.id),
      ids,
    )).map((a) => `${a.userId} ${a.rulebookId}`),
  );
  return rows.map(({ user, org }, i) => ({
    user,
    actor: userActor(
      user,
      org,
      (required[i] ?? []).every((b) => accepted.has(`${user.id} ${b.id}`)),
      { via: 'session', readOnly: false },
    ),
  }));
}

/** Every active user the audience could reach (its explicit users or organisations, or everyone), a page at a time. */
export async function* candidatePages(r: Repos, audience: Pick<Audience, 'userIds' | 'orgIds'>, now: Date): AsyncIterable<Candidate[]> {
  let after: string | undefined;
  for (;;) {
    const rows = await r.notifications.recipients.candidates({
      ...(audience.userIds ? { userIds: audience.userIds } : {}),
      ...(audience.orgIds ? { orgIds: audience.orgIds } : {}),
      ...(after ? { after } : {}),
      limit: PAGE,
    });
    if (rows.length) yield await actorsFor(r, rows, now);
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) return;
    after = last.user.id;
  }
}
