import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Human work and time: the user directory, user tasks, pending process timers, the element
 * history of instances, and the working-day calendar's overrides and published years.
 */
export class CreateTasksAndCalendar1763913600000 implements MigrationInterface {
  name = 'CreateTasksAndCalendar1763913600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "app_user" (
        "sub" varchar(255) NOT NULL,
        "name" varchar(255) NOT NULL,
        "groups" jsonb NOT NULL DEFAULT '[]',
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_app_user" PRIMARY KEY ("sub")
      )
    `);
    await queryRunner.query(`
      CREATE TABLE "user_task" (
        "id" bigserial NOT NULL,
        "instance_id" varchar(255) NOT NULL,
        "task_id" varchar(64) NOT NULL,
        "element_id" varchar(255) NOT NULL,
        "name" varchar(255),
        "definition_key" varchar(255) NOT NULL,
        "business_key" varchar(255),
        "assignee" varchar(255),
        "owner" varchar(255),
        "delegation" varchar(16),
        "candidate_groups" jsonb NOT NULL DEFAULT '[]',
        "candidate_users" jsonb NOT NULL DEFAULT '[]',
        "priority" integer NOT NULL DEFAULT 50,
        "due_at" timestamptz,
        "follow_up_at" timestamptz,
        "form_id" varchar(255),
        "form_key" varchar(255),
        "warnings" jsonb NOT NULL DEFAULT '[]',
        "state" varchar(16) NOT NULL,
        "created_at" timestamptz NOT NULL,
        "claimed_at" timestamptz,
        "ended_at" timestamptz,
        "completed_by" varchar(255),
        "request_id" varchar(255),
        "revision" integer NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_user_task" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_user_task_instance_task" UNIQUE ("instance_id", "task_id"),
        CONSTRAINT "CHK_user_task_state" CHECK ("state" IN ('created', 'claimed', 'completed', 'cancelled')),
        CONSTRAINT "CHK_user_task_delegation" CHECK ("delegation" IS NULL OR "delegation" IN ('pending', 'resolved'))
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_user_task_open_due" ON "user_task" ("state", "due_at")`);
    await queryRunner.query(`CREATE INDEX "IDX_user_task_assignee" ON "user_task" ("assignee", "state")`);
    await queryRunner.query(`
      CREATE TABLE "process_timer" (
        "instance_id" varchar(255) NOT NULL,
        "timer_id" varchar(64) NOT NULL,
        "element_id" varchar(255) NOT NULL,
        "name" varchar(255),
        "owner_task_id" varchar(64),
        "definition_key" varchar(255) NOT NULL,
        "business_key" varchar(255),
        "due_at" timestamptz NOT NULL,
        "state" varchar(16) NOT NULL,
        "warning" text,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_process_timer" PRIMARY KEY ("instance_id", "timer_id"),
        CONSTRAINT "CHK_process_timer_state" CHECK ("state" IN ('pending', 'fired', 'cancelled'))
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_process_timer_pending_due" ON "process_timer" ("state", "due_at")`);
    await queryRunner.query(`
      CREATE TABLE "instance_history" (
        "instance_id" varchar(255) NOT NULL,
        "seq" integer NOT NULL,
        "at" timestamptz NOT NULL,
        "kind" varchar(32) NOT NULL,
        "element_id" varchar(255) NOT NULL,
        "element_instance_id" varchar(64),
        "by" varchar(255),
        "detail" text,
        CONSTRAINT "PK_instance_history" PRIMARY KEY ("instance_id", "seq")
      )
    `);
    await queryRunner.query(`
      CREATE TABLE "calendar_override" (
        "date" date NOT NULL,
        "kind" varchar(16) NOT NULL,
        "note" varchar(255),
        "updated_by" varchar(255) NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_calendar_override" PRIMARY KEY ("date"),
        CONSTRAINT "CHK_calendar_override_kind" CHECK ("kind" IN ('workday', 'holiday'))
      )
    `);
    await queryRunner.query(`
      CREATE TABLE "calendar_year" (
        "year" integer NOT NULL,
        "note" varchar(255),
        "published_by" varchar(255) NOT NULL,
        "published_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_calendar_year" PRIMARY KEY ("year")
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['calendar_year', 'calendar_override', 'instance_history', 'process_timer', 'user_task', 'app_user']) {
      await queryRunner.query(`DROP TABLE "${table}"`);
    }
  }
}
