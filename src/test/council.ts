/**
 * A small council for tests: organisations of each class with one user each (API token; TOTP set on the user when
 * the test needs a second factor), usable by core tests (`actor()`) and HTTP tests (`client(app)`).
 */
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import type { Deps } from '../core/context.js';
import type { Organization, UserRole } from '../core/model.js';
import { newTotpSecret } from '../core/totp.js';
import type { App } from '../server/routes/types.js';
import { insertOrg, insertUser, type OrgOptions, type TestUser } from './membership.js';

export interface Person extends TestUser {
  org: Organization;
}

export interface PersonOptions {
  role?: UserRole;
  /** Give the user a TOTP secret (task-force information needs a second factor). */
  totp?: boolean;
  isCommittee?: boolean;
  locale?: 'ja' | 'en';
}

/** A user of an existing organisation. */
export async function personIn(deps: Deps, org: Organization, o: PersonOptions = {}): Promise<Person> {
  const user = await insertUser(deps, org.id, { role: o.role ?? 'analyst', isCommittee: o.isCommittee ?? false });
  if (o.totp || o.locale) {
    await deps.store.tx((r) =>
      r.users.update(user.userId, { ...(o.totp ? { totpSecret: newTotpSecret() } : {}), ...(o.locale ? { locale: o.locale } : {}) }),
    );
  }
  return { ...user, org };
}

/** A new organisation with one user. */
export async function person(deps: Deps, org: OrgOptions = {}, o: PersonOptions = {}): Promise<Person> {
  return personIn(deps, await insertOrg(deps, org), o);
}

/** A user of the secretariat organisation (which `bootstrap` created). */
export async function secretariatPerson(deps: Deps, o: PersonOptions = {}): Promise<Person> {
  const org = await deps.store.read.organizations.secretariat();
  if (!org) throw new Error('bootstrap first');
  return personIn(deps, org, o);
}

export interface Council {
  secretariat: Person;
  /** Type 1 member with TOTP (an analyst of the Type 1 group). */
  type1: Person;
  /** The designated corporation (政令指定法人), with TOTP. */
  designated: Person;
  type2: Person;
  general: Person;
  general2: Person;
  /** A steering-committee member (in a general member organisation). */
  committee: Person;
}

export async function council(deps: Deps): Promise<Council> {
  return {
    secretariat: await secretariatPerson(deps, { role: 'analyst', totp: true }),
    type1: await person(deps, { memberClass: 'type1', nameJa: '第一類株式会社', nameEn: 'Type One Inc.' }, { totp: true }),
    designated: await person(deps, { memberClass: 'type1', designated: true, nameJa: '指定法人', nameEn: 'Designated Corp.' }, { totp: true }),
    type2: await person(deps, { memberClass: 'type2', nameJa: '第二類電力', nameEn: 'Type Two Power', category: 'critical_infrastructure' }, { totp: true }),
    general: await person(deps, { memberClass: 'general', nameJa: '一般市役所', nameEn: 'General City', category: 'local_government' }),
    general2: await person(deps, { memberClass: 'general', nameJa: '一般大学', nameEn: 'General University', category: 'university' }),
    committee: await person(deps, { memberClass: 'general', nameJa: '委員会所属組織', nameEn: 'Committee Org' }, { isCommittee: true }),
  };
}

export interface TokenClient {
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

/** Requests as this person, with their API token (no cookie, so no CSRF token needed). */
export function client(app: App, p: { token: string }): TokenClient {
  return {
    request: (opts) => app.inject({ ...opts, headers: { authorization: `Bearer ${p.token}`, ...(opts.headers ?? {}) } }),
  };
}
