/**
 * Japan time (JST, UTC+9, no daylight saving): what people enter and read. Storage and the API use UTC ISO 8601.
 */

const JST_OFFSET_MS = 9 * 3_600_000;
const MONTHS_EN = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** Any ISO 8601 instant with an offset → UTC ISO (`…Z`). */
export const toUtc = (instant: string): string => new Date(instant).toISOString();

function jstParts(instant: string) {
  const d = new Date(Date.parse(instant) + JST_OFFSET_MS);
  return {
    y: d.getUTCFullYear(),
    m: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    hh: String(d.getUTCHours()).padStart(2, '0'),
    mm: String(d.getUTCMinutes()).padStart(2, '0'),
  };
}

/** 「2022年2月28日 18:00」 */
export function formatJstJa(instant: string): string {
  const p = jstParts(instant);
  return `${p.y}年${p.m}月${p.d}日 ${p.hh}:${p.mm}`;
}

/** "28 February 2022, 18:00" */
export function formatJstEn(instant: string): string {
  const p = jstParts(instant);
  return `${p.d} ${MONTHS_EN[p.m - 1] ?? ''} ${p.y}, ${p.hh}:${p.mm}`;
}

/** The calendar date in Japan (YYYY-MM-DD) of an instant. */
export function jstDate(instant: string): string {
  const p = jstParts(instant);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

/** The last instant of a Japanese calendar day, in UTC ISO. */
export function endOfJstDay(date: string): string {
  return new Date(Date.parse(`${date}T23:59:59.999+09:00`)).toISOString();
}

/** An instant in Japan time, for seeds and the demo: `jst(2022, 2, 28, 18)`. */
export function jst(y: number, m: number, d: number, hh = 0, mm = 0): string {
  return new Date(Date.UTC(y, m - 1, d, hh, mm) - JST_OFFSET_MS).toISOString();
}
