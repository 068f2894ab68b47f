import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the clue process records: the instance that handles each clue, its disposition, filing,
 * closing and outcomes (counts per person, no names), the feedback schedule; the history of each
 * clue (one row per recorded step, keyed so a retried job records it once); feedback given; the
 * letters (提醒函, 督办函) with their yearly numbers; and the text typed into form fields a model
 * keeps out of the process (task_content), so that no such text reaches a workflow's history.
 */
export class ClueProcess1765411200000 implements MigrationInterface {
  name = 'ClueProcess1765411200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE "clue"
        ADD COLUMN "instance_id" varchar(255),
        ADD COLUMN "disposition" varchar(32),
        ADD COLUMN "four_forms" smallint,
        ADD COLUMN "filed_on" date,
        ADD COLUMN "closed_on" date,
        ADD COLUMN "close_outcome" varchar(32),
        ADD COLUMN "outcomes" jsonb,
        ADD COLUMN "feedback_due" date,
        ADD COLUMN "feedback_count" integer NOT NULL DEFAULT 0,
        ADD COLUMN "changed_on" date`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_instance" ON "clue" ("instance_id") WHERE "instance_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_closed" ON "clue" ("closed_on") WHERE "closed_on" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_feedback_due" ON "clue" ("feedback_due") WHERE "closed_on" IS NULL`);
    await queryRunner.query(`
      CREATE TABLE "clue_event" (
        "id" bigserial PRIMARY KEY,
        "clue_id" uuid NOT NULL REFERENCES "clue" ("id") ON DELETE CASCADE,
        "event_key" varchar(300) NOT NULL UNIQUE,
        "kind" varchar(32) NOT NULL,
        "by" varchar(255),
        "on_date" date NOT NULL,
        "data" jsonb NOT NULL DEFAULT '{}',
        "at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_event_clue" ON "clue_event" ("clue_id", "id")`);
    await queryRunner.query(`
      CREATE TABLE "clue_feedback" (
        "id" bigserial PRIMARY KEY,
        "clue_id" uuid NOT NULL REFERENCES "clue" ("id") ON DELETE CASCADE,
        "period" integer NOT NULL,
        "due_on" date NOT NULL,
        "given_on" date NOT NULL,
        "given_by" varchar(255),
        "stage" varchar(32),
        "content_ref" varchar(64),
        CONSTRAINT "UQ_clue_feedback_period" UNIQUE ("clue_id", "period")
      )`);
    await queryRunner.query(`CREATE TABLE "letter_number" ("kind" varchar(32) NOT NULL, "year" integer NOT NULL, "last" integer NOT NULL, PRIMARY KEY ("kind", "year"))`);
    await queryRunner.query(`
      CREATE TABLE "clue_letter" (
        "id" uuid PRIMARY KEY,
        "clue_id" uuid NOT NULL REFERENCES "clue" ("id") ON DELETE CASCADE,
        "kind" varchar(32) NOT NULL,
        "cause" varchar(64) NOT NULL,
        "status" varchar(16) NOT NULL DEFAULT 'draft',
        "addressee" varchar(100) NOT NULL,
        "title" varchar(200) NOT NULL,
        "body" text NOT NULL,
        "drafted_on" date NOT NULL,
        "draft_key" varchar(300) NOT NULL UNIQUE,
        "number" varchar(60),
        "issued_on" date,
        "decided_by" varchar(255)
      )`);
    // One letter of a kind per cause (an overdue feedback, a stall) unless it was withdrawn.
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_clue_letter_cause" ON "clue_letter" ("clue_id", "kind", "cause") WHERE "status" <> 'withdrawn'`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_letter_clue" ON "clue_letter" ("clue_id", "drafted_on")`);
    await queryRunner.query(`
      CREATE TABLE "task_content" (
        "id" bigserial PRIMARY KEY,
        "instance_id" varchar(255) NOT NULL,
        "task_id" varchar(64) NOT NULL,
        "element_id" varchar(255) NOT NULL,
        "field" varchar(255) NOT NULL,
        "value" text NOT NULL,
        "author" varchar(255) NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_task_content_instance" ON "task_content" ("instance_id", "id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "task_content"`);
    await queryRunner.query(`DROP TABLE "clue_letter"`);
    await queryRunner.query(`DROP TABLE "letter_number"`);
    await queryRunner.query(`DROP TABLE "clue_feedback"`);
    await queryRunner.query(`DROP TABLE "clue_event"`);
    await queryRunner.query(`DROP INDEX "IDX_clue_feedback_due"`);
    await queryRunner.query(`DROP INDEX "IDX_clue_closed"`);
    await queryRunner.query(`DROP INDEX "IDX_clue_instance"`);
    await queryRunner.query(`
      ALTER TABLE "clue" DROP COLUMN "instance_id", DROP COLUMN "disposition", DROP COLUMN "four_forms", DROP COLUMN "filed_on",
        DROP COLUMN "closed_on", DROP COLUMN "close_outcome", DROP COLUMN "outcomes", DROP COLUMN "feedback_due",
        DROP COLUMN "feedback_count", DROP COLUMN "changed_on"`);
  }
}
