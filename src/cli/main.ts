/** The `kyogikai` command. Each subcommand opens the database named by DATABASE_URL (or --database). */
import { Command, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { system } from '../core/actor.js';
import { verifyAuditChain } from '../core/audit-chain.js';
import type { Deps } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import { translate } from '../core/messages.js';
import { Login, Password } from '../core/model.js';
import { createUser, resetPassword } from '../core/usecases/users.js';
import { configFromEnv } from '../config.js';
import { connect, migrate } from '../store/index.js';
import { openDeps } from '../deps.js';
import { startServer } from '../server/main.js';
import { runDemo } from './demo.js';
import { DEFAULT_POW_BITS } from '../core/sharing/consultations.js';
import { traceLeak } from './trace-leak.js';
import { runExport, runImport } from './interop.js';
import { FeedAudience } from '../core/interop/misp.js';
import { backupDatabase, restoreDatabase } from './backup.js';

const cliMeta = { ip: null, userAgent: 'cli' };

function databaseUrl(opts: { database?: string }): string {
  return opts.database ?? configFromEnv().databaseUrl;
}

async function withDeps<T>(opts: { database?: string }, fn: (deps: Deps) => Promise<T>): Promise<T> {
  const deps = await openDeps({ ...configFromEnv(), databaseUrl: databaseUrl(opts) });
  try {
    return await fn(deps);
  } finally {
    await deps.store.close();
  }
}

function parseWith<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, what: string) {
  return (value: string): T => {
    const r = schema.safeParse(value);
    if (!r.success) throw new InvalidArgumentError(`${what} is not valid`);
    return r.data;
  };
}

