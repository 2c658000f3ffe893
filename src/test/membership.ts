/**
 * Fixtures for membership tests: organisations and users written straight to the store (no password hashing), and
 * actors resolved the way the server resolves them (through an API token and `actorForUser`), so the rules gate,
 * suspension and committee facts are the real ones.
 */
import type { UserActor } from '../core/actor.js';
import { newId, type Deps } from '../core/context.js';
import { randomToken, sha256 } from '../core/crypto.js';
import { ApplicationCreate, membershipDefaults } from '../core/membership/model.js';
import type { MemberClass, Organization, UserRole } from '../core/model.js';
import { authenticateToken } from '../core/usecases/auth.js';

export interface OrgOptions {
  memberClass?: MemberClass;
  designated?: boolean;
  foreignCapital?: boolean;
  specialApproval?: boolean;
  isSecretariat?: boolean;
  rosterConsent?: boolean;
  nameJa?: string;
  nameEn?: string;
  category?: Organization['category'];
}

export async function insertOrg(deps: Deps, o: OrgOptions = {}): Promise<Organization> {
  const now = deps.now().toISOString();
  const id = newId();
  const org: Organization = {
    id,
    nameJa: o.nameJa ?? `組織${id.slice(-6)}`,
    nameEn: o.nameEn ?? `Org ${id.slice(-6)}`,
    category: o.category ?? 'cyber_business',
    sector: o.category === 'critical_infrastructure' ? 'electricity' : null,
    foreignCapital: o.foreignCapital ?? false,
    memberClass: o.memberClass ?? 'general',
    designated: o.designated ?? false,
    isSecretariat: o.isSecretariat ?? false,
    active: true,
    createdAt: now,
    updatedAt: now,
    ...membershipDefaults(),
    rosterConsent: o.rosterConsent ?? true,
    specialApproval: o.specialApproval ? { at: now, reason: '長年の信頼関係' } : null,
    foreignCapitalShare: o.foreignCapital ? 60 : null,
  };
  await deps.store.tx((r) => r.organizations.insert(org));
  return org;
}

export interface TestUser {
  userId: string;
  login: string;
  /** A full API token of the user. */
  token: string;
  /** The actor as the server would build it now. */
  actor(): Promise<UserActor>;
}

export async function insertUser(
  deps: Deps,
  orgId: string,
  opts: { role?: UserRole; isCommittee?: boolean; login?: string; locale?: 'ja' | 'en' } = {},
): Promise<TestUser> {
  const id = newId();
  const login = opts.login ?? `u${id.slice(-10)}`;
  const token = `kyg_${randomToken()}`;
  const now = deps.now();
  await deps.store.tx(async (r) => {
    await r.users.insert({
      id,
      orgId,
      login,
      displayName: login,
      email: `${login}@example.org`,
      role: opts.role ?? 'admin',
      locale: opts.locale ?? 'ja',
      totpEnabled: false,
      active: true,
      lastLoginAt: null,
      createdAt: now.toISOString(),
      passwordHash: '!unset',
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: null,
      isCommittee: opts.isCommittee ?? false,
    });
    await r.tokens.insert({
      id: newId(),
      userId: id,
      name: 'test',
      tokenHash: sha256(token),
      prefix: token.slice(0, 10),
      readOnly: false,
      expiresAt: new Date(now.getTime() + 10 * 365 * 86_400_000).toISOString(),
      createdAt: now.toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    });
  });
  return {
    userId: id,
    login,
    token,
    async actor() {
      const a = await authenticateToken(deps, token);
      if (!a) throw new Error(`no actor for ${login}`);
      return a;
    },
  };
}

let seq = 0;
/** A complete, valid application (override what a test is about). */
export function applicationInput(over: Record<string, unknown> = {}): ApplicationCreate {
  seq++;
  return ApplicationCreate.parse({
    nameJa: `株式会社テスト${seq}号`,
    nameEn: `Test ${seq} Co., Ltd.`,
    category: 'cyber_business',
    foreignCapital: false,
    requestedClass: 'general',
    contacts: [{ name: '山田 太郎', department: '情報セキュリティ部', email: `taro@test${seq}.example.jp`, phone: '03-1234-5678' }],
    reason: '脅威情報の共有に参加するため。',
    rosterConsent: true,
    ...over,
  });
}
