import type { Actor } from '../actor.js';
import { decodeCursor, toPage, type Deps } from '../context.js';
import type { AuditEntry, AuditQuery, Page } from '../model.js';
import { authorize } from '../policy.js';

/** The secretariat browses the audit log, newest first, filtered by action, actor, target and time. */
export async function listAudit(deps: Deps, actor: Actor, q: AuditQuery): Promise<Page<AuditEntry>> {
  authorize(actor, 'audit.read');
  const before = decodeCursor(q.cursor);
  const rows = await deps.store.read.audit.list({
    ...(q.action ? { action: q.action } : {}),
    ...(q.actorUserId ? { actorUserId: q.actorUserId } : {}),
    ...(q.actorOrgId ? { actorOrgId: q.actorOrgId } : {}),
    ...(q.targetId ? { targetId: q.targetId } : {}),
    ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
    ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
    ...(before && Number.isSafeInteger(Number(before)) ? { beforeSeq: Number(before) } : {}),
    limit: q.limit + 1,
  });
  return toPage(rows, q.limit, (e) => e.seq);
}
