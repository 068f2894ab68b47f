import { Injectable } from '@nestjs/common';
import { formatDate } from '@xuncha/bpmn-engine';
import type { CalendarData } from '@xuncha/calendar';
import { calendarFrom, withOverrides } from '@xuncha/calendar';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import { CalendarRepository } from '@xuncha/persistence';

/** How long a loaded calendar is used before it is read again (edits in another process reach this one within it). */
const CALENDAR_TTL_MS = 60_000;

/** The year of an instant in China: 2026-12-31T20:00Z is already 2027. */
export function chinaYear(at: Date): number {
  return Number(formatDate(at.getTime()).slice(0, 4));
}

/**
 * The working-day calendar as instances get it: the shipped chinese-days data with the
 * administrators' overrides on top, read from the database and kept for a minute (or until
 * {@link invalidate}), in every process that starts instances.
 */
@Injectable()
export class CalendarSource {
  private cached: { data: Promise<CalendarData>; at: number } | undefined;

  constructor(private readonly repository: CalendarRepository) {}

  /** The whole calendar, overrides applied. */
  data(): Promise<CalendarData> {
    if (!this.cached || Date.now() - this.cached.at > CALENDAR_TTL_MS) {
      const data = this.load().catch((error: unknown) => {
        this.cached = undefined;
        throw error;
      });
      this.cached = { data, at: Date.now() };
    }
    return this.cached.data;
  }

  /** Forgets the loaded calendar: the next read sees an edit at once. */
  invalidate(): void {
    this.cached = undefined;
  }

  /** What an instance starting at `now` carries: the year before it on. */
  async snapshotFor(now: Date): Promise<CalendarData> {
    return calendarFrom(await this.data(), chinaYear(now) - 1);
  }

  private async load(): Promise<CalendarData> {
    const [overrides, years] = await Promise.all([this.repository.overrides(), this.repository.years()]);
    return withOverrides(
      chineseDaysCalendar(),
      overrides.map((row) => ({ date: row.date, kind: row.kind, note: row.note })),
      years.map((row) => row.year),
    );
  }
}
