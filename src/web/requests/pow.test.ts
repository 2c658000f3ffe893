import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { leadingZeroBits as serverZeroBits, powHash } from '../../core/sharing/consultations.js';
import { prefixHasher, searchNonces } from './pow-search.js';
import { progressShare } from './pow.js';
import { leadingZeroBits, sha256, Sha256Prefix, wordsToBytes } from './sha256.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const node = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('the synchronous SHA-256 of the consultation form', () => {
  it('matches the standard test vectors', () => {
    expect(hex(sha256(new TextEncoder().encode('')))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex(sha256(new TextEncoder().encode('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('matches node:crypto for every length around the block boundaries', () => {
    for (let n = 0; n < 300; n++) {
      const bytes = new Uint8Array(randomBytes(n));
      expect(hex(sha256(bytes)), `length ${n}`).toBe(node(bytes));
    }
  });

  it('gives the same digest with a cached prefix, whatever the split', () => {
    const all = new Uint8Array(randomBytes(200));
    for (const split of [0, 1, 55, 63, 64, 65, 127, 128, 150, 200]) {
      const h = new Sha256Prefix(all.slice(0, split));
      // Twice: the scratch buffers are reused.
      expect(hex(wordsToBytes(h.digestWords(all.slice(split))))).toBe(node(all));
      expect(hex(wordsToBytes(h.digestWords(all.slice(split))))).toBe(node(all));
    }
  });

  it('counts leading zero bits as the server does', () => {
    for (let i = 0; i < 2000; i++) {
      const bytes = new Uint8Array(randomBytes(8));
      const words = new Sha256Prefix(new Uint8Array(0)).digestWords(bytes);
      expect(leadingZeroBits(words)).toBe(serverZeroBits(createHash('sha256').update(bytes).digest()));
    }
  });
});

describe('the proof of work', () => {
  it('finds a nonce the server accepts', () => {
    const challenge = `v1.12.${Date.now() + 600_000}.${randomBytes(16).toString('base64url')}.${randomBytes(32).toString('base64url')}`;
    const nonce = searchNonces(prefixHasher(challenge), 12, 0, 1_000_000);
    expect(nonce).toMatch(/^[0-9a-z]{1,64}$/);
    expect(serverZeroBits(powHash(challenge, nonce as string))).toBeGreaterThanOrEqual(12);
  });

  it('moves the progress bar towards, never to, the end', () => {
    expect(progressShare({ tried: 0, expected: 1024 })).toBe(0);
    expect(progressShare({ tried: 1024, expected: 1024 })).toBeCloseTo(0.632, 3);
    expect(progressShare({ tried: 10_000, expected: 1024 })).toBeLessThan(1);
  });
});
