import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The Temporal Schedules that fire the timer start events of each process's latest version. */
export class TimerStartSchedules1764806400000 implements MigrationInterface {
  name = 'TimerStartSchedules1764806400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "timer_start" (
        "definition_key" varchar(255) NOT NULL,
        "start_event_id" varchar(255) NOT NULL,
        "definition_version" integer NOT NULL,
        "schedule_id" varchar(600) NOT NULL,
        "anchor" timestamptz NOT NULL,
        "fired" integer NOT NULL DEFAULT 0,
        "last_fired_at" timestamptz,
        "finished_at" timestamptz,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_timer_start" PRIMARY KEY ("definition_key", "start_event_id")
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "timer_start"`);
  }
}