export function buildCli(): Command {
  const program = new Command('kyogikai')
    .description('kyogikai — サイバーセキュリティ協議会の情報共有基盤 / tiered threat-information sharing platform')
    .showHelpAfterError();
  const dbOption = ['-d, --database <url>', 'database: SQLite file path or postgres:// URL (default: $DATABASE_URL or ./data/kyogikai.db)'] as const;

  program
    .command('serve')
    .description('start the web server and API (honours PORT, HOST, DATABASE_URL, KYOGIKAI_ADMIN_PASSWORD)')
    .action(async () => {
      const server = await startServer();
      const stop = () => {
        void server.close().then(() => process.exit(0));
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });

  program
    .command('migrate')
    .description('bring the database schema up to date')
    .option(...dbOption)
    .action(async (opts: { database?: string }) => {
      const conn = connect({ url: databaseUrl(opts) });
      try {
        const applied = await migrate(conn);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
      } finally {
        await conn.db.destroy();
      }
    });

  const admin = program.command('admin').description('manage administrator accounts');
  admin
    .command('create')
    .description('create a secretariat administrator')
    .argument('<login>', 'login ID', parseWith(Login, 'login'))
    .requiredOption('--email <email>', 'e-mail address')
    .option('--name <name>', 'display name')
    .option('--password <password>', 'password (at least 12 characters; generated when omitted)', parseWith(Password, 'password'))
    .option(...dbOption)
    .action(async (login: string, opts: { email: string; name?: string; password?: string; database?: string }) => {
      await withDeps(opts, async (deps) => {
        const secretariat = await deps.store.read.organizations.secretariat();
        if (!secretariat) throw new Error('no secretariat organisation: run `kyogikai serve` once first');
        const created = await createUser(
          deps,
          system('cli'),
          secretariat.id,
          { login, email: opts.email, displayName: opts.name ?? login, role: 'admin', locale: 'ja', password: opts.password },
          cliMeta,
        );
        console.log(`created ${created.user.login}${created.initialPassword ? `; password: ${created.initialPassword}` : ''}`);
      });
    });
  admin
    .command('reset-password')
    .description("set a new password for a user (all the user's sessions end)")
    .argument('<login>', 'login ID')
    .option('--password <password>', 'new password (generated when omitted)', parseWith(Password, 'password'))
    .option(...dbOption)
    .action(async (login: string, opts: { password?: string; database?: string }) => {
      await withDeps(opts, async (deps) => {
        const user = await deps.store.read.users.byLogin(login);
        if (!user) throw new Error(`no user with login ${login}`);
        const password = await resetPassword(deps, system('cli'), user.id, cliMeta, opts.password);
        console.log(opts.password ? `password of ${user.login} changed` : `new password of ${user.login}: ${password}`);
      });
    });

  program
    .command('verify-audit')
    .description('check the hash chain of the audit log; exit 1 naming the first bad row')
    .option(...dbOption)
    .action(async (opts: { database?: string }) => {
      const result = await withDeps(opts, (deps) => verifyAuditChain(deps.store));
      if (result.ok) {
        console.log(`audit log intact: ${result.rows} rows / 監査ログは改ざんされていません（${result.rows}件）`);
      } else {
        console.error(
          `audit log broken at row ${result.badSeq} (${result.reason}) / 監査ログの${result.badSeq}行目で改ざんを検出しました（${result.reason}）`,
        );
        process.exitCode = 1;
      }
    });

  program
    .command('backup')
    .description('copy the SQLite database to FILE while the server runs (consistent online copy); PostgreSQL: prints the pg_dump command')
    .argument('<file>', 'where to write the copy')
    .option('--force', 'overwrite FILE if it exists')
    .option(...dbOption)
    .action(async (file: string, opts: { database?: string; force?: boolean }) => {
      process.exitCode = await backupDatabase(databaseUrl(opts), file, opts);
    });

  program
    .command('restore')
    .description('bring back a backup made by `kyogikai backup` (refused while a server uses the database unless --force); PostgreSQL: prints the pg_restore command')
    .argument('<file>', 'the backup')
    .option('--force', 'restore into a database a running server has open (it serves the restored data at once)')
    .option(...dbOption)
    .action(async (file: string, opts: { database?: string; force?: boolean }) => {
      process.exitCode = await restoreDatabase(databaseUrl(opts), file, opts);
    });

  program
    .command('trace-leak')
    .description('name the receiving organisation of every confidentiality mark in a leaked text (secretariat); exit 1 when none')
    .argument('<file>', 'the text: an exported document or any part of it (- reads standard input)')
    .option('--json', 'print the findings as JSON')
    .option(...dbOption)
    .action(async (file: string, opts: { database?: string; json?: boolean }) => {
      process.exitCode = await withDeps(opts, (deps) => traceLeak(deps, file, opts));
    });

  program
    .command('import')
    .description('import STIX 2.1 bundles and MISP events (JSON files) as reports to the Type 1 group; prints what was imported and what was rejected, exit 1 unless every file became a report')
    .argument('<files...>', 'JSON files: a STIX bundle, or MISP events as MISP exports them')
    .option('--as <login>', 'the user who imports (default: the secretariat administrator)')
    .option('--json', 'print the summary as JSON')
    .option(...dbOption)
    .action(async (files: string[], opts: { database?: string; as?: string; json?: boolean }) => {
      process.exitCode = await withDeps(opts, (deps) => runImport(deps, files, opts));
    });

  program
    .command('export')
    .description('export what an audience may read: a STIX 2.1 bundle, or a MISP feed directory (manifest.json, hashes.csv, one event per item); never TLP:RED')
    .requiredOption('--audience <audience>', 'type1 | type2 | members | public', parseWith(FeedAudience, 'audience'))
    .requiredOption('--format <format>', 'stix | misp', parseWith(z.enum(['stix', 'misp']), 'format'))
    .option('--out <path>', 'STIX: the file (default: standard output); MISP: the directory (default: misp-feed-<audience>)')
    .option('--as <login>', "export what this user may read (default: the audience's own view)")
    .option(...dbOption)
    .action(async (opts: { database?: string; audience: FeedAudience; format: 'stix' | 'misp'; out?: string; as?: string }) => {
      process.exitCode = await withDeps(opts, (deps) => runExport(deps, opts));
    });

  program
    .command('demo')
    .description('load a demo council into an empty database: periods 1–5, ~270 members, applications, roster, rulebooks, reports, countermeasure information, feedback, a large-scale attack campaign, consultations')
    .option('--out <file>', 'write the demo accounts (login, password, TOTP secret, API token) as JSON')
    .option(...dbOption)
    .action(async (opts: { database?: string; out?: string }) => {
      const config = configFromEnv();
      await withDeps(opts, (deps) =>
        runDemo(deps, {
          ...(opts.out ? { out: opts.out } : {}),
          adminPassword: config.adminPassword,
          powBits: config.consultationPowBits ?? DEFAULT_POW_BITS,
        }),
      );
    });

  return program;
}

export async function main(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (err) {
    if (err instanceof DomainError) {
      console.error(`${translate('ja', err.code, err.params)} / ${translate('en', err.code, err.params)}`);
      process.exit(1);
    }
    throw err;
  }
}
