/**
 * Observables: validated and normalised so that the same indicator written two ways is one value
 * (case, defanging, IPv6 compression, punycode). Correlation and look-up compare normalised values.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { domainToASCII } from 'node:url';
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

const DOMAIN = /^(?=.{1,253}$)(?!-)([a-z0-9-]{1,63}(?<!-)\.)+[a-z][a-z0-9-]{0,62}$/;
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}$/;
const HEX: Partial<Record<ObservableType, number>> = { md5: 32, sha1: 40, sha256: 64 };

function normaliseDomain(value: string): string | null {
  const ascii = domainToASCII(value.replace(/\.$/, '').toLowerCase());
  return ascii && DOMAIN.test(ascii) ? ascii : null;
}

/** Normalise a value of a given type; null when it is not a valid value of that type. */
export function normaliseAs(type: ObservableType, raw: string): string | null {
  const value = refang(raw);
  switch (type) {
    case 'ipv4':
      return isIPv4(value) ? value : null;
    case 'ipv6': {
      if (!isIPv6(value)) return null;
      return new URL(`http://[${value}]/`).hostname.slice(1, -1);
    }
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

const detectionOrder: ObservableType[] = ['ipv4', 'ipv6', 'cve', 'sha256', 'sha1', 'md5', 'url', 'email', 'domain'];

/** Recognise a pasted value (defanged forms accepted): for look-ups where the type is not given. */
export function detectObservable(raw: string): Observable | null {
  for (const type of detectionOrder) {
    const value = normaliseAs(type, raw);
    if (value !== null) return { type, value };
  }
  return null;
}
