/**
 * `kyogikai backup FILE` and `kyogikai restore FILE` for the embedded SQLite database.
 *
 * Backup copies a running database with SQLite's online backup API in a single step: one read transaction, so the
 * copy is a consistent snapshot while the server goes on writing (WAL readers do not block writers). Restore writes
 * a backup back through the same API, so even a forced restore into a database a server has open is one atomic
 * write the server sees at its next transaction. Both check the copy (integrity and the audit hash chain) before
 * they report success. PostgreSQL has its own tools: for it both commands print the pg_dump / pg_restore command.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import SQLite from 'better-sqlite3';
import { verifyAuditChain } from '../core/audit-chain.js';
import { connect, isPostgresUrl, storeFrom } from '../store/index.js';

/** Exit codes: done; refused or failed (with a message on stderr). */
const OK = 0;
const REFUSED = 1;

/** The PostgreSQL commands, with the URL left to the environment so a password is never echoed. */
export const pgDumpCommand = (file: string): string => `pg_dump --format=custom --no-owner --file=${quote(file)} "$DATABASE_URL"`;
export const pgRestoreCommand = (file: string): string =>
  `pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" ${quote(file)}`;

const quote = (s: string): string => (/^[\w./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** Copy every page in one backup step (see above): better-sqlite3 would otherwise copy 100 pages per step. */
const ALL_PAGES = 0x7fffffff;

async function copySqlite(from: string, to: string): Promise<void> {
  // Not read-only: a read-only connection cannot always open a live WAL database's shared-memory index.
  const source = new SQLite(from, { fileMustExist: true });
  try {
    await source.backup(to, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
}

/** Integrity and the audit chain of a database file: the number of audit rows, or why it is not a good copy. */
async function checkCopy(path: string): Promise<{ ok: true; rows: number } | { ok: false; reason: string }> {
  const raw = new SQLite(path, { fileMustExist: true });
  try {
    const integrity = raw.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') return { ok: false, reason: `integrity check: ${String(integrity)}` };
    const table = raw.prepare(`select 1 from sqlite_master where type = 'table' and name = 'audit_head'`).get();
    if (!table) return { ok: false, reason: 'not a kyogikai database / kyogikai のデータベースではありません' };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  } finally {
    raw.close();
  }
  const store = storeFrom(connect({ url: path }));
  try {
    const chain = await verifyAuditChain(store);
    return chain.ok ? { ok: true, rows: chain.rows } : { ok: false, reason: `audit log broken at row ${chain.badSeq} (${chain.reason})` };
  } finally {
    await store.close();
  }
}

/**
 * Is another connection open on this database (a running server)? Every connection to a WAL database holds a shared
 * lock for as long as it is open, even idle, so an exclusive lock is refused while a server has the file open; a
 * crashed server holds nothing.
 */
export function databaseInUse(path: string): boolean {
  const db = new SQLite(path, { fileMustExist: true, timeout: 500 });
  try {
    db.pragma('locking_mode = EXCLUSIVE');
    db.exec('BEGIN EXCLUSIVE');
    db.exec('COMMIT');
    return false;
  } catch (err) {
    if ((err as { code?: string }).code === 'SQLITE_BUSY') return true;
    throw err;
  } finally {
    db.close();
  }
}

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

const attachmentsNote =
  'Attachments are files in ATTACHMENTS_DIR, not in the database: copy that directory too. / 添付ファイルは ATTACHMENTS_DIR にあります。このディレクトリも併せて複製してください。';

export async function backupDatabase(url: string, file: string, opts: { force?: boolean }): Promise<number> {
  if (isPostgresUrl(url)) {
    console.error(`PostgreSQL: use its own tool / PostgreSQL は pg_dump でバックアップしてください:\n  ${pgDumpCommand(file)}`);
    return REFUSED;
  }
  if (!existsSync(url)) {
    console.error(`no database at ${url} / データベースがありません: ${url}`);
    return REFUSED;
  }
  if (existsSync(file) && !opts.force) {
    console.error(`${file} exists: choose another name or add --force / ${file} は既にあります（上書きは --force）`);
    return REFUSED;
  }
  // Written beside the target and renamed when checked: a half-written or bad copy never carries the final name.
  const part = `${file}.part`;
  rmSync(part, { force: true });
  try {
    await copySqlite(url, part);
    const check = await checkCopy(part);
    if (!check.ok) {
      console.error(`the copy is not usable: ${check.reason} / バックアップを検証できませんでした`);
      return REFUSED;
    }
    renameSync(part, file);
    console.log(`backup written: ${file} (audit log intact: ${check.rows} rows) / バックアップを作成しました（監査ログ ${check.rows}件・改ざんなし）`);
    console.log(attachmentsNote);
    return OK;
  } finally {
    rmSync(part, { force: true });
  }
}

export async function restoreDatabase(url: string, file: string, opts: { force?: boolean }): Promise<number> {
  if (isPostgresUrl(url)) {
    console.error(`PostgreSQL: use its own tool / PostgreSQL は pg_restore で復元してください:\n  ${pgRestoreCommand(file)}`);
    return REFUSED;
  }
  if (!existsSync(file)) {
    console.error(`no backup at ${file} / バックアップがありません: ${file}`);
    return REFUSED;
  }
  // The backup is checked on a private copy, so the file itself is never touched (opening it would write to it).
  const work = mkdtempSync(join(tmpdir(), 'kyogikai-restore-'));
  try {
    const checked = join(work, 'backup.db');
    copyFileSync(file, checked);
    const check = await checkCopy(checked);
    if (!check.ok) {
      console.error(`${file} cannot be restored: ${check.reason} / このバックアップは復元できません`);
      return REFUSED;
    }
    if (existsSync(url)) {
      if (databaseInUse(url) && !opts.force) {
        console.error(
          `${url} is in use (a running kyogikai server?): stop it first, or add --force to restore into the running database / ` +
            `${url} は使用中です（サーバーが稼働中？）。停止してから実行するか、稼働中のデータベースに復元するには --force を付けてください`,
        );
        return REFUSED;
      }
      // Whatever the restore replaces is kept, so a restore of the wrong file can be undone.
      const previous = `${url}.before-restore-${stamp()}`;
      await copySqlite(url, previous);
      console.log(`previous database kept as ${previous} / 復元前のデータベースを保存しました: ${previous}`);
    } else {
      mkdirSync(dirname(url), { recursive: true });
    }
    await copySqlite(checked, url);
    console.log(`restored ${file} into ${url} (audit log intact: ${check.rows} rows) / 復元しました（監査ログ ${check.rows}件・改ざんなし）`);
    console.log(attachmentsNote);
    return OK;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
