/**
 * Dates in query strings and bodies: one reading for every route. A bare day (`YYYY-MM-DD`) is a day in China
 * (UTC+8) and must exist on the calendar (2030-02-30 is refused, not rolled over into March); a date-time must
 * carry its offset and name a real instant. Either must lie between 1970 and 9999 (MariaDB's DATETIME ends
 * there; a typo such as year 99999 would otherwise compare differently on each database).
 */
import { z } from 'zod';

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_MS = Date.UTC(1970, 0, 1);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const CHINA_OFFSET_MS = 8 * 3600_000;

/** The start of a calendar day in UTC+8, or null when the day does not exist. */
function chinaDay(text: string): Date | null {
  const m = DAY.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const utc = new Date(Date.UTC(y, mo - 1, d));
  if (utc.getUTCFullYear() !== y || utc.getUTCMonth() !== mo - 1 || utc.getUTCDate() !== d) return null;
  return new Date(utc.getTime() - CHINA_OFFSET_MS);
}

const inRange = (d: Date) => !Number.isNaN(d.getTime()) && d.getTime() >= MIN_MS && d.getTime() <= MAX_MS;

/**
 * A day (`YYYY-MM-DD`, UTC+8; `endOfDay`: its last millisecond) or an ISO date-time with its offset; null when it is
 * neither, names no real date, or lies outside 1970–9999.
 */
export function parseDayOrInstant(text: string, options: { endOfDay?: boolean } = {}): Date | null {
  if (DAY.test(text)) {
    const start = chinaDay(text);
    if (!start) return null;
    const at = options.endOfDay ? new Date(start.getTime() + 86_400_000 - 1) : start;
    return inRange(at) ? at : null;
  }
  if (!z.string().datetime({ offset: true }).safeParse(text).success) return null;
  const at = new Date(text);
  return inRange(at) ? at : null;
}

/** An ISO date-time with its offset, as a Date; refused (zod issue) when it names no real instant in 1970–9999. */
export const instantParam = z
  .string()
  .max(40)
  .transform((s, c) => {
    const at = DAY.test(s) ? null : parseDayOrInstant(s);
    if (!at) {
      c.addIssue({ code: 'custom', message: `时间格式不正确：${s.slice(0, 40)}` });
      return z.NEVER;
    }
    return at;
  });
