/**
 * The proof of work of the public consultation form (src/core/sharing/consultations.ts): find a nonce such that
 * sha256(challenge + nonce) — the two strings simply concatenated, UTF-8 — starts with `difficulty` zero bits.
 * Nonces are counters in base 36 (`[0-9a-z]+`, within the server's `[A-Za-z0-9_-]{1,64}`). The search runs in a
 * Web Worker so that the page stays responsive, with progress reports; without workers it runs in slices on the
 * main thread.
 */
import { prefixHasher, searchNonces, SLICE, type PowReply, type PowRequest } from './pow-search.js';

export interface PowProgress {
  /** Nonces tried so far. */
  tried: number;
  /** Expected number of tries (2^difficulty). */
  expected: number;
}

/**
 * Probability that a nonce has been found after `tried` attempts: a progress bar that moves as expected even
 * though the real amount of work is random.
 */
export const progressShare = (p: PowProgress): number => (p.expected > 0 ? 1 - Math.exp(-p.tried / p.expected) : 1);

function inMainThread(challenge: string, difficulty: number, onProgress: (p: PowProgress) => void, signal: AbortSignal): Promise<string> {
  const hasher = prefixHasher(challenge);
  const expected = 2 ** difficulty;
  return new Promise((resolve, reject) => {
    let tried = 0;
    const step = () => {
      if (signal.aborted) return reject(new DOMException('aborted', 'AbortError'));
      const found = searchNonces(hasher, difficulty, tried, SLICE * 4);
      if (found !== null) return resolve(found);
      tried += SLICE * 4;
      onProgress({ tried, expected });
      setTimeout(step, 0);
    };
    step();
  });
}

/** Find a nonce for the challenge; `onProgress` is called now and then. Rejects when `signal` aborts. */
export function solvePow(challenge: string, difficulty: number, onProgress: (p: PowProgress) => void, signal: AbortSignal): Promise<string> {
  const expected = 2 ** difficulty;
  let worker: Worker;
  try {
    worker = new Worker(new URL('./pow.worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return inMainThread(challenge, difficulty, onProgress, signal);
  }
  return new Promise((resolve, reject) => {
    const stop = () => {
      worker.terminate();
      reject(new DOMException('aborted', 'AbortError'));
    };
    signal.addEventListener('abort', stop, { once: true });
    worker.onmessage = (e: MessageEvent<PowReply>) => {
      const m = e.data;
      if (m.type === 'progress') {
        onProgress({ tried: m.tried, expected });
        return;
      }
      signal.removeEventListener('abort', stop);
      worker.terminate();
      onProgress({ tried: m.tried, expected });
      resolve(m.nonce);
    };
    // A worker that cannot start (blocked, old browser): do the work here instead.
    worker.onerror = (e) => {
      e.preventDefault();
      signal.removeEventListener('abort', stop);
      worker.terminate();
      inMainThread(challenge, difficulty, onProgress, signal).then(resolve, reject);
    };
    worker.postMessage({ challenge, difficulty } satisfies PowRequest);
  });
}
