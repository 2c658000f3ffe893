/**
 * The audit log is a hash chain: each row's hash covers its content and the previous row's hash,
 * so changing or removing any row breaks every hash after it.
 */
import { createHash } from 'node:crypto';
import type { AuditInput, Store, StoredAuditRow } from './ports.js';

export const GENESIS_HASH = '0'.repeat(64);

/** Hash one row. The field order is fixed; JSON gives an unambiguous encoding of each value. */
export function auditRowHash(seq: number, prevHash: string, e: AuditInput): string {
  const canonical = JSON.stringify([
    seq,
    prevHash,
    e.at,
    e.actorUserId,
    e.actorOrgId,
    e.actorLabel,
    e.action,
    e.targetType,
    e.targetId,
    sortKeys(e.detail),
    e.ip,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  }
  return value;
}

export type AuditVerification =
  | { ok: true; rows: number }
  | { ok: false; rows: number; badSeq: number; reason: 'hash_mismatch' | 'broken_link' | 'missing_row' | 'head_mismatch' };

/** Walk the whole chain and report the first row that does not verify. */
export async function verifyAuditChain(store: Store): Promise<AuditVerification> {
  let prev: StoredAuditRow | undefined;
  let rows = 0;
  for await (const row of store.auditRows()) {
    rows++;
    const expectedSeq = (prev?.seq ?? 0) + 1;
    if (row.seq !== expectedSeq) return { ok: false, rows, badSeq: expectedSeq, reason: 'missing_row' };
    if (row.prevHash !== (prev?.hash ?? GENESIS_HASH)) return { ok: false, rows, badSeq: row.seq, reason: 'broken_link' };
    if (auditRowHash(row.seq, row.prevHash, row) !== row.hash) {
      return { ok: false, rows, badSeq: row.seq, reason: 'hash_mismatch' };
    }
    prev = row;
  }
  // The head records the last row written, so removing rows from the end is detected too.
  const head = await store.auditHead();
  if (head.seq !== (prev?.seq ?? 0) || head.hash !== (prev?.hash ?? GENESIS_HASH)) {
    return { ok: false, rows, badSeq: (prev?.seq ?? 0) + 1, reason: 'head_mismatch' };
  }
  return { ok: true, rows };
}
