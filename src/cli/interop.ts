/**
 * `kyogikai import FILE…` and `kyogikai export`: STIX 2.1 bundles and MISP events in and out as files, through the
 * same use cases as the API and the feeds (so the same policy decides and the same audit rows are written).
 *
 * Who acts: `--as LOGIN` names a user, and the command does exactly what that user may do. Without it, an import is
 * made by the secretariat's first administrator (the `admin` of the first start: the operator of the installation
 * imports on the secretariat's behalf), and an export is the platform's own view of the audience — what every member
 * of that audience may read, TLP:RED never included — audited as `system:cli`.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import cliProgress from 'cli-progress';
import { system, type Actor } from '../core/actor.js';
import type { Deps } from '../core/context.js';
import { DomainError } from '../core/errors.js';
import { hashLines, importMispEvent, looksLikeMisp, manifestEntry, mispEventsIn, mispFeed, mispFeedSize, type ImportSummary } from '../core/interop/misp.js';
import { exportStixBundle, importStixBundle } from '../core/interop/stix.js';
import { translate } from '../core/messages.js';
import type { Stage } from '../core/sharing/model.js';
import { actorForUser } from '../core/usecases/auth.js';
import { decodeText } from './trace-leak.js';

const cliMeta = { ip: null, userAgent: 'cli' };

/** A message in both languages, as the CLI prints everything. */
const both = (key: string, params: Record<string, string | number> = {}) => `${translate('ja', key, params)} / ${translate('en', key, params)}`;

async function userActor(deps: Deps, login: string): Promise<Actor> {
  const r = deps.store.read;
  const user = await r.users.byLogin(login);
  const actor = user && (await actorForUser(r, user, { via: 'session', readOnly: false }, deps.now()));
  if (!actor) throw new Error(`ログインID ${login} の有効な利用者はいません / no active user with login ${login}`);
  return actor;
}

/** The secretariat's first administrator (ids are time-ordered: the one created at first start). */
async function secretariatAdmin(deps: Deps): Promise<Actor> {
  const r = deps.store.read;
  const secretariat = await r.organizations.secretariat();
  const admin = secretariat && (await r.users.listByOrg(secretariat.id, { limit: 1000 })).find((u) => u.active && u.role === 'admin');
  if (!admin) throw new Error('事務局の管理者がいません。--as で利用者を指定してください / the secretariat has no administrator: name a user with --as');
  return userActor(deps, admin.login);
}

