import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Drops the walking skeleton's table: process instances replaced the smoke workflow that wrote it. */
export class DropSmokeRecord1764633600000 implements MigrationInterface {
  name = 'DropSmokeRecord1764633600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS "smoke_record"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
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
}
