import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The organisation directory (units) and inspection rounds as records of their own: a round
 * names the units it inspects; later processes (clues, rectification, the round itself) hang
 * from a round and a unit.
 */
export class RoundsAndUnits1765152000000 implements MigrationInterface {
  name = 'RoundsAndUnits1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "org_unit" (
        "id" varchar(64) PRIMARY KEY,
        "name" varchar(100) NOT NULL,
        "kind" varchar(32) NOT NULL,
        "parent_id" varchar(64) REFERENCES "org_unit" ("id"),
        "created_at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_org_unit_kind" ON "org_unit" ("kind", "id")`);
    await queryRunner.query(`
      CREATE TABLE "inspection_round" (
        "id" uuid PRIMARY KEY,
        "name" varchar(100) NOT NULL,
        "kind" varchar(16) NOT NULL,
        "period_start" date NOT NULL,
        "period_end" date NOT NULL,
        "state" varchar(16) NOT NULL DEFAULT 'planned',
        "request_id" varchar(100) UNIQUE,
        "created_by" varchar(255) NOT NULL,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "CHK_inspection_round_period" CHECK ("period_start" <= "period_end")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_inspection_round_period" ON "inspection_round" ("period_start" DESC, "id")`);
    await queryRunner.query(`
      CREATE TABLE "inspection_round_unit" (
        "round_id" uuid NOT NULL REFERENCES "inspection_round" ("id") ON DELETE CASCADE,
        "unit_id" varchar(64) NOT NULL REFERENCES "org_unit" ("id"),
        "position" integer NOT NULL,
        PRIMARY KEY ("round_id", "unit_id")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_inspection_round_unit_unit" ON "inspection_round_unit" ("unit_id")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "inspection_round_unit"`);
    await queryRunner.query(`DROP TABLE "inspection_round"`);
    await queryRunner.query(`DROP TABLE "org_unit"`);
  }
}
