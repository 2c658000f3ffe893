/** Clock helpers for deadlines: the current time that re-renders, and short Japan-time labels. */
import type { TFunction } from 'i18next';
import { useEffect, useState } from 'react';

/** The current time, refreshed every `everyMs` (deadlines and "time left"). */
export function useNow(everyMs = 30_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), everyMs);
    return () => window.clearInterval(timer);
  }, [everyMs]);
  return now;
}

const shortParts = new Intl.DateTimeFormat('en-US', {
  timeZone: 'Asia/Tokyo',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** `MM/DD HH:mm` in Japan time, for chart axes. */
export function shortJst(ms: number): string {
  const p: Record<string, string> = {};
  for (const part of shortParts.formatToParts(new Date(ms))) p[part.type] = part.value;
  return `${p.month}/${p.day} ${p.hour}:${p.minute}`;
}

/** "23時間59分" / "23 h 59 min" (rounded down to the minute). */
export function formatDuration(t: TFunction, ms: number): string {
  const totalMinutes = Math.max(0, Math.floor(ms / 60_000));
  const h = Math.floor(totalMinutes / 60);
  const m = totalMinutes % 60;
  return h > 0 ? t('feedback.hoursMinutes', { h, m }) : t('feedback.minutes', { m });
}

/** A `datetime-local` value (no zone) taken as Japan time. */
export const jstLocalToIso = (local: string): string => `${local.length === 16 ? `${local}:00` : local}+09:00`;
