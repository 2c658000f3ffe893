/**
 * Webhooks make the server send requests where its users tell it to: never into the networks behind it (SSRF).
 * A URL is checked when it is registered, and every address is checked again when a delivery connects — a name may
 * resolve elsewhere by then (DNS rebinding). Both checks are off only when the operator allows private addresses.
 */
import { lookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { lookup as lookupAll } from 'node:dns/promises';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Invalid } from '../errors.js';

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['64:ff9b::', 96], // NAT64: may reach any IPv4 address
  ['2001:db8::', 32],
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}

/** Loopback, private, link-local, shared, documentation, multicast or reserved — or not an address at all. */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family === 6) {
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    return mapped?.[1] ? isPrivateAddress(mapped[1]) : blocked.check(address, 'ipv6');
  }
  return true;
}

/** The host of a URL without the brackets of an IPv6 literal. */
export const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

/** Parse a webhook URL and check where it points: http or https, no credentials, no private address. */
export async function checkWebhookUrl(raw: string, { allowPrivate }: { allowPrivate: boolean }): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Invalid('webhook_url_invalid');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.username || url.password || !url.hostname) {
    throw new Invalid('webhook_url_invalid');
  }
  if (allowPrivate) return url;
  const host = hostOf(url);
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : (await lookupAll(host, { all: true })).map((a) => a.address);
  } catch {
    throw new Invalid('webhook_url_unresolvable');
  }
  const refused = addresses.find(isPrivateAddress);
  if (refused) throw new Invalid('webhook_url_private', { address: refused });
  return url;
}

export class PrivateAddressError extends Error {
  constructor(readonly address: string) {
    super(`address not allowed: ${address}`);
  }
}

/**
 * A DNS lookup for `http.request` that refuses private addresses at connection time. (A URL whose host is an IP
 * literal is never looked up: the sender checks it with `isPrivateAddress` itself.)
 */
export function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    const all: LookupAllOptions = { ...options, all: true };
    lookup(hostname, all, (err, addresses: LookupAddress[]) => {
      const reply = callback as (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
      if (err) return reply(err, []);
      const refused = allowPrivate ? undefined : addresses.find((a) => isPrivateAddress(a.address));
      if (refused) return reply(new PrivateAddressError(refused.address), []);
      const first = addresses[0];
      if (options.all) return reply(null, addresses);
      if (!first) return reply(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
      reply(null, first.address, first.family);
    });
  };
}
