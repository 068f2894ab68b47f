// ISO-8601 durations, dates and repeating intervals as epoch milliseconds. Calendar parts
// (years, months, days) are added on the wall clock of the engine's time zone, China
// Standard Time by default, so "P6M" from 31 January lands on 31 July (or the month's last
// day). The host's own zone is never read: two workers in different zones, or a replay on
// another host, compute the same instants.
import { Temporal } from 'temporal-polyfill';

/** The zone the engine reads date-times without an offset in, unless configured otherwise. */
export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

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

/** Wall-clock date-time text: date, "T", time, fraction; then an optional offset, [Zone] or @Zone. */
const DATE_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?(?:\[([^\]]+)\]|@([A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*))?$/i;

/** Parses "P6M", "PT1H", "P1DT2H30M"; throws on anything else. */
export function parseDuration(text: string): Duration {
  const match = DURATION.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an ISO-8601 duration`);
  const n = (i: number): number => Number(match[i] ?? 0);
  return { years: n(1), months: n(2), weeks: n(3), days: n(4), hours: n(5), minutes: n(6), seconds: n(7) };
}

/** Whether `zone` is a time zone this engine knows (an IANA name such as Asia/Shanghai, or UTC). */
export function isTimeZone(zone: string): boolean {
  try {
    Temporal.Now.instant().toZonedDateTimeISO(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses an ISO-8601 date-time to epoch ms. With an offset (`Z`, `+08:00`, also followed by a
 * `[Zone]`) it is that instant; with a zone alone (`2026-10-01T09:00:00@Asia/Shanghai`, FEEL's
 * notation, or `[Asia/Shanghai]`) it is that wall time there; without either it is that wall
 * time in `zone`, the engine's zone.
 */
export function parseDateTime(text: string, zone: string = DEFAULT_TIME_ZONE): number {
  const match = DATE_TIME.exec(text.trim());
  if (!match) throw new Error(`"${text}" is not an ISO-8601 date-time`);
  const [, wall, offset, bracketZone, atZone] = match;
  try {
    if (offset) return Temporal.Instant.from(`${wall}${offset}`).epochMilliseconds;
    return Temporal.PlainDateTime.from(wall!).toZonedDateTime(bracketZone ?? atZone ?? zone).epochMilliseconds;
  } catch {
    throw new Error(`"${text}" is not an ISO-8601 date-time`);
  }
}

/** Parses "R/P6M", "R3/PT1H" or "R3/2026-01-01T00:00:00Z/P1D"; a start without offset is read in `zone`. */
export function parseCycle(text: string, zone: string = DEFAULT_TIME_ZONE): Cycle {
  const parts = text.trim().split('/');
  const repeat = /^R(\d*)$/.exec(parts[0] ?? '');
  if (!repeat || parts.length < 2 || parts.length > 3) throw new Error(`"${text}" is not an ISO-8601 repeating interval`);
  const repetitions = repeat[1] ? Number(repeat[1]) : null;
  if (parts.length === 2) return { repetitions, start: null, period: parseDuration(parts[1] ?? '') };
  return { repetitions, start: parseDateTime(parts[1] ?? '', zone), period: parseDuration(parts[2] ?? '') };
}

/** The instant as a date-time on the wall clock of `zone`. */
export function zonedDateTime(epoch: number, zone: string = DEFAULT_TIME_ZONE): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(epoch).toZonedDateTimeISO(zone);
}

/**
 * `from` plus `duration`: years, months, weeks and days on the wall clock of `zone` (a month
 * past the 31st lands on the month's last day), then hours, minutes and seconds as elapsed time.
 */
export function addDuration(from: number, duration: Duration, zone: string = DEFAULT_TIME_ZONE): number {
  const wall = zonedDateTime(from, zone).add({ years: duration.years, months: duration.months, weeks: duration.weeks, days: duration.days });
  const clock = ((duration.hours * 60 + duration.minutes) * 60 + duration.seconds) * 1000;
  return wall.epochMilliseconds + Math.round(clock);
}

/** ISO text of an epoch on the wall clock of `zone`, with its offset then, e.g. 2026-10-01T09:00:00+08:00. */
export function formatDateTime(epoch: number, zone: string = DEFAULT_TIME_ZONE): string {
  const offset = hourOffset(epoch, zone);
  const shifted = offset === null ? null : new Date(epoch + offset.ms);
  // Lists format several dates per row: within an hour of a known offset, plain Date arithmetic
  // gives the same text as the zone rules (checked against them in time.spec), many times faster.
  if (shifted && shifted.getUTCFullYear() >= 1000 && shifted.getUTCFullYear() <= 9999) return `${shifted.toISOString().slice(0, 19)}${offset!.text}`;
  return formatZoned(epoch, zone);
}

/** {@link formatDateTime} by the zone rules alone. */
export function formatZoned(epoch: number, zone: string): string {
  const zoned = zonedDateTime(epoch, zone);
  const wall = zoned.toPlainDateTime().toString({ smallestUnit: 'second' });
  return `${wall}${zoned.offset}`;
}

const HOUR_MS = 3_600_000;
/** Offsets of whole hours (per zone) in which a zone keeps one offset of whole seconds; null where it changes. */
const hourOffsets = new Map<string, { ms: number; text: string } | null>();

/** The zone's offset through the hour holding `epoch`, if it holds one offset (of whole seconds) through all of it. */
function hourOffset(epoch: number, zone: string): { ms: number; text: string } | null {
  const hour = Math.floor(epoch / HOUR_MS);
  const key = `${zone}|${hour}`;
  const known = hourOffsets.get(key);
  if (known !== undefined) return known;
  const start = zonedDateTime(hour * HOUR_MS, zone);
  const end = zonedDateTime(hour * HOUR_MS + HOUR_MS - 1, zone);
  const steady = start.offsetNanoseconds === end.offsetNanoseconds && start.offsetNanoseconds % 1_000_000_000 === 0;
  const found = steady ? { ms: start.offsetNanoseconds / 1_000_000, text: start.offset } : null;
  if (hourOffsets.size >= 50_000) hourOffsets.clear();
  hourOffsets.set(key, found);
  return found;
}

/** The calendar date of an epoch in `zone`, as YYYY-MM-DD. */
export function formatDate(epoch: number, zone: string = DEFAULT_TIME_ZONE): string {
  return zonedDateTime(epoch, zone).toPlainDate().toString();
}

/** The start (00:00) of a calendar date in `zone`, as epoch ms. */
export function startOfDate(date: string, zone: string = DEFAULT_TIME_ZONE): number {
  return Temporal.PlainDate.from(date).toZonedDateTime({ timeZone: zone }).epochMilliseconds;
}
