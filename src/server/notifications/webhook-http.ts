/**
 * Webhook deliveries over HTTP(S): one POST, no redirects followed, a time limit, and the SSRF guard on every
 * address the connection would use.
 */
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { WebhookSender } from '../../core/notifications/ports.js';
import { guardedLookup, hostOf, isPrivateAddress, PrivateAddressError } from '../../core/notifications/ssrf.js';

export function httpWebhookSender({ allowPrivate, timeoutMs = 10_000 }: { allowPrivate: boolean; timeoutMs?: number }): WebhookSender {
  const lookup = guardedLookup(allowPrivate);
  return {
    post: ({ url, body, headers }) =>
      new Promise((resolve, reject) => {
        const target = new URL(url);
        const host = hostOf(target);
        // An IP literal is never looked up, so the guard in `lookup` would not see it.
        if (!allowPrivate && isIP(host) && isPrivateAddress(host)) return reject(new PrivateAddressError(host));
        const send = target.protocol === 'https:' ? https.request : http.request;
        const req = send(
          target,
          { method: 'POST', headers: { ...headers, 'content-length': Buffer.byteLength(body) }, lookup, timeout: timeoutMs },
          (res) => {
            res.resume();
            res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
            res.on('error', reject);
          },
        );
        const deadline = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        req.on('close', () => clearTimeout(deadline));
        req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', reject);
        req.end(body);
      }),
  };
}
