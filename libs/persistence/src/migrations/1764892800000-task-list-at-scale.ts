import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The inbox at a million open tasks: open tasks in due order (tasks without a due date last) by
 * an index the list reads in order and pages through by key, and the visibility filters
 * (candidate groups and users, owner, who completed it) served by indexes rather than a scan.
 */
export class TaskListAtScale1764892800000 implements MigrationInterface {
  name = 'TaskListAtScale1764892800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "IDX_user_task_open_by_due" ON "user_task" ((COALESCE("due_at", 'infinity'::timestamptz)), "id") WHERE "state" IN ('created', 'claimed')`,
    );
    await queryRunner.query(`CREATE INDEX "IDX_user_task_candidate_groups" ON "user_task" USING gin ("candidate_groups")`);
    await queryRunner.query(`CREATE INDEX "IDX_user_task_candidate_users" ON "user_task" USING gin ("candidate_users")`);
    await queryRunner.query(`CREATE INDEX "IDX_user_task_owner" ON "user_task" ("owner") WHERE "owner" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_user_task_completed_by" ON "user_task" ("completed_by") WHERE "completed_by" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['IDX_user_task_completed_by', 'IDX_user_task_owner', 'IDX_user_task_candidate_users', 'IDX_user_task_candidate_groups', 'IDX_user_task_open_by_due']) {
      await queryRunner.query(`DROP INDEX "${index}"`);
    }
  }
}
