/**
 * The home page after sign-in: what needs the user's attention first — answers the organisation owes (feedback and
 * information requests, soonest deadline first), items new to the user since the previous sign-in, and
 * consultations waiting (for the Type 1 group: from non-members; for members: questions asked of them). Each part
 * is what the user may see; a part the user has no access to is simply empty.
 */
import type { Actor, UserActor } from '../actor.js';
import { iso, type Deps } from '../context.js';
import { NotFound } from '../errors.js';
import { can } from '../policy.js';
import type { Repos } from '../ports.js';
import { listQuestions } from '../sharing/consultations.js';
import { DAY, deadlinesOf, userAllowed, visibleTo } from './common.js';
import type { Home } from './model.js';

/** Without a previous sign-in, "new" means this recent. */
const RECENT_DAYS = 7;
/** …and never older than this, however long ago the previous visit was. */
const OLDEST_DAYS = 30;
/** Overdue answers stay on the list this long (a late answer is still taken). */
const OVERDUE_DAYS = 7;
const LIST = 10;

const excerpt = (s: string): string => (s.length > 80 ? `${s.slice(0, 79)}…` : s);

/** When the user last signed in before the current session (from the audit log's sign-in rows). */
async function previousSignIn(r: Repos, me: UserActor): Promise<string | undefined> {
  const session = me.sessionHash ? await r.sessions.byHash(me.sessionHash) : undefined;
  const [last] = await r.audit.list({ action: 'auth.login', actorUserId: me.userId, ...(session ? { to: session.createdAt } : {}), limit: 1 });
  return last?.at;
}

async function consultations(deps: Deps, me: UserActor): Promise<Home['consultations']> {
  // The Type 1 group answers consultations from non-members…
  if (can(me, 'consultation.read')) {
    const waiting = await deps.store.read.insight.waitingConsultations(LIST);
    return { total: waiting.total, items: waiting.items.map((c) => ({ kind: 'consultation', id: c.id, title: excerpt(c.body), at: c.at })) };
  }
  // …members the questions the Type 1 group asked them (with the consulter's consent), until they have answered.
  if (!can(me, 'consultation.question')) return { total: 0, items: [] };
  const open = (await listQuestions(deps, me, { limit: 100 })).items.filter((q) => q.status === 'open' && q.myAnswers.length === 0);
  return { total: open.length, items: open.slice(0, LIST).map((q) => ({ kind: 'question', id: q.id, title: excerpt(q.summary), at: q.widenedAt })) };
}

export async function home(deps: Deps, actor: Actor): Promise<Home> {
  const me = userAllowed(actor, 'insight.home');
  const r = deps.store.read;
  const org = await r.organizations.byId(me.orgId);
  if (!org) throw new NotFound('not_found');
  const now = deps.now().getTime();
  const previous = await previousSignIn(r, me);
  const oldest = iso(new Date(now - OLDEST_DAYS * DAY));
  const since = previous ? (previous > oldest ? previous : oldest) : iso(new Date(now - RECENT_DAYS * DAY));

  const [due, fresh, waiting] = await Promise.all([
    deadlinesOf(deps, me, org, { deadlineFrom: iso(new Date(now - OVERDUE_DAYS * DAY)), unansweredOnly: true }),
    r.insight.newItems({ ...visibleTo(me), excludeOrgId: me.orgId, since, limit: LIST }),
    consultations(deps, me),
  ]);
  const items = [
    ...fresh.advisories.items.map((x) => ({ kind: 'advisory' as const, ...x })),
    ...fresh.reports.items.map((x) => ({ kind: 'report' as const, ...x })),
  ]
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, LIST);
  return {
    since,
    sinceLastVisit: previous !== undefined,
    due,
    newItems: { total: fresh.advisories.total + fresh.reports.total, items },
    consultations: waiting,
  };
}
