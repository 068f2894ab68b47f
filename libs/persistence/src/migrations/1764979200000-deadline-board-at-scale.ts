import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The deadline board at a million open tasks and a hundred thousand pending timers: each kind
 * is read in the board's order (due instant, instance, id) from its own partial index, so a
 * page reads about as many rows as it shows, and timers carry the people of their task.
 */
export class DeadlineBoardAtScale1764979200000 implements MigrationInterface {
  name = 'DeadlineBoardAtScale1764979200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // A timer on a task carries the task's people (kept current by the instance record), so a
    // member's timers are found in due order without probing the task table for every timer.
    await queryRunner.query(`
      ALTER TABLE "process_timer"
        ADD COLUMN "assignee" varchar(255),
        ADD COLUMN "candidate_groups" jsonb NOT NULL DEFAULT '[]',
        ADD COLUMN "candidate_users" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`
      UPDATE "process_timer" p SET "assignee" = u."assignee", "candidate_groups" = u."candidate_groups", "candidate_users" = u."candidate_users"
      FROM "user_task" u WHERE u."instance_id" = p."instance_id" AND u."task_id" = p."owner_task_id"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_user_task_open_deadline" ON "user_task" ("due_at", "instance_id", "id") WHERE "state" IN ('created', 'claimed') AND "due_at" IS NOT NULL`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_process_timer_pending_deadline" ON "process_timer" ("due_at", "instance_id", "timer_id") WHERE "state" = 'pending'`);
    // Superseded by the two above (and by IDX_user_task_open_by_due for the inbox).
    await queryRunner.query(`DROP INDEX "IDX_user_task_open_due"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_user_task_open_due" ON "user_task" ("state", "due_at")`);
    await queryRunner.query(`DROP INDEX "IDX_process_timer_pending_deadline"`);
    await queryRunner.query(`DROP INDEX "IDX_user_task_open_deadline"`);
    await queryRunner.query(`ALTER TABLE "process_timer" DROP COLUMN "candidate_users", DROP COLUMN "candidate_groups", DROP COLUMN "assignee"`);
  }
}
