import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { CalendarService } from '../calendar/calendar.service';

/**
 * The working-day calendar's reach. Always up (deadlines are still computed), but names this or
 * next year when no official data covers it, so operators enter it before deadlines need it.
 */
@Injectable()
export class CalendarHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly calendar: CalendarService,
  ) {}

  async check(key = 'calendar') {
    const indicator = this.health.check(key);
    try {
      const coverage = await this.calendar.coverage(new Date());
      const details: Record<string, unknown> = { years: `${coverage.firstYear}–${coverage.lastYear}`, missing: coverage.missing };
      if (coverage.missing.length > 0) {
        details.message = `no official working-day data for ${coverage.missing.join(', ')}: deadlines there are counted Monday–Friday and flagged; enter the arrangement under /calendar`;
      }
      return indicator.up(details);
    } catch (error) {
      // The calendar lives in the database; its own indicator reports the outage.
      return indicator.up({ message: `calendar not readable: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
}
