// ISO-8601 durations, dates and repeating intervals as epoch milliseconds. Calendar parts
// (years, months, days) are added on the wall clock of a fixed UTC offset, China Standard
// Time by default, so "P6M" from 31 January lands on 31 July (or the month's last day).

/** Offset of the wall clock that calendar arithmetic uses: UTC+08:00, no daylight saving. */
export const DEFAULT_UTC_OFFSET_MINUTES = 8 * 60;

/** The fields of an ISO-8601 duration. */
export interface Duration {
  years: number;
  months: number;
  weeks: number;
  days: number;
  hours: number;
  minutes: number;
  seconds: number;
}

/** A repeating interval: how many repetitions (null = unbounded), an optional start, the period. */
export interface Cycle {
  repetitions: number | null;
  start: number | null;
  period: Duration;
}

const DURATION = /^P(?!$)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Parses "P6M", "PT1H", "P1DT2H30M"; throws on anything else. */
export function parseDuration(text: string): Duration {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an ISO-8601 duration`);
  const n = (i: number): number => Number(match[i] ?? 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** Parses an ISO-8601 date-time with offset (an optional [Zone/Id] suffix is ignored). */
export function parseDateTime(text: string): number {
  const value = Date.parse(text.trim().replace(/\[.*\]$/, ''));
  if (Number.isNaN(value) || !/T/.test(text)) throw new Error(`"${text}" is not an ISO-8601 date-time`);
  return value;
}

/** Parses "R/P6M", "R3/PT1H" or "R3/2026-01-01T00:00:00Z/P1D". */
export function parseCycle(text: string): Cycle {
  const parts = text.trim().split('/');
  const repeat = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!repeat || parts.length < 2 || parts.length > 3) throw new Error(`"${text}" is not an ISO-8601 repeating interval`);
  const repetitions = repeat[1] ? Number(repeat[1]) : null;
  if (parts.length === 2) return { repetitions, start: null, period: parseDuration(parts[1] ?? '') };
  return { repetitions, start: parseDateTime(parts[1] ?? ''), period: parseDuration(parts[2] ?? '') };
}

function daysInMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/** `from` plus `duration`, calendar parts on the wall clock at `offsetMinutes`. */
export function addDuration(from: number, duration: Duration, offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): number {
  const offset = offsetMinutes * 60_000;
  const wall = new Date(from + offset);
  const totalMonths = wall.getUTCMonth() + duration.months + duration.years * 12;
  const year = wall.getUTCFullYear() + Math.floor(totalMonths / 12);
  const month = ((totalMonths % 12) + 12) % 12;
  const day = Math.min(wall.getUTCDate(), daysInMonth(year, month));
  const shifted = Date.UTC(
    year,
    month,
    day + duration.days + duration.weeks * 7,
    wall.getUTCHours(),
    wall.getUTCMinutes(),
    wall.getUTCSeconds(),
    wall.getUTCMilliseconds(),
  );
  const clock = ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
  return shifted - offset + Math.round(clock);
}

/** ISO text of an epoch on the wall clock at `offsetMinutes`, e.g. 2026-10-01T09:00:00+08:00. */
export function formatDateTime(epoch: number, offsetMinutes = DEFAULT_UTC_OFFSET_MINUTES): string {
  const wall = new Date(epoch + offsetMinutes * 60_000).toISOString().slice(0, 19);
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${wall}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}
