import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Creates the walking skeleton's table; the unique workflow id makes the activity idempotent. */
export class CreateSmokeRecord1763712000000 implements MigrationInterface {
  name = 'CreateSmokeRecord1763712000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "smoke_record" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "workflow_id" varchar(200) NOT NULL,
        "message" text NOT NULL,
        "recorded_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_smoke_record" PRIMARY KEY ("id"),
        CONSTRAINT "UQ_smoke_record_workflow_id" UNIQUE ("workflow_id")
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "smoke_record"`);
  }
}
