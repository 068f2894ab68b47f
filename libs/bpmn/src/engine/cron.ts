// Cron expressions as Camunda 8 reads them in a timer cycle: Spring's six fields (second,
// minute, hour, day of month, month, day of week), with names, ranges, lists, steps, `?`,
// `L`, `W` and `#`, and the macros @yearly … @hourly. Next firings are computed on the wall
// clock of the engine's zone, never the host's.
import { Temporal } from 'temporal-polyfill';

/** A parsed cron expression: the allowed values of each field, and the day rules. */
export interface CronSpec {
  text: string;
  seconds: number[];
  minutes: number[];
  hours: number[];
  months: number[];
  /** Day of month: allowed days, or special rules; null = any day. */
  dayOfMonth: DayOfMonthRule | null;
  /** Day of week (1 = Monday … 7 = Sunday, ISO): null = any day. */
  dayOfWeek: DayOfWeekRule | null;
}

type DayOfMonthRule = { kind: 'days'; days: number[] } | { kind: 'last'; offset: number } | { kind: 'last-weekday' } | { kind: 'nearest-weekday'; day: number };
type DayOfWeekRule = { kind: 'days'; days: number[] } | { kind: 'last'; day: number } | { kind: 'nth'; day: number; nth: number };

const MACROS: Record<string, string> = {
  '@yearly': '0 0 0 1 1 *',
  '@annually': '0 0 0 1 1 *',
  '@monthly': '0 0 0 1 * *',
  '@weekly': '0 0 0 * * 0',
  '@daily': '0 0 0 * * *',
  '@midnight': '0 0 0 * * *',
  '@hourly': '0 0 * * * *',
};

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

/** A cron expression that cannot be read; the message names the field. */
export class CronSyntaxError extends Error {
  constructor(text: string, reason: string) {
    super(`"${text}" is not a cron expression: ${reason}`);
    this.name = 'CronSyntaxError';
  }
}

function number(text: string, field: string, min: number, max: number, names: string[] = [], nameBase = 0): number {
  const upper = text.toUpperCase();
  const named = names.indexOf(upper);
  const value = named >= 0 ? named + nameBase : /^\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(value) || value < min || value > max) throw new Error(`${field} "${text}" is not between ${min} and ${max}`);
  return value;
}

/** Values of one field: `*`, `?`, `a`, `a-b`, `*\/n`, `a/n`, `a-b/n`, and lists of them. */
function values(text: string, field: string, min: number, max: number, names: string[] = [], nameBase = 0): number[] {
  const result = new Set<number>();
  for (const part of text.split(',')) {
    const [range = '', stepText] = part.split('/');
    const step = stepText === undefined ? 1 : number(stepText, `${field} step`, 1, max - min + 1);
    let from: number;
    let to: number;
    if (range === '*' || range === '?') {
      from = min;
      to = max;
    } else if (range.includes('-')) {
      const [a = '', b = ''] = range.split('-');
      from = number(a, field, min, max, names, nameBase);
      to = number(b, field, min, max, names, nameBase);
      if (to < from) throw new Error(`${field} range "${range}" runs backwards`);
    } else {
      from = number(range, field, min, max, names, nameBase);
      to = stepText === undefined ? from : max;
    }
    for (let value = from; value <= to; value += step) result.add(value);
  }
  return [...result].sort((a, b) => a - b);
}

function dayOfMonthRule(text: string): DayOfMonthRule | null {
  if (text === '*' || text === '?') return null;
  const upper = text.toUpperCase();
  if (upper === 'L') return { kind: 'last', offset: 0 };
  if (upper === 'LW') return { kind: 'last-weekday' };
  const lastMinus = /^L-(\d+)$/.exec(upper);
  if (lastMinus) return { kind: 'last', offset: number(lastMinus[1]!, 'day of month offset', 0, 30) };
  const weekday = /^(\d+)W$/.exec(upper);
  if (weekday) return { kind: 'nearest-weekday', day: number(weekday[1]!, 'day of month', 1, 31) };
  return { kind: 'days', days: values(text, 'day of month', 1, 31) };
}

/** Spring numbers days of week 0 or 7 = Sunday, 1 = Monday; ISO numbers 1 = Monday … 7 = Sunday. */
function isoDay(value: number): number {
  return value === 0 ? 7 : value;
}

function dayOfWeekRule(text: string): DayOfWeekRule | null {
  if (text === '*' || text === '?') return null;
  const upper = text.toUpperCase();
  const last = /^([A-Z]{3}|\d)L$/.exec(upper);
  if (last) return { kind: 'last', day: isoDay(number(last[1]!, 'day of week', 0, 7, DAY_NAMES)) };
  const nth = /^([A-Z]{3}|\d)#([1-5])$/.exec(upper);
  if (nth) return { kind: 'nth', day: isoDay(number(nth[1]!, 'day of week', 0, 7, DAY_NAMES)), nth: Number(nth[2]) };
  return { kind: 'days', days: [...new Set(values(text, 'day of week', 0, 7, DAY_NAMES).map(isoDay))].sort((a, b) => a - b) };
}

