/** The nonce search of the consultation form's proof of work, shared by the Web Worker and the main thread (pow.ts). */
import { leadingZeroBits, Sha256Prefix } from './sha256.js';

/** Messages of the worker protocol. */
export type PowRequest = { challenge: string; difficulty: number };
export type PowReply = { type: 'progress'; tried: number } | { type: 'found'; nonce: string; tried: number };

const encoder = new TextEncoder();

/**
 * Try nonces `start`, `start + 1`, … (`count` of them). Answers the first that does, or null. The prefix hasher
 * is passed in so that a caller searching in slices builds it once.
 */
export function searchNonces(hasher: Sha256Prefix, difficulty: number, start: number, count: number): string | null {
  for (let i = start; i < start + count; i++) {
    const nonce = i.toString(36);
    if (leadingZeroBits(hasher.digestWords(encoder.encode(nonce))) >= difficulty) return nonce;
  }
  return null;
}

export const prefixHasher = (challenge: string): Sha256Prefix => new Sha256Prefix(encoder.encode(challenge));

/** A slice of work between progress reports (a few milliseconds). */
export const SLICE = 4096;

