import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Deployed definition versions; (key, version) is unique and versions count up per key. */
export class CreateProcessDefinition1763740800000 implements MigrationInterface {
  name = 'CreateProcessDefinition1763740800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "process_definition" (
        "id" uuid NOT NULL DEFAULT gen_random_uuid(),
        "key" varchar(255) NOT NULL,
        "version" integer NOT NULL,
        "checksum" char(64) NOT NULL,
        "name" varchar(500),
        "xml" text NOT NULL,
        "graph" jsonb NOT NULL,
        "warnings" jsonb NOT NULL DEFAULT '[]'::jsonb,
        "deployed_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_process_definition" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_process_definition_version" CHECK ("version" >= 1)
      )
    `);
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_process_definition_key_version" ON "process_definition" ("key", "version")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "process_definition"`);
  }
}
