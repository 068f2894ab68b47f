// The Chinese working-day calendar: official holidays and swapped working weekends (调休),
// which the State Council publishes each year, layered over the Monday–Friday week. Pure and
// sandbox-safe: the workflow evaluates FEEL working-day functions with it.

/** Whether a date is worked. */
export type DayKind = 'workday' | 'holiday';

/** A date that departs from the Monday–Friday week (or confirms it, for overrides). */
export interface CalendarDay {
  kind: DayKind;
  /** What makes it so, e.g. 国庆节 or 国庆节调休. */
  name: string;
}

/**
 * The calendar as plain JSON: what a workflow carries. A date is *covered* when its year's
 * official arrangement is known (`years`) or the date itself is listed in `days` from an
 * override; any other date is computed by the Monday–Friday rule and reported as a guess.
 */
export interface CalendarData {
  /** Years whose official arrangement is known, ascending. */
  years: number[];
  /** Dates (YYYY-MM-DD) that differ from the Monday–Friday rule, and overridden dates. */
  days: Record<string, CalendarDay>;
  /** Dates listed in `days` because an administrator entered them (covered even outside `years`). */
  overridden?: string[];
}

/** A date the calendar could only guess. */
export interface UncoveredDate {
  date: string;
  year: number;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

/** Days since the epoch of a YYYY-MM-DD date; throws on anything else. */
export function dayNumber(date: string): number {
  const match = DATE.exec(date);
  if (!match) throw new RangeError(`"${date}" is not a date (YYYY-MM-DD)`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new RangeError(`"${date}" is not a calendar date`);
  }
  return ms / DAY_MS;
}

/** The YYYY-MM-DD date of a day number. */
export function dateOf(dayNo: number): string {
  return new Date(dayNo * DAY_MS).toISOString().slice(0, 10);
}

/** Whether a day number is a Monday to Friday (day 0, 1970-01-01, was a Thursday). */
function isWeekday(dayNo: number): boolean {
  const weekday = (((dayNo + 4) % 7) + 7) % 7;
  return weekday !== 0 && weekday !== 6;
}

/** Monday–Friday days before day number `x`, counted from Monday 1970-01-05 (negative before it): differences count any stretch. */
function weekdaysBefore(x: number): number {
  const k = x - 4;
  const weeks = Math.floor(k / 7);
  return weeks * 5 + Math.min(k - weeks * 7, 5);
}

/** How many of the ascending `values` are at most `x`. */
function upperBound(values: number[], x: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (values[middle]! <= x) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The longest stretch a working-day count may walk: beyond it the input is a mistake, not a deadline. */
const MAX_DAYS_WALKED = 366 * 20;

/**
 * Answers working-day questions over {@link CalendarData}. Every answer that needed a date
 * outside the known years is noted in {@link uncovered}, so a deadline computed from a guess
 * carries a warning instead of passing for fact.
 */
export class WorkingCalendar {
  private readonly years: Set<number>;
  private readonly overridden: Set<string>;
  /** Dates answered by the Monday–Friday guess, per year, since construction or {@link takeUncovered}. */
  private readonly guessed = new Map<number, string>();
  /** What {@link workingDaysBetween} counts with, built on its first use. */
  private counted: { days: number[]; corrections: number[] } | undefined;

  constructor(readonly data: CalendarData) {
    this.years = new Set(data.years);
    this.overridden = new Set(data.overridden ?? []);
  }

  /** Whether the official arrangement of this date is known. */
  covers(date: string): boolean {
    dayNumber(date);
    return this.years.has(Number(date.slice(0, 4))) || this.overridden.has(date);
  }

  /** The day's kind and the reason: listed, or by the weekday rule (then `covered` tells whether the year is known). */
  describe(date: string): { date: string; working: boolean; name: string | null; covered: boolean } {
    const dayNo = dayNumber(date);
    const covered = this.covers(date);
    const listed = this.data.days[date];
    if (listed) return { date, working: listed.kind === 'workday', name: listed.name, covered };
    const weekday = new Date(dayNo * DAY_MS).getUTCDay();
    return { date, working: weekday !== 0 && weekday !== 6, name: null, covered };
  }

  /** Whether the date is worked. Outside the known years the Monday–Friday rule answers, and the date is noted. */
  isWorkingDay(date: string): boolean {
    const day = this.describe(date);
    if (!day.covered) {
      const year = Number(date.slice(0, 4));
      if (!this.guessed.has(year)) this.guessed.set(year, date);
    }
    return day.working;
  }

  /**
   * The `n`-th working day after `date` (before it, for negative `n`); `date` itself is not
   * counted, so 10 working days after Monday 2026-09-28 is 2026-10-16, across the National Day
   * break and the working Saturday 2026-10-10. `n` = 0 gives `date` back.
   */
  addWorkingDays(date: string, n: number): string {
    if (!Number.isInteger(n)) throw new RangeError(`the number of working days must be a whole number, got ${n}`);
    let dayNo = dayNumber(date);
    const direction = n < 0 ? -1 : 1;
    let left = Math.abs(n);
    let walked = 0;
    while (left > 0) {
      dayNo += direction;
      if (++walked > MAX_DAYS_WALKED) throw new RangeError(`${n} working days from ${date} is beyond twenty years`);
      if (this.isWorkingDay(dateOf(dayNo))) left--;
    }
    return dateOf(dayNo);
  }

  /**
   * Working days after `from` up to and including `to`: the inverse of {@link addWorkingDays},
   * negative when `to` is earlier (then the days after `to` up to and including `from`, negated).
   */
  workingDaysBetween(from: string, to: string): number {
    const a = dayNumber(from);
    const b = dayNumber(to);
    if (Math.abs(b - a) > MAX_DAYS_WALKED) throw new RangeError(`${from} to ${to} spans more than twenty years`);
    const [low, high, sign] = a <= b ? [a, b, 1] : [b, a, -1];
    if (high === low) return 0;
    // Counted, not walked: Monday–Friday days in (low, high], corrected by the listed days there.
    const { days, corrections } = this.exceptions();
    const count = weekdaysBefore(high + 1) - weekdaysBefore(low + 1) + corrections[upperBound(days, high)]! - corrections[upperBound(days, low)]!;
    this.noteGuesses(low + 1, high);
    return sign * count;
  }

  /** Listed days that change the Monday–Friday count (a working weekend +1, a weekday holiday −1), by day number with running sums. */
  private exceptions(): { days: number[]; corrections: number[] } {
    if (!this.counted) {
      const changes: Array<[number, number]> = [];
      for (const [date, day] of Object.entries(this.data.days)) {
        const dayNo = dayNumber(date);
        const weekday = isWeekday(dayNo);
        if (day.kind === 'workday' && !weekday) changes.push([dayNo, 1]);
        if (day.kind === 'holiday' && weekday) changes.push([dayNo, -1]);
      }
      changes.sort((x, y) => x[0] - y[0]);
      const corrections = [0];
      for (const [, change] of changes) corrections.push(corrections[corrections.length - 1]! + change);
      this.counted = { days: changes.map(([dayNo]) => dayNo), corrections };
    }
    return this.counted;
  }

  /** Notes, as a walk from `first` to `last` would, the first date of each year in that stretch the calendar had to guess. */
  private noteGuesses(first: number, last: number): void {
    const firstYear = new Date(first * DAY_MS).getUTCFullYear();
    const lastYear = new Date(last * DAY_MS).getUTCFullYear();
    for (let year = firstYear; year <= lastYear; year++) {
      if (this.years.has(year) || this.guessed.has(year)) continue;
      const end = Math.min(last, Date.UTC(year + 1, 0, 1) / DAY_MS - 1);
      for (let dayNo = Math.max(first, Date.UTC(year, 0, 1) / DAY_MS); dayNo <= end; dayNo++) {
        const date = dateOf(dayNo);
        if (!this.overridden.has(date)) {
          this.guessed.set(year, date);
          break;
        }
      }
    }
  }

  /** The dates answered by guess since the last call (one per year), and forgets them. */
  takeUncovered(): UncoveredDate[] {
    const taken = [...this.guessed].map(([year, date]) => ({ year, date }));
    this.guessed.clear();
    return taken;
  }
}

/** A warning for guessed dates, naming the years to enter. */
export function uncoveredWarning(uncovered: UncoveredDate[]): string | null {
  if (uncovered.length === 0) return null;
  const years = [...new Set(uncovered.map((u) => u.year))].sort((a, b) => a - b).join(', ');
  return `no official working-day calendar for ${years} (first needed for ${uncovered[0]!.date}): counted Monday–Friday; enter the State Council's holiday arrangement under /calendar`;
}

/** The part of a calendar a running instance needs: years from `fromYear` on (and every override). */
export function calendarFrom(data: CalendarData, fromYear: number): CalendarData {
  const overridden = new Set(data.overridden ?? []);
  const days: Record<string, CalendarDay> = {};
  for (const [date, day] of Object.entries(data.days)) {
    if (Number(date.slice(0, 4)) >= fromYear || overridden.has(date)) days[date] = day;
  }
  return { years: data.years.filter((year) => year >= fromYear), days, overridden: [...overridden].sort() };
}
