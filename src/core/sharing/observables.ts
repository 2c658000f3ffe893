/**
 * Observables: validated and normalised so that the same indicator written two ways is one value
 * (case, defanging, IPv6 compression, punycode). Correlation and look-up compare normalised values.
 * Browser-safe (WHATWG URL only, no Node modules): the web UI uses the same rules to recognise pasted values.
 */
import { Invalid } from '../errors.js';
import type { Observable, ObservableType } from './model.js';

/** Undo the usual defanging: hxxp://, [.], (.), [dot], [:], [@], [at]. */
export function refang(raw: string): string {
  return raw
    .trim()
    .replace(/^hxxp(s?):\/\//i, 'http$1://')
    .replace(/^fxp:\/\//i, 'ftp://')
    .replace(/\[\.\]|\(\.\)|\{\.\}|\[dot\]|\(dot\)/gi, '.')
    .replace(/\[:\]/g, ':')
    .replace(/\[@\]|\[at\]|\(at\)/gi, '@');
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const DOMAIN = /^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}(?<!-)\.)+[a-z][a-z0-9-]{0,62}$/;
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const HEX: Partial<Record<ObservableType, number>> = { md5: 32, sha1: 40, sha256: 64 };

function isIPv6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value) || !value.includes(':')) return false;
  try {
    return new URL(`http://[${value}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

function normaliseDomain(value: string): string | null {
  const plain = value.replace(/\.$/, '').toLowerCase();
  if (!plain || /[/:@?#\s]/.test(plain)) return null;
  let ascii: string;
  try {
    ascii = new URL(`http://${plain}/`).hostname;
  } catch {
    return null;
  }
  return DOMAIN.test(ascii) ? ascii : null;
}

/** The value normalised as `type`, or null when it is not a valid value of that type. */
export function normaliseAs(type: ObservableType, raw: string): string | null {
  const value = refang(raw);
  switch (type) {
    case 'ipv4':
      return IPV4.test(value) ? value : null;
    case 'ipv6':
      return isIPv6(value) ? new URL(`http://[${value}]/`).hostname.slice(1, -1) : null;
    case 'domain':
      return normaliseDomain(value);
    case 'url': {
      let u: URL;
      try {
        u = new URL(value);
      } catch {
        return null;
      }
      if (!['http:', 'https:', 'ftp:'].includes(u.protocol) || !u.hostname) return null;
      return u.toString();
    }
    case 'email': {
      const at = value.lastIndexOf('@');
      if (at < 1) return null;
      const local = value.slice(0, at);
      const domain = normaliseDomain(value.slice(at + 1));
      return EMAIL_LOCAL.test(local) && domain ? `${local}@${domain}` : null;
    }
    case 'md5':
    case 'sha1':
    case 'sha256': {
      const hex = value.toLowerCase();
      return new RegExp(`^[0-9a-f]{${HEX[type]}}$`).test(hex) ? hex : null;
    }
    case 'cve': {
      const m = /^cve-(\d{4})-(\d{4,7})$/i.exec(value);
      return m ? `CVE-${m[1]}-${m[2]}` : null;
    }
  }
}

const detectionOrder: ObservableType[] = ['ipv4', 'ipv6', 'cve', 'sha256', 'sha1', 'md5', 'url', 'email', 'domain'];

/** Recognise one pasted value; null when no type fits. */
export function detectObservable(raw: string): Observable | null {
  for (const type of detectionOrder) {
    const value = normaliseAs(type, raw);
    if (value !== null) return { type, value };
  }
  return null;
}

/** Validate and normalise a list; reject the whole input naming the first bad value. */
export function normaliseObservables(list: readonly Observable[]): Observable[] {
  const seen = new Set<string>();
  const out: Observable[] = [];
  list.forEach((o, index) => {
    const value = normaliseAs(o.type, o.value);
    if (value === null) {
      throw new Invalid('invalid_observable', { index, position: index + 1, type: o.type, value: o.value.slice(0, 100) });
    }
    const key = `${o.type}\u0000${value}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push({ type: o.type, value });
    }
  });
  return out;
}
