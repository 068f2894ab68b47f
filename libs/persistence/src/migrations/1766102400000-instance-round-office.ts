import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The round and the office an instance belongs to (its start variables `roundId` and
 * `officeId`, which a clue's instance carries; a child takes its parent's), so that task lists
 * and the deadline board filter and group by them. Instances started before take them from
 * their clue, and their children from them.
 */
export class InstanceRoundOffice1766102400000 implements MigrationInterface {
  name = 'InstanceRoundOffice1766102400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "process_instance" ADD COLUMN "round_id" varchar(64), ADD COLUMN "office_id" varchar(64)`);
    await queryRunner.query(`CREATE INDEX "IDX_process_instance_round" ON "process_instance" ("round_id") WHERE "round_id" IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_process_instance_office" ON "process_instance" ("office_id") WHERE "office_id" IS NOT NULL`);
    await queryRunner.query(`
      UPDATE "process_instance" p SET "round_id" = c."round_id"::text, "office_id" = c."office_id"
      FROM "clue" c WHERE p."id" = 'clue-' || c."id"::text`);
    await queryRunner.query(`
      WITH RECURSIVE descendants AS (
        SELECT p."id", p."round_id", p."office_id" FROM "process_instance" p WHERE p."round_id" IS NOT NULL OR p."office_id" IS NOT NULL
        UNION ALL
        SELECT child."id", d."round_id", d."office_id" FROM "process_instance" child JOIN descendants d ON child."parent_id" = d."id"
      )
      UPDATE "process_instance" p SET "round_id" = d."round_id", "office_id" = d."office_id"
      FROM descendants d WHERE p."id" = d."id" AND p."round_id" IS NULL AND p."office_id" IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_process_instance_office"`);
    await queryRunner.query(`DROP INDEX "IDX_process_instance_round"`);
    await queryRunner.query(`ALTER TABLE "process_instance" DROP COLUMN "office_id", DROP COLUMN "round_id"`);
  }
}
