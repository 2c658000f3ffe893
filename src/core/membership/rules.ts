/**
 * Membership rules every path shares: the task-force rule for foreign-capital organisations, and which
 * rulebooks a user must have accepted.
 */
import { Conflict } from '../errors.js';
import type { MemberClass, Organization, SpecialApproval } from '../model.js';
import type { Repos } from '../ports.js';
import type { RulebookKind } from './model.js';
import type { RulebookHead } from './ports.js';

/**
 * The task-force rule (24条タスクフォース): a foreign-capital organisation (外資系法人等) may be in Type 1 or Type 2
 * only with the steering committee's special approval. Every path that sets a class, the foreign-capital flag or the
 * special approval calls this: approval of an application, a class change, a change notification, the secretariat's
 * direct update, creation, and revoking a special approval.
 */
export function assertTaskForceRule(org: {
  foreignCapital: boolean;
  memberClass: MemberClass;
  specialApproval: SpecialApproval | null;
}): void {
  const taskForce = org.memberClass === 'type1' || org.memberClass === 'type2';
  if (org.foreignCapital && taskForce && !org.specialApproval) throw new Conflict('special_approval_required');
}

/** Task-force rules bind the task force (Type 1, Type 2, the designated corporation); the rest binds everyone. */
export function rulebookApplies(kind: RulebookKind, org: Pick<Organization, 'memberClass' | 'designated'>): boolean {
  if (kind !== 'taskforce_rules') return true;
  return org.memberClass === 'type1' || org.memberClass === 'type2' || org.designated;
}

/** The version of each kind in effect at `at` that applies to the organisation. */
export async function currentRulebooksFor(
  r: Repos,
  org: Pick<Organization, 'memberClass' | 'designated'>,
  at: string,
): Promise<RulebookHead[]> {
  const seen = new Set<RulebookKind>();
  const current: RulebookHead[] = [];
  // Newest effective first within each kind: the first of each kind is the one in force.
  for (const book of await r.rulebooks.effective(at)) {
    if (seen.has(book.kind)) continue;
    seen.add(book.kind);
    if (rulebookApplies(book.kind, org)) current.push(book);
  }
  return current;
}

/** Has the user accepted every rulebook in force that applies to them? True when there is none yet. */
export async function rulesAccepted(
  r: Repos,
  userId: string,
  org: Pick<Organization, 'memberClass' | 'designated'>,
  at: string,
): Promise<boolean> {
  const current = await currentRulebooksFor(r, org, at);
  if (!current.length) return true;
  const accepted = await r.rulebooks.acceptances(
    userId,
    current.map((b) => b.id),
  );
  return accepted.length === current.length;
}
