/**
 * A crowd of Type 2 organisations, each with users who hold TOTP and an API token: the audience of a release to
 * Type 2. Written straight to the store in one transaction (the use cases would audit 10,000 token creations).
 */
import { newId } from '../../src/core/context.js';
import { randomToken, sha256 } from '../../src/core/crypto.js';
import { membershipDefaults } from '../../src/core/membership/model.js';
import type { Organization } from '../../src/core/model.js';
import { newTotpSecret } from '../../src/core/totp.js';
import { TOKEN_PREFIX } from '../../src/core/usecases/tokens.js';
import type { BenchCouncil } from './council.js';

export async function insertCrowd(council: BenchCouncil, orgCount: number, usersPerOrg: number): Promise<string[]> {
  const now = council.deps.now();
  const at = now.toISOString();
  const expires = new Date(now.getTime() + 7 * 86_400_000).toISOString();
  const tokens: string[] = [];
  await council.deps.store.tx(async (r) => {
    for (let o = 0; o < orgCount; o++) {
      const org: Organization = {
        id: newId(),
        nameJa: `重要インフラ事業者 ${o}`,
        nameEn: `Operator ${o}`,
        category: 'critical_infrastructure',
        sector: 'electricity',
        foreignCapital: false,
        memberClass: 'type2',
        designated: false,
        isSecretariat: false,
        active: true,
        createdAt: at,
        updatedAt: at,
        ...membershipDefaults(),
        foreignCapitalShare: null,
        rosterConsent: true,
      };
      await r.organizations.insert(org);
      for (let u = 0; u < usersPerOrg; u++) {
        const userId = newId();
        const login = `op${o}.u${u}`;
        await r.users.insert({
          id: userId,
          orgId: org.id,
          login,
          displayName: `担当 ${o}-${u}`,
          email: `${login}@op${o}.example.jp`,
          role: 'analyst',
          locale: 'ja',
          totpEnabled: true,
          active: true,
          lastLoginAt: null,
          createdAt: at,
          passwordHash: 'unused',
          totpSecret: newTotpSecret(),
          totpPendingSecret: null,
          totpLastStep: null,
          isCommittee: false,
        });
        const token = TOKEN_PREFIX + randomToken();
        await r.tokens.insert({
          id: newId(),
          userId,
          name: 'bench',
          tokenHash: sha256(token),
          prefix: token.slice(0, TOKEN_PREFIX.length + 6),
          readOnly: true,
          expiresAt: expires,
          createdAt: at,
          lastUsedAt: null,
          revokedAt: null,
        });
        tokens.push(token);
      }
    }
  });
  return tokens;
}
