/** Wire the core's dependencies from the configuration: the one place where store, files and settings meet. */
import { defaultCoreConfig, type Deps } from './core/context.js';
import type { Store } from './core/ports.js';
import { directoryFileStore } from './store/files.js';
import { openStore } from './store/index.js';
import type { ServerConfig } from './config.js';

export type DepsConfig = Pick<ServerConfig, 'databaseUrl' | 'attachmentsDir' | 'sessionIdleMinutes' | 'sessionMaxHours' | 'maxAttachmentBytes'>;

export function depsFor(store: Store, config: Omit<DepsConfig, 'databaseUrl'>, now: () => Date = () => new Date()): Deps {
  return {
    store,
    now,
    files: directoryFileStore(config.attachmentsDir),
    config: {
      ...defaultCoreConfig,
      sessionIdleMinutes: config.sessionIdleMinutes,
      sessionMaxHours: config.sessionMaxHours,
      maxAttachmentBytes: config.maxAttachmentBytes,
    },
  };
}

/** Open (and migrate) the database named in the configuration and wire everything to it. */
export async function openDeps(config: DepsConfig): Promise<Deps> {
  return depsFor(await openStore({ url: config.databaseUrl }), config);
}
