import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A date an administrator set as worked or off; it wins over the shipped calendar data. */
@Entity({ name: 'calendar_override' })
export class CalendarOverrideRow {
  /** YYYY-MM-DD. */
  @PrimaryColumn({ type: 'date' })
  date!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: 'workday' | 'holiday';

  @Column({ type: 'varchar', length: 255, nullable: true })
  note!: string | null;

  @Column({ name: 'updated_by', type: 'varchar', length: 255 })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}

/** A year whose official arrangement was entered by hand (its holidays and 调休 as overrides). */
@Entity({ name: 'calendar_year' })
export class CalendarYearRow {
  @PrimaryColumn({ type: 'integer' })
  year!: number;

  @Column({ type: 'varchar', length: 255, nullable: true })
  note!: string | null;

  @Column({ name: 'published_by', type: 'varchar', length: 255 })
  publishedBy!: string;

  @Column({ name: 'published_at', type: 'timestamptz', default: () => 'now()' })
  publishedAt!: Date;
}
