/**
 * Real processes for tests of the `kyogikai` command and of several servers side by side.
 * They run the built code (bin/kyogikai.js → dist/), which `npm test` builds first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { bootstrap } from '../core/usecases/bootstrap.js';
import { openStore, type Dialect } from '../store/index.js';
import { council, type Council } from './council.js';
import { TestClock, testDeps } from './stores.js';

export const BIN = fileURLToPath(new URL('../../bin/kyogikai.js', import.meta.url));

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, LOG_LEVEL: 'silent', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface ServerProcess {
  url: string;
  pid: number;
  output: () => string;
  stop(): Promise<void>;
}

/** Start `kyogikai serve` on a free port and wait until it says where it listens. */
export function startServerProcess(env: NodeJS.ProcessEnv): Promise<ServerProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'serve'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start:\n${out}`));
    }, 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m?.[1]) {
        clearTimeout(timer);
        resolve({
          url: m[1],
          pid: child.pid as number,
          output: () => out,
          stop: () =>
            new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${out}`));
    });
  });
}

/** A fresh PostgreSQL database (not just a schema) for processes that connect by URL alone. */
export async function createPgDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kyogikai_p_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 7)}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A database processes reach by URL alone: a SQLite file, or a fresh PostgreSQL database. */
export async function processDatabase(dialect: Dialect): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'postgres') return createPgDatabase(process.env.TEST_DATABASE_URL as string);
  const dir = mkdtempSync(join(tmpdir(), 'kyogikai-proc-'));
  return { url: join(dir, 'kyogikai.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
}

/** The token council on a database that server processes will use; they run on the real clock, so does its data. */
export async function councilAt(url: string, adminPassword: string): Promise<{ c: Council; deps: ReturnType<typeof testDeps> }> {
  const store = await openStore({ url });
  const deps = testDeps(store, new TestClock(Date.now()));
  await bootstrap(deps, adminPassword);
  return { c: await council(deps), deps };
}

/** A JSON API call to a server process with a bearer token; anything but 2xx throws with the answer. */
export async function callProcess(server: ServerProcess, token: string, method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** Write countermeasure information and release it stage by stage, through the HTTP API of `server`. */
export async function releaseThrough(server: ServerProcess, token: string, stages: string[], tlp = 'green'): Promise<string> {
  const a = await callProcess(server, token, 'POST', '/api/v1/advisories', { title: 'プロセス間の通知', summary: '要約', threat: '脅威', actions: '対策', tlp });
  const id = a.id as string;
  for (const to of stages) await callProcess(server, token, 'POST', `/api/v1/advisories/${id}/releases`, { to });
  return id;
}
