/**
 * A small synchronous SHA-256 (FIPS 180-4) for the proof of work of the public consultation form. WebCrypto
 * only hashes asynchronously, which costs far more per hash than the hash itself for short inputs: the
 * challenge's full 64-byte blocks are compressed once (`Sha256Prefix`), and each nonce only adds the tail.
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

const INITIAL = [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19] as const;

/** Compress the 64-byte block of `bytes` at `offset` into `state` (8 words). `w` is scratch space of 64 words. */
function compress(state: Int32Array, bytes: Uint8Array, offset: number, w: Int32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = ((bytes[j] as number) << 24) | ((bytes[j + 1] as number) << 16) | ((bytes[j + 2] as number) << 8) | (bytes[j + 3] as number);
  }
  for (let i = 16; i < 64; i++) {
    const a = w[i - 15] as number;
    const b = w[i - 2] as number;
    const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
    const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
    w[i] = ((w[i - 16] as number) + s0 + (w[i - 7] as number) + s1) | 0;
  }
  let a = state[0] as number;
  let b = state[1] as number;
  let c = state[2] as number;
  let d = state[3] as number;
  let e = state[4] as number;
  let f = state[5] as number;
  let g = state[6] as number;
  let h = state[7] as number;
  for (let i = 0; i < 64; i++) {
    const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const ch = (e & f) ^ (~e & g);
    const t1 = (h + S1 + ch + (K[i] as number) + (w[i] as number)) | 0;
    const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = (S0 + maj) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = ((state[0] as number) + a) | 0;
  state[1] = ((state[1] as number) + b) | 0;
  state[2] = ((state[2] as number) + c) | 0;
  state[3] = ((state[3] as number) + d) | 0;
  state[4] = ((state[4] as number) + e) | 0;
  state[5] = ((state[5] as number) + f) | 0;
  state[6] = ((state[6] as number) + g) | 0;
  state[7] = ((state[7] as number) + h) | 0;
}

/** SHA-256 of a fixed prefix followed by varying suffixes: the prefix's full blocks are hashed only once. */
export class Sha256Prefix {
  private readonly mid = new Int32Array(INITIAL);
  private readonly rest: Uint8Array;
  private readonly length: number;
  private readonly w = new Int32Array(64);
  private readonly state = new Int32Array(8);
  private tail = new Uint8Array(128);

  constructor(prefix: Uint8Array) {
    const full = prefix.length - (prefix.length % 64);
    for (let off = 0; off < full; off += 64) compress(this.mid, prefix, off, this.w);
    this.rest = prefix.slice(full);
    this.length = prefix.length;
  }

  /** The digest of prefix + suffix as 8 big-endian words (signed 32-bit). Valid until the next call. */
  digestWords(suffix: Uint8Array): Int32Array {
    const n = this.rest.length + suffix.length;
    // The tail, the 0x80 byte and the 8-byte length fit in one or more blocks.
    const blocks = Math.ceil((n + 9) / 64);
    if (this.tail.length < blocks * 64) this.tail = new Uint8Array(blocks * 64);
    const tail = this.tail;
    tail.fill(0, 0, blocks * 64);
    tail.set(this.rest, 0);
    tail.set(suffix, this.rest.length);
    tail[n] = 0x80;
    const bits = (this.length + suffix.length) * 8;
    const end = blocks * 64;
    // Lengths here are far below 2^32 bits: the upper word stays zero apart from its low bits.
    const hi = Math.floor(bits / 0x100000000);
    tail[end - 8] = hi >>> 24;
    tail[end - 7] = (hi >>> 16) & 0xff;
    tail[end - 6] = (hi >>> 8) & 0xff;
    tail[end - 5] = hi & 0xff;
    tail[end - 4] = (bits >>> 24) & 0xff;
    tail[end - 3] = (bits >>> 16) & 0xff;
    tail[end - 2] = (bits >>> 8) & 0xff;
    tail[end - 1] = bits & 0xff;
    this.state.set(this.mid);
    for (let off = 0; off < end; off += 64) compress(this.state, tail, off, this.w);
    return this.state;
  }
}

/** The digest's bytes from its words. */
export function wordsToBytes(words: Int32Array): Uint8Array {
  const out = new Uint8Array(32);
  for (let i = 0; i < 8; i++) {
    const v = words[i] as number;
    out[i * 4] = v >>> 24;
    out[i * 4 + 1] = (v >>> 16) & 0xff;
    out[i * 4 + 2] = (v >>> 8) & 0xff;
    out[i * 4 + 3] = v & 0xff;
  }
  return out;
}

/** SHA-256 of some bytes. */
export function sha256(bytes: Uint8Array): Uint8Array {
  return wordsToBytes(new Sha256Prefix(new Uint8Array(0)).digestWords(bytes));
}

/** Leading zero bits of a digest given as words (as the server counts them over the bytes). */
export function leadingZeroBits(words: Int32Array): number {
  let bits = 0;
  for (let i = 0; i < 8; i++) {
    const v = words[i] as number;
    if (v === 0) {
      bits += 32;
      continue;
    }
    return bits + Math.clz32(v);
  }
  return bits;
}
