/** Deadlines of information requests: time left with days, and `datetime-local` values in Japan time. */
import type { TFunction } from 'i18next';

const localParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** An instant as a `datetime-local` value (`YYYY-MM-DDTHH:mm`) in Japan time, whatever the browser's zone. */
export function toJstLocal(ms: number): string {
  const p: Record<string, string> = {};
  for (const part of localParts.formatToParts(new Date(ms))) p[part.type] = part.value;
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}`;
}

/** The `YYYY-MM-DD` of an instant in Japan time. */
export const jstDay = (ms: number): string => toJstLocal(ms).slice(0, 10);

/** "2日3時間" / "2 d 3 h", or hours and minutes under a day (rounded down). */
export function formatLeft(t: TFunction, ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return t('infoRequest.daysHours', { d, h });
  if (h > 0) return t('infoRequest.hoursMinutes', { h, m });
  return t('infoRequest.minutes', { m });
}
