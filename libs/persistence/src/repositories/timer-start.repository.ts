import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { TimerStart } from '../entities/timer-start.entity';

/** Port for the timer start events that have schedules, one row per process key and start event. */
@Injectable()
export class TimerStartRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  of(definitionKey: string): Promise<TimerStart[]> {
    return this.dataSource.getRepository(TimerStart).find({ where: { definitionKey }, order: { startEventId: 'ASC' } });
  }

  find(definitionKey: string, startEventId: string): Promise<TimerStart | null> {
    return this.dataSource.getRepository(TimerStart).findOneBy({ definitionKey, startEventId });
  }

  /** Every row still firing. */
  active(): Promise<TimerStart[]> {
    return this.dataSource.getRepository(TimerStart).find({ where: { finishedAt: IsNull() }, order: { definitionKey: 'ASC', startEventId: 'ASC' } });
  }

  async save(row: Omit<TimerStart, 'createdAt' | 'fired' | 'lastFiredAt' | 'finishedAt'>): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO timer_start (definition_key, start_event_id, definition_version, schedule_id, anchor, fired, last_fired_at, finished_at, created_at)
       VALUES ($1, $2, $3, $4, $5, 0, NULL, NULL, now())
       ON CONFLICT (definition_key, start_event_id) DO UPDATE SET definition_version = EXCLUDED.definition_version, schedule_id = EXCLUDED.schedule_id,
         anchor = EXCLUDED.anchor, fired = 0, last_fired_at = NULL, finished_at = NULL, created_at = now()`,
      [row.definitionKey, row.startEventId, row.definitionVersion, row.scheduleId, row.anchor.toISOString()],
    );
  }

  async remove(definitionKey: string, startEventId: string): Promise<void> {
    await this.dataSource.getRepository(TimerStart).delete({ definitionKey, startEventId });
  }

  /** Counts a firing once, however often the activity that reports it runs. */
  async fired(definitionKey: string, startEventId: string, version: number, at: Date): Promise<void> {
    await this.dataSource.query(
      `UPDATE timer_start SET fired = fired + 1, last_fired_at = $4
       WHERE definition_key = $1 AND start_event_id = $2 AND definition_version = $3 AND (last_fired_at IS NULL OR last_fired_at < $4)`,
      [definitionKey, startEventId, version, at.toISOString()],
    );
  }

  async finish(definitionKey: string, startEventId: string, version: number): Promise<void> {
    await this.dataSource.query(`UPDATE timer_start SET finished_at = now() WHERE definition_key = $1 AND start_event_id = $2 AND definition_version = $3`, [
      definitionKey,
      startEventId,
      version,
    ]);
  }
}
