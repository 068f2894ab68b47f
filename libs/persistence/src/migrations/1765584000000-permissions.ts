import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The rules every installation starts with (as DEFAULT_DEFINITION_PERMISSIONS read on the day of this migration). */
const SEEDED: Record<string, Record<string, string[]>> = {
  '*': {
    deploy: ['process-admin'],
    start: ['process-admin', 'inspection-office'],
    read: ['process-admin', 'inspection-office', 'supervisor'],
    cancel: ['process-admin'],
    retry: ['process-admin'],
    modify: ['process-admin'],
  },
  clue: {
    deploy: ['process-admin'],
    start: [],
    read: ['process-admin', 'commission-case-office', 'inspection-office', 'leading-group', 'supervisor'],
    cancel: ['process-admin'],
    retry: ['process-admin'],
    modify: ['process-admin'],
  },
  'clue-summary': {
    deploy: ['process-admin'],
    start: ['commission-case-office'],
    read: ['process-admin', 'commission-case-office', 'inspection-office'],
    cancel: ['process-admin'],
    retry: ['process-admin'],
    modify: ['process-admin'],
  },
};

/**
 * Permissions per process definition, and the end of the all-powerful `admin` group: its members
 * become process administrators (definitions, instances, calendar); users, roles and the audit
 * log have their own administrators, who are named afresh.
 */
export class Permissions1765584000000 implements MigrationInterface {
  name = 'Permissions1765584000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "definition_permission" (
        "definition_key" varchar(255) PRIMARY KEY,
        "rules" jsonb NOT NULL,
        "updated_by" varchar(255) NOT NULL,
        "updated_at" timestamptz NOT NULL DEFAULT now()
      )`);
    for (const [key, rules] of Object.entries(SEEDED)) {
      await queryRunner.query(`INSERT INTO "definition_permission" ("definition_key", "rules", "updated_by") VALUES ($1, $2, 'installation')`, [
        key,
        JSON.stringify(rules),
      ]);
    }
    await queryRunner.query(`
      UPDATE "app_user"
         SET "groups" = (SELECT jsonb_agg(DISTINCT CASE WHEN g = 'admin' THEN 'process-admin' ELSE g END) FROM jsonb_array_elements_text("groups") AS g)
       WHERE "groups" @> '["admin"]'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      UPDATE "app_user"
         SET "groups" = (SELECT jsonb_agg(DISTINCT CASE WHEN g = 'process-admin' THEN 'admin' ELSE g END) FROM jsonb_array_elements_text("groups") AS g)
       WHERE "groups" @> '["process-admin"]'`);
    await queryRunner.query(`DROP TABLE "definition_permission"`);
  }
}
