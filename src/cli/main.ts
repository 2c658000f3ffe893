/** The `kyogikai` command. Each subcommand opens the database named by DATABASE_URL (or --database). */
import { Command, InvalidArgumentError } from 'commander';
import { system } from '../core/actor.js';
import { verifyAuditChain } from '../core/audit-chain.js';
import { defaultCoreConfig, type Deps } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import { translate } from '../core/messages.js';
import { Login, Password } from '../core/model.js';
import { createUser, resetPassword } from '../core/usecases/users.js';
import { configFromEnv } from '../config.js';
import { connect, migrate, openStore } from '../store/index.js';
import { startServer } from '../server/main.js';

const cliMeta = { ip: null, userAgent: 'cli' };

function databaseUrl(opts: { database?: string }): string {
  return opts.database ?? configFromEnv().databaseUrl;
}

async function withDeps<T>(opts: { database?: string }, fn: (deps: Deps) => Promise<T>): Promise<T> {
  const store = await openStore({ url: databaseUrl(opts) });
  try {
    return await fn({ store, now: () => new Date(), config: defaultCoreConfig });
  } finally {
    await store.close();
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
