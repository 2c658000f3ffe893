/** Web Worker of the consultation form's proof of work: searches nonces and reports progress (see pow.ts). */
import { prefixHasher, searchNonces, SLICE, type PowReply, type PowRequest } from './pow-search.js';

const reply = (m: PowReply) => self.postMessage(m);

self.onmessage = (e: MessageEvent<PowRequest>) => {
  const { challenge, difficulty } = e.data;
  const hasher = prefixHasher(challenge);
  let tried = 0;
  let sinceReport = 0;
  for (;;) {
    const found = searchNonces(hasher, difficulty, tried, SLICE);
    if (found !== null) {
      reply({ type: 'found', nonce: found, tried: parseInt(found, 36) + 1 });
      return;
    }
    tried += SLICE;
    sinceReport += SLICE;
    // About ten reports a second at typical speeds.
    if (sinceReport >= SLICE * 16) {
      sinceReport = 0;
      reply({ type: 'progress', tried });
    }
  }
};