/** A progress bar on a terminal (cli-progress draws nothing when stderr is not one). */
function progressBar(total: number | null): cliProgress.SingleBar {
  const format = total === null ? '{value} {unit}' : '{bar} {value}/{total} {unit}';
  const bar = new cliProgress.SingleBar({ format, stream: process.stderr, hideCursor: true, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar.start(total ?? 0, 0, { unit: '' });
  return bar;
}

// ---------------------------------------------------------------------------------------------
// import
// ---------------------------------------------------------------------------------------------

/** What happened to one unit of a file: a STIX bundle, or one MISP event of it. */
export interface FileImportResult extends Partial<ImportSummary> {
  file: string;
  format: 'stix' | 'misp' | null;
  /** For files with several MISP events: which one (0-based). */
  event?: number;
  /** Why nothing was imported, when nothing was. */
  error?: string;
}

interface Unit {
  file: string;
  format: 'stix' | 'misp' | null;
  event?: number;
  doc?: unknown;
  error?: string;
}

const isStixBundle = (doc: unknown): boolean => (doc as { type?: unknown } | null)?.type === 'bundle';

/** Read each file and split it into what will be imported, before importing anything (for the progress total). */
async function unitsOf(files: readonly string[]): Promise<Unit[]> {
  const units: Unit[] = [];
  for (const file of files) {
    let doc: unknown;
    try {
      doc = JSON.parse(decodeText(await readFile(file)));
    } catch (err) {
      const reason = err instanceof SyntaxError ? `JSON として読めません / not valid JSON: ${err.message}` : `読めません / cannot read: ${(err as Error).message}`;
      units.push({ file, format: null, error: reason });
      continue;
    }
    if (isStixBundle(doc)) units.push({ file, format: 'stix', doc });
    else if (looksLikeMisp(doc)) {
      const events = mispEventsIn(doc);
      events.forEach((event, i) => units.push({ file, format: 'misp', doc: { Event: event }, ...(events.length > 1 ? { event: i } : {}) }));
    } else units.push({ file, format: null, error: both('import_unknown_format') });
  }
  return units;
}

async function importUnit(deps: Deps, actor: Actor, unit: Unit): Promise<FileImportResult> {
  const { doc: _doc, ...where } = unit;
  if (unit.error !== undefined) return where;
  try {
    const summary = unit.format === 'stix' ? await importStixBundle(deps, actor, unit.doc, cliMeta) : await importMispEvent(deps, actor, unit.doc, cliMeta);
    return { ...where, ...summary, ...(summary.reportId ? {} : { error: both('import_nothing_imported') }) };
  } catch (err) {
    if (err instanceof DomainError) return { ...where, error: both(err.code, err.params as Record<string, string | number>) };
    throw err;
  }
}

export function formatImport(results: readonly FileImportResult[]): string {
  const lines = ['取り込み結果 / Import summary'];
  for (const r of results) {
    const name = r.event === undefined ? r.file : `${r.file} [${r.event}]`;
    const kind = r.format === 'stix' ? 'STIX' : r.format === 'misp' ? 'MISP' : '?';
    if (r.reportId) lines.push(`  ${name} (${kind}): 情報提供 ${r.reportId} / report ${r.reportId} — 取り込み ${r.imported ?? 0} 件 / imported ${r.imported ?? 0}, 除外 ${r.rejected?.length ?? 0} 件 / rejected ${r.rejected?.length ?? 0}`);
    else lines.push(`  ${name} (${kind}): 取り込めませんでした / not imported — ${r.error ?? ''}`);
    for (const x of r.rejected ?? []) lines.push(`    #${x.index}${x.id ? ` ${x.id}` : ''}: ${x.reason}`);
  }
  const reports = results.filter((r) => r.reportId).length;
  const imported = results.reduce((n, r) => n + (r.imported ?? 0), 0);
  const rejected = results.reduce((n, r) => n + (r.rejected?.length ?? 0), 0);
  lines.push(`合計: 情報提供 ${reports} 件、取り込み ${imported} 件、除外 ${rejected} 件 / total: ${reports} report(s), ${imported} imported, ${rejected} rejected`);
  return lines.join('\n');
}

/** Import every file; exit 0 when each of them (each MISP event in them) became a report, 1 otherwise. */
export async function runImport(deps: Deps, files: readonly string[], opts: { as?: string; json?: boolean }): Promise<number> {
  const actor = opts.as ? await userActor(deps, opts.as) : await secretariatAdmin(deps);
  const units = await unitsOf(files);
  const bar = progressBar(units.length);
  const results: FileImportResult[] = [];
  try {
    for (const unit of units) {
      results.push(await importUnit(deps, actor, unit));
      bar.increment(1, { unit: unit.file });
    }
  } finally {
    bar.stop();
  }
  console.log(opts.json ? JSON.stringify({ results }, null, 2) : formatImport(results));
  return results.every((r) => r.reportId) ? 0 : 1;
}

// ---------------------------------------------------------------------------------------------
// export
// ---------------------------------------------------------------------------------------------

async function write(out: Writable, chunk: string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

async function close(out: Writable): Promise<void> {
  out.end();
  await once(out, 'finish');
}

/** A MISP feed directory (manifest.json, hashes.csv, one {uuid}.json per event): a MISP "local" feed, or static files. */
async function exportMisp(deps: Deps, actor: Actor, audience: Stage, dir: string): Promise<number> {
  const total = await mispFeedSize(deps, actor, audience);
  const events = await mispFeed(deps, actor, audience, 'export', cliMeta);
  await mkdir(dir, { recursive: true });
  const manifest = createWriteStream(join(dir, 'manifest.json'));
  const hashes = createWriteStream(join(dir, 'hashes.csv'));
  const bar = progressBar(total);
  let count = 0;
  try {
    await write(manifest, '{');
    for await (const e of events) {
      await writeFile(join(dir, `${e.Event.uuid}.json`), JSON.stringify(e));
      await write(manifest, `${count ? ',' : ''}${JSON.stringify(e.Event.uuid)}:${JSON.stringify(manifestEntry(e))}`);
      await write(hashes, hashLines(e).join(''));
      bar.increment(1, { unit: e.Event.info });
      count++;
    }
    await write(manifest, '}');
  } finally {
    bar.stop();
    await Promise.all([close(manifest), close(hashes)]);
  }
  return count;
}

/** A STIX 2.1 bundle in a file, or on standard output. */
async function exportStix(deps: Deps, actor: Actor, audience: Stage, file: string | undefined): Promise<number> {
  const objects = await exportStixBundle(deps, actor, { audience });
  const out = file ? createWriteStream(file) : process.stdout;
  const bar = progressBar(null);
  let count = 0;
  try {
    await write(out, `{"type":"bundle","id":"bundle--${randomUUID()}","objects":[`);
    for await (const o of objects) {
      await write(out, `${count ? ',\n' : '\n'}${JSON.stringify(o)}`);
      bar.increment(1, { unit: 'STIX オブジェクト / objects' });
      count++;
    }
    await write(out, '\n]}\n');
  } finally {
    bar.stop();
    if (file) await close(out);
  }
  return count;
}

export async function runExport(deps: Deps, opts: { audience: Stage; format: 'stix' | 'misp'; out?: string; as?: string }): Promise<number> {
  const actor = opts.as ? await userActor(deps, opts.as) : system('cli');
  if (opts.format === 'misp') {
    const dir = opts.out ?? `misp-feed-${opts.audience}`;
    const n = await exportMisp(deps, actor, opts.audience, dir);
    console.log(`MISP フィードを ${dir} に書き出しました（イベント ${n} 件） / wrote the MISP feed to ${dir} (${n} event(s))`);
  } else {
    const n = await exportStix(deps, actor, opts.audience, opts.out);
    if (opts.out) console.log(`STIX バンドルを ${opts.out} に書き出しました（オブジェクト ${n} 件） / wrote the STIX bundle to ${opts.out} (${n} object(s))`);
  }
  return 0;
}
