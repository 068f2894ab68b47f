import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Messages as Camunda 8 keeps them: a message published with a time-to-live waits here for
 * subscriptions opened later; each reaches at most one instance per process id (a correlation
 * row per message and process); a message start event holds one active instance per
 * correlation key (a start lock per process id and key).
 */
export class BufferMessages1764720000000 implements MigrationInterface {
  name = 'BufferMessages1764720000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "message" (
        "key" bigserial NOT NULL,
        "name" varchar(255) NOT NULL,
        "correlation_key" varchar(255) NOT NULL,
        "variables" jsonb NOT NULL DEFAULT '{}',
        "message_id" varchar(255),
        "published_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        CONSTRAINT "PK_message" PRIMARY KEY ("key")
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_message_lookup" ON "message" ("name", "correlation_key", "key")`);
    await queryRunner.query(`CREATE INDEX "IDX_message_expiry" ON "message" ("expires_at")`);
    await queryRunner.query(`
      CREATE TABLE "message_correlation" (
        "message_key" bigint NOT NULL,
        "process_id" varchar(255) NOT NULL,
        "instance_id" varchar(255) NOT NULL,
        "subscription_id" varchar(64),
        "correlated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_message_correlation" PRIMARY KEY ("message_key", "process_id"),
        CONSTRAINT "FK_message_correlation_message" FOREIGN KEY ("message_key") REFERENCES "message" ("key") ON DELETE CASCADE
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_message_correlation_instance" ON "message_correlation" ("instance_id", "subscription_id")`);
    await queryRunner.query(`
      CREATE TABLE "message_start_lock" (
        "process_id" varchar(255) NOT NULL,
        "correlation_key" varchar(255) NOT NULL,
        "instance_id" varchar(255) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_message_start_lock" PRIMARY KEY ("process_id", "correlation_key")
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_message_start_lock_instance" ON "message_start_lock" ("instance_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "message_start_lock"`);
    await queryRunner.query(`DROP TABLE "message_correlation"`);
    await queryRunner.query(`DROP TABLE "message"`);
  }
}
