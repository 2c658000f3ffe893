/** Credential primitives: argon2id for passwords, SHA-256 for high-entropy random tokens. */
import { createHash, randomBytes } from 'node:crypto';
import argon2 from 'argon2';

export const hashPassword = (password: string): Promise<string> => argon2.hash(password, { type: argon2.argon2id });

export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** Verified against when the login is unknown, so both cases take the same time. */
let dummyHash: Promise<string> | undefined;
export function burnPasswordCheck(password: string): Promise<boolean> {
  dummyHash ??= hashPassword(randomToken());
  return dummyHash.then((h) => verifyPassword(h, password));
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Tokens are random enough that a fast hash is the right one: no brute force over 256 bits. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

/** A readable random password for new accounts (shown once). */
export function generatePassword(): string {
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';
  const bytes = randomBytes(20);
  let out = '';
  for (const b of bytes) out += alphabet[b % alphabet.length];
  return out.replace(/(.{5})(?!$)/g, '$1-');
}
