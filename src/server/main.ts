/** Start the server: open and migrate the database, create the first administrator, listen. */
import type { Deps } from '../core/context.js';
import { bootstrap } from '../core/usecases/bootstrap.js';
import { configFromEnv, type ServerConfig } from '../config.js';
import { openDeps } from '../deps.js';
import { buildApp } from './app.js';

/** Planner statistics follow the data as it grows (see `Store.optimize`). */
const OPTIMIZE_EVERY_MS = 60 * 60 * 1000;

export interface RunningServer {
  url: string;
  deps: Deps;
  close(): Promise<void>;
}

/** `overrides` let tests start a server without touching process.env. */
export async function startServer(overrides: Partial<ServerConfig> = {}): Promise<RunningServer> {
  const config = { ...configFromEnv(), ...overrides };
  const deps = await openDeps(config);
  const store = deps.store;
  const app = await buildApp({ deps, config });

  const boot = await bootstrap(deps, config.adminPassword);
  if (boot.generatedPassword) {
    // Printed once, on the console only (never logged): the operator must keep it.
    process.stdout.write(
      `\n初期管理者 admin を作成しました。パスワード / Created administrator "admin" with password:\n  ${boot.generatedPassword}\n\n`,
    );
  }

  const address = await app.listen({ port: config.port, host: config.host });
  // Mail, webhook and reminder jobs: every process takes its share (closing the app stops it).
  app.notifications.startWorker();
  const optimizer = setInterval(() => void store.optimize().catch((err: unknown) => app.log.warn({ err }, 'optimize failed')), OPTIMIZE_EVERY_MS);
  optimizer.unref();
  const url = address.replace('0.0.0.0', 'localhost').replace('[::]', 'localhost');
  return {
    url,
    deps,
    async close() {
      clearInterval(optimizer);
      await app.close();
      await store.close();
    },
  };
}
