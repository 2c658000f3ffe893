/** Personal API tokens for scripts and TAXII clients: shown once, stored as a SHA-256 hash. */
import type { Actor, UserActor } from '../actor.js';
import { audit, iso, newId, type Deps, type RequestMeta } from '../context.js';
import { randomToken, sha256 } from '../crypto.js';
import { NotFound } from '../errors.js';
import type { ApiToken, ApiTokenCreate } from '../model.js';
import { authorize } from '../policy.js';
import type { ApiTokenRecord } from '../ports.js';

export const TOKEN_PREFIX = 'kyg_';

const publicToken = ({ tokenHash: _hash, userId: _user, ...t }: ApiTokenRecord): ApiToken => t;

export async function createToken(
  deps: Deps,
  actor: Actor,
  input: ApiTokenCreate,
  meta: RequestMeta,
): Promise<{ token: string; apiToken: ApiToken }> {
  const userId = actor.kind === 'user' ? actor.userId : undefined;
  authorize(actor, 'token.manage', { userId });
  const secret = TOKEN_PREFIX + randomToken();
  const now = deps.now();
  const record: ApiTokenRecord = {
    id: newId(),
    userId: (actor as UserActor).userId,
    name: input.name,
    tokenHash: sha256(secret),
    prefix: secret.slice(0, TOKEN_PREFIX.length + 6),
    readOnly: input.readOnly,
    expiresAt: iso(new Date(now.getTime() + input.expiresInDays * 86_400_000)),
    createdAt: iso(now),
    lastUsedAt: null,
    revokedAt: null,
  };
  await deps.store.tx(async (r) => {
    await r.tokens.insert(record);
    await audit(r, deps, actor, meta, 'token.create', { type: 'api_token', id: record.id }, {
      name: record.name,
      readOnly: record.readOnly,
      expiresAt: record.expiresAt,
    });
  });
  return { token: secret, apiToken: publicToken(record) };
}

export async function listTokens(deps: Deps, actor: Actor): Promise<ApiToken[]> {
  const userId = actor.kind === 'user' ? actor.userId : undefined;
  authorize(actor, 'token.manage', { userId });
  return (await deps.store.read.tokens.listByUser(userId as string)).map(publicToken);
}

export async function revokeToken(deps: Deps, actor: Actor, tokenId: string, meta: RequestMeta): Promise<void> {
  await deps.store.tx(async (r) => {
    const token = await r.tokens.byId(tokenId);
    authorize(actor, 'token.manage', { userId: token?.userId }, { hide: true });
    if (!token) throw new NotFound('not_found');
    if (token.revokedAt) return;
    await r.tokens.update(tokenId, { revokedAt: iso(deps.now()) });
    await audit(r, deps, actor, meta, 'token.revoke', { type: 'api_token', id: tokenId });
  });
}
