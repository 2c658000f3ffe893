import { mkdir, readFile, writeFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStore } from '../core/files.js';

const SAFE_ID = /^[0-9a-f-]{36}$/;

/** Files in one directory, named by their UUID; written to a temporary name first, then renamed. */
export function directoryFileStore(dir: string): FileStore {
  const path = (id: string) => {
    // Ids come from our own UUIDs; anything else would be a path-traversal attempt.
    if (!SAFE_ID.test(id)) throw new Error('invalid file id');
    return join(dir, id);
  };
  return {
    async put(id, bytes) {
      await mkdir(dir, { recursive: true });
      const target = path(id);
      await writeFile(`${target}.part`, bytes, { mode: 0o600 });
      await rename(`${target}.part`, target);
    },
    async get(id) {
      try {
        return await readFile(path(id));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw err;
      }
    },
  };
}
