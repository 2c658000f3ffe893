/**
 * `kyogikai demo [--out FILE]`: load the demo council into the database (see src/core/membership/demo.ts). Refuses a
 * database that already has member organisations or recruitment periods; creates the secretariat and its `admin`
 * first when the database is new (password from KYOGIKAI_ADMIN_PASSWORD, or generated and printed once).
 */
import { writeFileSync } from 'node:fs';
import type { Deps } from '../core/context.js';
import { loadMembershipDemo, type DemoResult } from '../core/membership/demo.js';
import { loadSharingDemo } from '../core/sharing/demo.js';
import { bootstrap } from '../core/usecases/bootstrap.js';

export interface DemoOptions {
  out?: string;
  adminPassword?: string | undefined;
  /** The proof-of-work difficulty the server asks of consultations (the demo's consultations do the same work). */
  powBits: number;
}

export async function runDemo(deps: Deps, opts: DemoOptions, print: (line: string) => void = console.log): Promise<DemoResult> {
  const started = Date.now();
  const boot = await bootstrap(deps, opts.adminPassword);
  if (boot.generatedPassword) {
    print(`初期管理者 admin を作成しました。パスワード / Created administrator "admin" with password:\n  ${boot.generatedPassword}`);
  }
  const result = await loadMembershipDemo(deps);
  const sharing = await loadSharingDemo(deps, result.organizations, { powBits: opts.powBits });
  if (opts.out) {
    writeFileSync(opts.out, `${JSON.stringify({ organizations: result.organizations }, null, 2)}\n`, { mode: 0o600 });
  }
  print(`デモの協議会を読み込みました / Demo council loaded (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  print(`構成員数 / members: ${result.growth.map((g) => `第${g.period}期 ${g.members}`).join(' → ')}`);
  print(`デモ用アカウント / demo accounts: ${result.organizations.length}${opts.out ? ` → ${opts.out}` : ' (use --out FILE to save logins, passwords, TOTP secrets and tokens)'}`);
  print(`情報提供 ${sharing.reports} 件・対策情報 ${sharing.advisories} 件・大規模サイバー攻撃時の情報提供依頼・相談 / reports, countermeasure items, an information request, consultations`);
  for (const c of sharing.consultationLinks) print(`相談（${c.status}）: /consultations/private/${c.token}`);
  for (const a of result.openApplications) {
    print(`第5期の申込み（${a.status}）${a.nameJa}: /applications/status/${a.accessToken}`);
  }
  return result;
}
