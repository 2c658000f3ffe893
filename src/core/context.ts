import { v7 as uuidv7 } from 'uuid';
import { actorLabel, type Actor } from './actor.js';
import { Invalid } from './errors.js';
import type { FileStore } from './files.js';
import type { Repos, Store } from './ports.js';

export interface CoreConfig {
  /** A session ends after this long without use. */
  sessionIdleMinutes: number;
  /** …and after this long in any case. */
  sessionMaxHours: number;
  /** Issuer shown in authenticator apps. */
  totpIssuer: string;
  /** Largest attachment accepted, in bytes. */
  maxAttachmentBytes: number;
}

export const defaultCoreConfig: CoreConfig = {
  sessionIdleMinutes: 8 * 60,
  sessionMaxHours: 7 * 24,
  totpIssuer: 'kyogikai',
  maxAttachmentBytes: 10 * 1024 * 1024,
};

/** What every use case is given: storage, the clock (replaceable in tests) and settings. */
export interface Deps {
  store: Store;
  now: () => Date;
  config: CoreConfig;
  /** Attachment bytes (outside the database and the web root). */
  files: FileStore;
}

/** Where a request came from, for the audit log. */
export interface RequestMeta {
  ip: string | null;
  userAgent?: string | null;
}

export const newId = (): string => uuidv7();

export const iso = (d: Date): string => d.toISOString();

/** Write one audit row for `actor` inside the current transaction. */
export async function audit(
  repos: Repos,
  deps: Deps,
  actor: Actor,
  meta: RequestMeta,
  action: string,
  target: { type: string; id: string } | null,
  detail: Record<string, unknown> = {},
): Promise<void> {
  await repos.audit.append({
    at: iso(deps.now()),
    actorUserId: actor.kind === 'user' ? actor.userId : null,
    actorOrgId: actor.kind === 'user' ? actor.orgId : null,
    actorLabel: actorLabel(actor),
    action,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    detail,
    ip: meta.ip,
  });
}

/** Keyset cursors are opaque to clients: base64url of the last key. */
export const encodeCursor = (key: string | number): string => Buffer.from(String(key)).toString('base64url');
/** A cursor we did not issue (it does not round-trip, or hides a U+0000 the database would choke on) is a 400. */
export function decodeCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const key = Buffer.from(cursor, 'base64url').toString('utf8');
  if (encodeCursor(key) !== cursor || key.includes('\u0000')) throw new Invalid('invalid_input');
  return key;
}

/** Fetch one more than the page size to know whether there is a next page. */
export function toPage<T>(rows: T[], limit: number, key: (row: T) => string | number): { items: T[]; next: string | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, next: rows.length > limit && last !== undefined ? encodeCursor(key(last)) : null };
}
