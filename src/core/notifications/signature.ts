/**
 * Webhook signatures, as Stripe signs: HMAC-SHA256 with the webhook's secret over `<timestamp>.<body>`, sent as
 * `Kyogikai-Signature: t=<unix seconds>,v1=<hex>`. The timestamp inside the signed text lets a receiver refuse
 * replays of old deliveries.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'kyogikai-signature';

const mac = (secret: string, timestamp: number, body: string): string =>
  createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');

export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${mac(secret, timestamp, body)}`;
}

/** What a receiver does (the README shows the same in a few lines): true when genuine and at most `toleranceSeconds` old. */
export function verifySignature(secret: string, body: string, header: string, nowSeconds: number, toleranceSeconds = 300): boolean {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=', 2) as [string, string]));
  const timestamp = Number(parts.t);
  const given = Buffer.from(parts.v1 ?? '', 'hex');
  const expected = Buffer.from(mac(secret, timestamp, body), 'hex');
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  return given.length === expected.length && timingSafeEqual(given, expected);
}