/** Parses a Spring cron expression (six fields, or a macro such as @daily); throws {@link CronSyntaxError}. */
export function parseCron(text: string): CronSpec {
  const trimmed = text.trim();
  const expanded = MACROS[trimmed.toLowerCase()] ?? trimmed;
  const fields = expanded.split(/\s+/);
  if (fields.length !== 6) throw new CronSyntaxError(text, `expected six fields (second minute hour day-of-month month day-of-week), got ${fields.length}`);
  const [second, minute, hour, dayOfMonth, month, dayOfWeek] = fields as [string, string, string, string, string, string];
  try {
    return {
      text: trimmed,
      seconds: values(second, 'second', 0, 59),
      minutes: values(minute, 'minute', 0, 59),
      hours: values(hour, 'hour', 0, 23),
      months: values(month, 'month', 1, 12, MONTH_NAMES, 1),
      dayOfMonth: dayOfMonthRule(dayOfMonth),
      dayOfWeek: dayOfWeekRule(dayOfWeek),
    };
  } catch (error) {
    throw new CronSyntaxError(text, error instanceof Error ? error.message : String(error));
  }
}

/** Whether `text` reads as a cron expression. */
export function isCron(text: string): boolean {
  try {
    parseCron(text);
    return true;
  } catch {
    return false;
  }
}

function lastWeekdayOf(date: Temporal.PlainDate): number {
  let last = date.with({ day: date.daysInMonth });
  while (last.dayOfWeek > 5) last = last.subtract({ days: 1 });
  return last.day;
}

function nearestWeekday(date: Temporal.PlainDate, day: number): number {
  const target = date.with({ day: Math.min(day, date.daysInMonth) });
  if (target.dayOfWeek === 6) return target.day === 1 ? 3 : target.day - 1;
  if (target.dayOfWeek === 7) return target.day === date.daysInMonth ? target.day - 2 : target.day + 1;
  return target.day;
}

function dayMatches(spec: CronSpec, date: Temporal.PlainDate): boolean {
  if (!spec.months.includes(date.month)) return false;
  const dom = spec.dayOfMonth;
  if (dom) {
    if (dom.kind === 'days' && !dom.days.includes(date.day)) return false;
    if (dom.kind === 'last' && date.day !== date.daysInMonth - dom.offset) return false;
    if (dom.kind === 'last-weekday' && date.day !== lastWeekdayOf(date)) return false;
    if (dom.kind === 'nearest-weekday' && date.day !== nearestWeekday(date, dom.day)) return false;
  }
  const dow = spec.dayOfWeek;
  if (dow) {
    if (dow.kind === 'days' && !dow.days.includes(date.dayOfWeek)) return false;
    if (dow.kind === 'last' && (date.dayOfWeek !== dow.day || date.day + 7 <= date.daysInMonth)) return false;
    if (dow.kind === 'nth' && (date.dayOfWeek !== dow.day || Math.ceil(date.day / 7) !== dow.nth)) return false;
  }
  return true;
}

/** How far ahead a firing is looked for: a 29 February that is also a Monday recurs within 28 years. */
const SEARCH_DAYS = 366 * 30;

/**
 * The first firing strictly after `after` (epoch ms), on the wall clock of `zone`; null when
 * none comes within thirty years (a 30 February, say). A wall time that daylight saving time
 * skips fires at the moment the clock jumps to.
 */
export function nextCronTime(spec: CronSpec, after: number, zone: string): number | null {
  const start = Temporal.Instant.fromEpochMilliseconds(after).toZonedDateTimeISO(zone);
  let date = start.toPlainDate();
  for (let day = 0; day < SEARCH_DAYS; day++, date = date.add({ days: 1 })) {
    if (!dayMatches(spec, date)) continue;
    // On the first day, wall times before the start's are passed over without converting them.
    const first = day === 0;
    for (const hour of spec.hours) {
      if (first && hour < start.hour) continue;
      for (const minute of spec.minutes) {
        if (first && hour === start.hour && minute < start.minute) continue;
        for (const second of spec.seconds) {
          if (first && hour === start.hour && minute === start.minute && second < start.second) continue;
          const at = date.toPlainDateTime({ hour, minute, second }).toZonedDateTime(zone).epochMilliseconds;
          if (at > after) return at;
        }
      }
    }
  }
  return null;
}

/** The next `count` firings after `after`. */
export function nextCronTimes(spec: CronSpec, after: number, zone: string, count: number): number[] {
  const times: number[] = [];
  let from = after;
  while (times.length < count) {
    const next = nextCronTime(spec, from, zone);
    if (next === null) break;
    times.push(next);
    from = next;
  }
  return times;
}
