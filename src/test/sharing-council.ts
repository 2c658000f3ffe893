/**
 * A council for HTTP tests of information sharing: one organisation of every kind the access policy tells apart,
 * each with a user (task-force users with TOTP set up), signed in on first use through the real sign-in route
 * (password and TOTP code, session cookie and CSRF token) — the way people use the web UI.
 * (src/test/council.ts is the lighter fixture with API tokens.)
 *
 * Organisations and users are written straight to the store: that also allows the one state the use cases refuse
 * (a foreign-capital Type 2 member without the committee's special approval), so tests can check that the policy
 * keeps it out of the task force all the same.
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { newId } from '../core/context.js';
import argon2 from 'argon2';
import { membershipDefaults } from '../core/membership/model.js';
import type { Category, MemberClass, Organization, Sector, UserRole } from '../core/model.js';
import { currentTotp, newTotpSecret } from '../core/totp.js';
import type { Deps } from '../core/context.js';
import type { Client, TestApp } from './http.js';

export const MEMBER_PASSWORD = 'council member password 2026';

/**
 * Argon2 is slow on purpose; tests sign in dozens of times. The shared password is hashed once per process with
 * the cheapest parameters: the server verifies with the parameters stored in the hash, so sign-in stays real.
 */
let hashed: Promise<string> | undefined;
const passwordHash = () =>
  (hashed ??= argon2.hash(MEMBER_PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 }));

export const orgKeys = [
  'secretariat',
  'designated',
  'type1',
  'type1b',
  'type2',
  'type2b',
  'foreignType2',
  'general',
  'general2',
  'none',
] as const;
export type OrgKey = (typeof orgKeys)[number];

export const userKeys = [...orgKeys, 'type1NoTotp', 'type2Viewer'] as const;
export type UserKey = (typeof userKeys)[number];

interface OrgSpec {
  nameJa: string;
  nameEn: string;
  category: Category;
  sector?: Sector;
  memberClass: MemberClass;
  designated?: boolean;
  foreignCapital?: boolean;
  /** E-mail domain of its users. */
  domain: string;
}

export const orgSpecs: Record<Exclude<OrgKey, 'secretariat'>, OrgSpec> = {
  designated: {
    nameJa: '一般社団法人テスト調整センター',
    nameEn: 'Test Coordination Center',
    category: 'cyber_business',
    memberClass: 'type1',
    designated: true,
    domain: 'tcc.example.jp',
  },
  type1: { nameJa: '株式会社サイバー防衛研究所', nameEn: 'Cyber Defence Lab Inc.', category: 'cyber_business', memberClass: 'type1', domain: 'cdl.example.jp' },
  type1b: { nameJa: '株式会社セキュアネット', nameEn: 'SecureNet Corp.', category: 'cyber_business', memberClass: 'type1', domain: 'securenet.example.jp' },
  type2: {
    nameJa: '東日本電力株式会社',
    nameEn: 'East Japan Electric Power Co.',
    category: 'critical_infrastructure',
    sector: 'electricity',
    memberClass: 'type2',
    domain: 'ejep.example.jp',
  },
  type2b: {
    nameJa: 'みなと銀行株式会社',
    nameEn: 'Minato Bank Ltd.',
    category: 'critical_infrastructure',
    sector: 'finance',
    memberClass: 'type2',
    domain: 'minato-bank.example.jp',
  },
  // Foreign capital, Type 2, no special approval: the use cases refuse this state; the policy must cope anyway.
  foreignType2: {
    nameJa: 'グローバルクラウド合同会社',
    nameEn: 'Global Cloud LLC',
    category: 'cyber_business',
    memberClass: 'type2',
    foreignCapital: true,
    domain: 'globalcloud.example.com',
  },
  general: { nameJa: '桜市', nameEn: 'Sakura City', category: 'local_government', memberClass: 'general', domain: 'city.sakura.example.jp' },
  general2: { nameJa: '国立情報大学', nameEn: 'National Informatics University', category: 'university', memberClass: 'general', domain: 'niu.example.ac.jp' },
  none: {
    nameJa: '情報セキュリティ事業者協会',
    nameEn: 'Association of Security Businesses',
    category: 'business_association',
    memberClass: 'none',
    domain: 'asb.example.or.jp',
  },
};

interface UserSpec {
  org: OrgKey;
  login: string;
  displayName: string;
  role: UserRole;
  totp: boolean;
}

