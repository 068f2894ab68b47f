import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Which notices each person has read (the notice bell's unread count is kept by the server, not the browser). */
export class NoticeReads1766188800000 implements MigrationInterface {
  name = 'NoticeReads1766188800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "notice_read" (
        "sub" varchar(255) NOT NULL,
        "notice_key" varchar(400) NOT NULL,
        "read_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_notice_read" PRIMARY KEY ("sub", "notice_key")
      )`);
    // Fired reminders of open tasks, newest first: the notice feed reads them per person.
    await queryRunner.query(`CREATE INDEX "IDX_process_timer_fired_task" ON "process_timer" ("due_at" DESC) WHERE "state" = 'fired' AND "owner_task_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_letter_issued" ON "clue_letter" ("issued_on" DESC) WHERE "status" = 'issued'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_clue_letter_issued"`);
    await queryRunner.query(`DROP INDEX "IDX_process_timer_fired_task"`);
    await queryRunner.query(`DROP TABLE "notice_read"`);
  }
}
