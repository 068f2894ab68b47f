import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Organisation scope: the unit of the directory a user belongs to, and the unit an instance
 * concerns (its start variable `unitId`), so the people of one inspected unit see only its
 * instances and tasks.
 */
export class UnitScope1765756800000 implements MigrationInterface {
  name = 'UnitScope1765756800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "app_user" ADD COLUMN "unit_id" varchar(64)`);
    await queryRunner.query(`ALTER TABLE "process_instance" ADD COLUMN "unit_id" varchar(64)`);
    await queryRunner.query(`CREATE INDEX "IDX_process_instance_unit" ON "process_instance" ("unit_id") WHERE "unit_id" IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_process_instance_unit"`);
    await queryRunner.query(`ALTER TABLE "process_instance" DROP COLUMN "unit_id"`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP COLUMN "unit_id"`);
  }
}
