import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Instance writes carry a sequence number (0.4.0 on): a write a job activity carried applies only
 * if no later write of the instance was applied first. Rows of earlier releases have none.
 */
export class NumberedInstanceWrites1765065600000 implements MigrationInterface {
  name = 'NumberedInstanceWrites1765065600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "process_instance" ADD COLUMN "write_seq" bigint`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "process_instance" DROP COLUMN "write_seq"`);
  }
}
