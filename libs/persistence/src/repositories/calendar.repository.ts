import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { CalendarOverride } from '@xuncha/calendar';
import { DataSource } from 'typeorm';
import { CalendarOverrideRow, CalendarYearRow } from '../entities/calendar.entity';

/** The administrators' part of the working-day calendar. */
@Injectable()
export class CalendarRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  overrides(): Promise<CalendarOverrideRow[]> {
    return this.dataSource.getRepository(CalendarOverrideRow).find({ order: { date: 'ASC' } });
  }

  years(): Promise<CalendarYearRow[]> {
    return this.dataSource.getRepository(CalendarYearRow).find({ order: { year: 'ASC' } });
  }

  /** Sets one date (insert or replace) in a single statement. */
  async setOverride(override: CalendarOverride, by: string): Promise<CalendarOverrideRow> {
    const rows: CalendarOverrideRow[] = await this.dataSource.query(
      `INSERT INTO calendar_override (date, kind, note, updated_by, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (date) DO UPDATE SET kind = EXCLUDED.kind, note = EXCLUDED.note, updated_by = EXCLUDED.updated_by, updated_at = now()
       RETURNING to_char(date, 'YYYY-MM-DD') AS date, kind, note, updated_by AS "updatedBy", updated_at AS "updatedAt"`,
      [override.date, override.kind, override.note, by],
    );
    return rows[0]!;
  }

  /** Removes one date's override; false when there was none. */
  async removeOverride(date: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(CalendarOverrideRow).delete({ date });
    return (result.affected ?? 0) > 0;
  }

  /** Marks a year as published (its arrangement entered as overrides). */
  async publishYear(year: number, note: string | null, by: string): Promise<CalendarYearRow> {
    const rows: CalendarYearRow[] = await this.dataSource.query(
      `INSERT INTO calendar_year (year, note, published_by, published_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (year) DO UPDATE SET note = EXCLUDED.note, published_by = EXCLUDED.published_by, published_at = now()
       RETURNING year, note, published_by AS "publishedBy", published_at AS "publishedAt"`,
      [year, note, by],
    );
    return rows[0]!;
  }

  async unpublishYear(year: number): Promise<boolean> {
    const result = await this.dataSource.getRepository(CalendarYearRow).delete({ year });
    return (result.affected ?? 0) > 0;
  }
}
