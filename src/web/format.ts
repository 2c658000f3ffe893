/** Dates are always shown in Japan time, whatever the browser's time zone. */

const jstParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Tokyo',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** `2026-11-26T01:50:03Z` → `2026/11/26 10:50:03 JST`. Empty values give the fallback. */
export function formatJst(value: string | null | undefined, fallback = '—'): string {
  if (!value) return fallback;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  const p: Record<string, string> = {};
  for (const part of jstParts.formatToParts(date)) p[part.type] = part.value;
  return `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}:${p.second} JST`;
}

/** A calendar day (`YYYY-MM-DD`, as the date picker gives it) taken as Japan time: its first instant. */
export function jstDayStart(day: string): string {
  return `${day.slice(0, 10)}T00:00:00+09:00`;
}

/** …and its last instant. */
export function jstDayEnd(day: string): string {
  return `${day.slice(0, 10)}T23:59:59.999+09:00`;
}
