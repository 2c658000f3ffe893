/** First start: an empty database gets the secretariat organisation and its administrator `admin`. */
import { system } from '../actor.js';
import { audit, iso, newId, type Deps } from '../context.js';
import { generatePassword, hashPassword } from '../crypto.js';
import { membershipDefaults } from '../membership/model.js';

export const ADMIN_LOGIN = 'admin';

export interface BootstrapResult {
  created: boolean;
  /** Set when the password was generated (no KYOGIKAI_ADMIN_PASSWORD): print it once. */
  generatedPassword?: string;
}

export async function bootstrap(deps: Deps, adminPassword: string | undefined): Promise<BootstrapResult> {
  if ((await deps.store.read.users.count()) > 0) return { created: false };
  const password = adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  const actor = system('bootstrap');
  const created = await deps.store.tx(async (r) => {
    // Checked again inside the transaction: another process may have bootstrapped meanwhile.
    if ((await r.users.count()) > 0) return false;
    const now = iso(deps.now());
    const orgId = newId();
    await r.organizations.insert({
      id: orgId,
      nameJa: '事務局',
      nameEn: 'Secretariat',
      category: 'national_agency',
      sector: null,
      foreignCapital: false,
      memberClass: 'none',
      designated: false,
      isSecretariat: true,
      active: true,
      createdAt: now,
      updatedAt: now,
      ...membershipDefaults(),
    });
    const userId = newId();
    await r.users.insert({
      id: userId,
      orgId,
      login: ADMIN_LOGIN,
      displayName: '事務局管理者',
      email: 'admin@localhost',
      role: 'admin',
      locale: 'ja',
      totpEnabled: false,
      active: true,
      lastLoginAt: null,
      createdAt: now,
      passwordHash,
      totpSecret: null,
      totpPendingSecret: null,
      totpLastStep: null,
      isCommittee: false,
    });
    await audit(r, deps, actor, { ip: null }, 'system.bootstrap', { type: 'user', id: userId }, { orgId });
    return true;
  });
  if (!created) return { created: false };
  return adminPassword ? { created: true } : { created: true, generatedPassword: password };
}
