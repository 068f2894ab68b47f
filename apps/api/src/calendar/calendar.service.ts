import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import type { CalendarData, CalendarOverride } from '@xuncha/calendar';
import { dayNumber, WorkingCalendar } from '@xuncha/calendar';
import type { Principal } from '@xuncha/contracts';
import { calendarChangedSignal, InvalidRequestError, NotFoundError } from '@xuncha/contracts';
import { CalendarRepository, ProcessInstanceRepository } from '@xuncha/persistence';
import { CalendarSource, chinaYear, TEMPORAL_CLIENT } from '@xuncha/runtime';

/** How far the calendar reaches, and the years that matter now but have no official data. */
export interface CalendarCoverage {
  firstYear: number;
  lastYear: number;
  /** This year and next, where not covered: enter them under /calendar as soon as the State Council publishes them. */
  missing: number[];
}

/**
 * The working-day calendar: the shipped chinese-days data with the process administrators' overrides
 * on top. Instances get a snapshot when they start; an edit is signalled to every active
 * instance, which uses it for expressions evaluated from then on (deadlines already computed
 * keep their value).
 */
@Injectable()
export class CalendarService {
  private readonly logger = new Logger(CalendarService.name);
  private readonly calendars = new WeakMap<CalendarData, WorkingCalendar>();

  constructor(
    private readonly repository: CalendarRepository,
    private readonly instances: ProcessInstanceRepository,
    private readonly source: CalendarSource,
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
  ) {}

  /** The whole calendar, overrides applied. */
  data(): Promise<CalendarData> {
    return this.source.data();
  }

  /**
   * The calendar to count with, one per loaded calendar data: lists count working days for every
   * row, and a calendar builds its counting tables on first use. (Its guesses outside the known
   * years are read only by the engine, which has calendars of its own.)
   */
  async calendar(): Promise<WorkingCalendar> {
    const data = await this.data();
    let calendar = this.calendars.get(data);
    if (!calendar) {
      calendar = new WorkingCalendar(data);
      this.calendars.set(data, calendar);
    }
    return calendar;
  }

  /** What an instance starting at `now` carries: the year before it on. */
  snapshotFor(now: Date): Promise<CalendarData> {
    return this.source.snapshotFor(now);
  }

  async coverage(now: Date): Promise<CalendarCoverage> {
    const data = await this.data();
    const year = chinaYear(now);
    return {
      firstYear: data.years[0] ?? year,
      lastYear: data.years[data.years.length - 1] ?? year,
      missing: [year, year + 1].filter((y) => !data.years.includes(y)),
    };
  }

  /** Days from `from` to `to` inclusive, as the calendar sees them (at most 366). */
  async days(from: string, to: string): Promise<Array<ReturnType<WorkingCalendar['describe']>>> {
    const first = this.date('from', from);
    const last = this.date('to', to);
    if (last < first) throw new InvalidRequestError('to', 'to must not be before from');
    if (last - first > 365) throw new InvalidRequestError('to', 'at most 366 days at a time');
    const calendar = await this.calendar();
    const days = [];
    for (let day = first; day <= last; day++) days.push(calendar.describe(new Date(day * 86_400_000).toISOString().slice(0, 10)));
    return days;
  }

  overrides() {
    return this.repository.overrides();
  }

  years() {
    return this.repository.years();
  }

  async setOverride(caller: Principal, override: CalendarOverride) {
    this.date('date', override.date);
    const row = await this.repository.setOverride(override, caller.sub);
    return { override: row, instancesNotified: await this.changed() };
  }

  async removeOverride(caller: Principal, date: string) {
    this.date('date', date);
    if (!(await this.repository.removeOverride(date))) throw new NotFoundError('calendar override', date);
    return { instancesNotified: await this.changed() };
  }

  async publishYear(caller: Principal, year: number, note: string | null) {
    const row = await this.repository.publishYear(year, note, caller.sub);
    return { year: row, instancesNotified: await this.changed() };
  }

  async unpublishYear(caller: Principal, year: number) {
    if (!(await this.repository.unpublishYear(year))) throw new NotFoundError('published calendar year', String(year));
    return { instancesNotified: await this.changed() };
  }

  private date(field: string, value: string): number {
    try {
      return dayNumber(value);
    } catch (error) {
      throw new InvalidRequestError(field, error instanceof Error ? error.message : String(error));
    }
  }

  /** Forgets the cached calendar and hands the new one to every active instance; answers how many took it. */
  private async changed(): Promise<number> {
    this.source.invalidate();
    const ids = await this.instances.activeIds();
    if (ids.length === 0) return 0;
    const now = new Date();
    const calendar = await this.snapshotFor(now);
    let notified = 0;
    for (const id of ids) {
      try {
        await this.client.workflow.getHandle(id).signal(calendarChangedSignal, { calendar });
        notified++;
      } catch (error) {
        this.logger.warn(`Instance ${id} did not take the new calendar: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return notified;
  }
}
