import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What the rest of the clue process needs: durations a round sets for all its clues
 * (inspection_round.deadlines), files registered with a clue such as the transfer letter's scan
 * (clue_attachment, kept in Postgres like every other part of a clue), everyone a task of an
 * instance was ever assigned to (instance_assignee: a clue's past assignees stay in its circle
 * after a task is handed on), and the quarterly summaries the case office sends to the
 * inspection office (clue_summary, one workbook per round and quarter and summarising instance).
 */
export class ClueSummariesAndAttachments1765497600000 implements MigrationInterface {
  name = 'ClueSummariesAndAttachments1765497600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "inspection_round" ADD COLUMN "deadlines" jsonb`);
    await queryRunner.query(`
      CREATE TABLE "clue_attachment" (
        "id" uuid PRIMARY KEY,
        "clue_id" uuid NOT NULL REFERENCES "clue" ("id") ON DELETE CASCADE,
        "position" smallint NOT NULL,
        "name" varchar(255) NOT NULL,
        "content_type" varchar(100) NOT NULL,
        "size" integer NOT NULL,
        "sha256" char(64) NOT NULL,
        "content" bytea NOT NULL,
        "uploaded_by" varchar(255) NOT NULL,
        "uploaded_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_clue_attachment_position" UNIQUE ("clue_id", "position")
      )`);
    await queryRunner.query(`
      CREATE TABLE "instance_assignee" (
        "sub" varchar(255) NOT NULL,
        "instance_id" varchar(255) NOT NULL,
        "first_at" timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY ("sub", "instance_id")
      )`);
    await queryRunner.query(`INSERT INTO "instance_assignee" ("sub", "instance_id") SELECT DISTINCT "assignee", "instance_id" FROM "user_task" WHERE "assignee" IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE "clue_summary" (
        "id" uuid PRIMARY KEY,
        "instance_id" varchar(255) NOT NULL,
        "round_id" uuid NOT NULL REFERENCES "inspection_round" ("id"),
        "quarter" char(6) NOT NULL,
        "period_start" date NOT NULL,
        "period_end" date NOT NULL,
        "as_of" date NOT NULL,
        "figures" jsonb NOT NULL,
        "workbook" bytea NOT NULL,
        "sent_on" date,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_clue_summary_instance_round" UNIQUE ("instance_id", "round_id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_summary_round" ON "clue_summary" ("round_id", "quarter")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "clue_summary"`);
    await queryRunner.query(`DROP TABLE "instance_assignee"`);
    await queryRunner.query(`DROP TABLE "clue_attachment"`);
    await queryRunner.query(`ALTER TABLE "inspection_round" DROP COLUMN "deadlines"`);
  }
}
