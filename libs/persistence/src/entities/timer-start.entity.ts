import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A timer start event of a process's latest version and the Temporal Schedule that fires it. */
@Entity({ name: 'timer_start' })
export class TimerStart {
  @PrimaryColumn({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  @PrimaryColumn({ name: 'start_event_id', type: 'varchar', length: 255 })
  startEventId!: string;

  @Column({ name: 'definition_version', type: 'integer' })
  definitionVersion!: number;

  @Column({ name: 'schedule_id', type: 'varchar', length: 600 })
  scheduleId!: string;

  /** When the version was deployed: cycles without a start date count from here. */
  @Column({ type: 'timestamptz' })
  anchor!: Date;

  @Column({ type: 'integer', default: 0 })
  fired!: number;

  @Column({ name: 'last_fired_at', type: 'timestamptz', nullable: true })
  lastFiredAt!: Date | null;

  /** Set when no firing is left (a date that fired, a bounded cycle that ran out): its schedule is gone. */
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
