/** Dates are stored in UTC and shown in Japan time, whatever the server's own time zone. */
import type { Locale } from './messages.js';

const formatters: Record<Locale, Intl.DateTimeFormat> = {
  ja: new Intl.DateTimeFormat('ja-JP', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }),
  en: new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Asia/Tokyo',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
  }),
};

/** "2022年2月28日 18:00（日本時間）" / "28 Feb 2022, 18:00 JST". */
export function formatJst(isoOrDate: string | Date, locale: Locale): string {
  const text = formatters[locale].format(new Date(isoOrDate));
  return locale === 'ja' ? `${text}（日本時間）` : `${text} JST`;
}

/** A date as a message parameter, rendered in the reader's language. */
export const jstParam = (iso: string | Date): { ja: string; en: string } => ({ ja: formatJst(iso, 'ja'), en: formatJst(iso, 'en') });