const userSpecs: Record<UserKey, UserSpec> = {
  secretariat: { org: 'secretariat', login: 'sec.analyst', displayName: '事務局 分析担当', role: 'analyst', totp: true },
  designated: { org: 'designated', login: 'tcc.analyst', displayName: '調整 花子', role: 'analyst', totp: true },
  type1: { org: 'type1', login: 'cdl.analyst', displayName: '防衛 一郎', role: 'analyst', totp: true },
  type1b: { org: 'type1b', login: 'sn.analyst', displayName: '安全 二郎', role: 'analyst', totp: true },
  type1NoTotp: { org: 'type1', login: 'cdl.nototp', displayName: '防衛 三郎', role: 'analyst', totp: false },
  type2: { org: 'type2', login: 'ejep.csirt', displayName: '電力 四郎', role: 'analyst', totp: true },
  type2Viewer: { org: 'type2', login: 'ejep.viewer', displayName: '電力 閲覧', role: 'viewer', totp: true },
  type2b: { org: 'type2b', login: 'minato.csirt', displayName: '銀行 五郎', role: 'analyst', totp: true },
  foreignType2: { org: 'foreignType2', login: 'gc.csirt', displayName: 'Alex Morgan', role: 'analyst', totp: true },
  general: { org: 'general', login: 'sakura.joho', displayName: '桜 六郎', role: 'analyst', totp: false },
  general2: { org: 'general2', login: 'niu.cert', displayName: '大学 七子', role: 'analyst', totp: false },
  none: { org: 'none', login: 'asb.staff', displayName: '協会 八郎', role: 'analyst', totp: false },
};

export interface CouncilUser {
  key: UserKey;
  id: string;
  orgId: string;
  login: string;
  displayName: string;
  totpSecret: string | null;
}

export interface SignedInCouncil {
  t: TestApp;
  orgs: Record<OrgKey, Organization>;
  users: Record<UserKey, CouncilUser>;
  /** The user's signed-in client, signing in on first use. */
  as(key: UserKey): Promise<Client>;
  /** Sign in again (after the test clock moved past the session's life, or to get a fresh session). */
  signInAgain(key: UserKey): Promise<Client>;
  /** Forget every session: the next `as` signs in again. */
  forgetSessions(): void;
  /** A request without credentials. */
  anonymous(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

const STEP_MS = 30_000;

/**
 * Write the council's organisations and users straight to the store (after bootstrap). The benchmarks seed their
 * data the same way.
 */
export async function seedCouncil(deps: Deps): Promise<{ orgs: Record<OrgKey, Organization>; users: Record<UserKey, CouncilUser> }> {
  const now = deps.now().toISOString();
  const hash = await passwordHash();
  const secretariat = await deps.store.read.organizations.secretariat();
  if (!secretariat) throw new Error('no secretariat: bootstrap first');
  const orgs = { secretariat } as Record<OrgKey, Organization>;
  const users = {} as Record<UserKey, CouncilUser>;
  await deps.store.tx(async (r) => {
    for (const [key, spec] of Object.entries(orgSpecs) as [Exclude<OrgKey, 'secretariat'>, OrgSpec][]) {
      const org: Organization = {
        id: newId(),
        nameJa: spec.nameJa,
        nameEn: spec.nameEn,
        category: spec.category,
        sector: spec.sector ?? null,
        foreignCapital: spec.foreignCapital ?? false,
        memberClass: spec.memberClass,
        designated: spec.designated ?? false,
        isSecretariat: false,
        active: true,
        createdAt: now,
        updatedAt: now,
        ...membershipDefaults(),
        foreignCapitalShare: spec.foreignCapital ? 100 : null,
        rosterConsent: true,
      };
      await r.organizations.insert(org);
      orgs[key] = org;
    }
    for (const [key, spec] of Object.entries(userSpecs) as [UserKey, UserSpec][]) {
      const org = orgs[spec.org];
      const domain = spec.org === 'secretariat' ? 'secretariat.example.go.jp' : orgSpecs[spec.org].domain;
      const totpSecret = spec.totp ? newTotpSecret() : null;
      const id = newId();
      await r.users.insert({
        id,
        orgId: org.id,
        login: spec.login,
        displayName: spec.displayName,
        email: `${spec.login}@${domain}`,
        role: spec.role,
        locale: 'ja',
        totpEnabled: totpSecret !== null,
        active: true,
        lastLoginAt: null,
        createdAt: now,
        passwordHash: hash,
        totpSecret,
        totpPendingSecret: null,
        totpLastStep: null,
        isCommittee: false,
      });
      users[key] = { key, id, orgId: org.id, login: spec.login, displayName: spec.displayName, totpSecret };
    }
  });
  return { orgs, users };
}

export async function createSignedInCouncil(t: TestApp): Promise<SignedInCouncil> {
  const { orgs, users } = await seedCouncil(t.deps);

  const clients = new Map<UserKey, Client>();
  /** The last TOTP step each user signed in with: the server refuses a step twice. */
  const lastStep = new Map<UserKey, number>();

  async function signInAgain(key: UserKey): Promise<Client> {
    const user = users[key];
    let code: string | undefined;
    if (user.totpSecret) {
      const step = () => Math.floor(t.deps.clock.now().getTime() / STEP_MS);
      const last = lastStep.get(key);
      if (last !== undefined && step() <= last) t.deps.clock.advance((last - step() + 1) * STEP_MS);
      lastStep.set(key, step());
      code = currentTotp(user.totpSecret, t.deps.clock.now());
    }
    const client = await t.signIn(user.login, MEMBER_PASSWORD, code);
    clients.set(key, client);
    return client;
  }

  return {
    t,
    orgs,
    users,
    async as(key) {
      return clients.get(key) ?? signInAgain(key);
    },
    signInAgain,
    forgetSessions: () => clients.clear(),
    anonymous: (opts) => t.app.inject(opts),
  };
}
