import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Read models of running processes: instances, their open message subscriptions, and delivered message ids. */
export class CreateProcessInstance1763827200000 implements MigrationInterface {
  name = 'CreateProcessInstance1763827200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "process_instance" (
        "id" varchar(255) NOT NULL,
        "definition_key" varchar(255) NOT NULL,
        "definition_version" integer NOT NULL,
        "business_key" varchar(255),
        "parent_id" varchar(255),
        "state" varchar(16) NOT NULL,
        "incidents" integer NOT NULL DEFAULT 0,
        "variables" jsonb,
        "started_at" timestamptz NOT NULL,
        "ended_at" timestamptz,
        "updated_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_process_instance" PRIMARY KEY ("id"),
        CONSTRAINT "CHK_process_instance_state" CHECK ("state" IN ('active', 'completed', 'cancelled', 'incident'))
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_process_instance_definition" ON "process_instance" ("definition_key", "state")`);
    await queryRunner.query(`CREATE INDEX "IDX_process_instance_business_key" ON "process_instance" ("business_key")`);
    await queryRunner.query(`
      CREATE TABLE "message_subscription" (
        "instance_id" varchar(255) NOT NULL,
        "subscription_id" varchar(64) NOT NULL,
        "element_id" varchar(255) NOT NULL,
        "message_name" varchar(255) NOT NULL,
        "correlation_key" varchar(255) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_message_subscription" PRIMARY KEY ("instance_id", "subscription_id")
      )
    `);
    await queryRunner.query(`CREATE INDEX "IDX_message_subscription_lookup" ON "message_subscription" ("message_name", "correlation_key")`);
    await queryRunner.query(`
      CREATE TABLE "message_delivery" (
        "message_id" varchar(255) NOT NULL,
        "name" varchar(255) NOT NULL,
        "correlation_key" varchar(255) NOT NULL,
        "outcome" jsonb,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "PK_message_delivery" PRIMARY KEY ("message_id")
      )
    `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "message_delivery"`);
    await queryRunner.query(`DROP TABLE "message_subscription"`);
    await queryRunner.query(`DROP TABLE "process_instance"`);
  }
}
