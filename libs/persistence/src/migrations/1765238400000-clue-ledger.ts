import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The clue ledger (台账): a line per clue that names no one, its details in a table of their own
 * (readable only by the clue's circle), the log of every read of them, and the yearly numbering
 * (巡移〔2026〕12号) kept by a counter row per year.
 */
export class ClueLedger1765238400000 implements MigrationInterface {
  name = 'ClueLedger1765238400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "clue_number" ("year" integer PRIMARY KEY, "last" integer NOT NULL)`);
    await queryRunner.query(`
      CREATE TABLE "clue" (
        "id" uuid PRIMARY KEY,
        "number" varchar(40) NOT NULL UNIQUE,
        "year" integer NOT NULL,
        "seq" integer NOT NULL,
        "round_id" uuid NOT NULL REFERENCES "inspection_round" ("id"),
        "unit_id" varchar(64) NOT NULL REFERENCES "org_unit" ("id"),
        "office_id" varchar(64) NOT NULL REFERENCES "org_unit" ("id"),
        "category" varchar(24) NOT NULL,
        "received_on" date NOT NULL,
        "restricted" boolean NOT NULL DEFAULT false,
        "status" varchar(24) NOT NULL DEFAULT 'registered',
        "owner" varchar(255),
        "registered_by" varchar(255) NOT NULL,
        "request_id" varchar(100) UNIQUE,
        "created_at" timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT "UQ_clue_year_seq" UNIQUE ("year", "seq")
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_round" ON "clue" ("round_id", "received_on", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_received" ON "clue" ("received_on" DESC, "id")`);
    // A person's own clues (registered or owned), for the ledger of someone outside the keeping bodies.
    // In the ledger's order, so a person's first page reads about as many rows as it shows.
    await queryRunner.query(`CREATE INDEX "IDX_clue_registered_by" ON "clue" ("registered_by", "received_on" DESC, "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_owner" ON "clue" ("owner", "received_on" DESC, "id") WHERE "owner" IS NOT NULL`);
    await queryRunner.query(`
      CREATE TABLE "clue_detail" (
        "clue_id" uuid PRIMARY KEY REFERENCES "clue" ("id") ON DELETE CASCADE,
        "summary" text NOT NULL,
        "persons" jsonb NOT NULL DEFAULT '[]'
      )`);
    await queryRunner.query(`
      CREATE TABLE "clue_access" (
        "id" bigserial PRIMARY KEY,
        "clue_id" uuid NOT NULL REFERENCES "clue" ("id") ON DELETE CASCADE,
        "sub" varchar(255) NOT NULL,
        "action" varchar(64) NOT NULL,
        "route" varchar(255) NOT NULL,
        "at" timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_access_clue" ON "clue_access" ("clue_id", "at")`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "clue_access"`);
    await queryRunner.query(`DROP TABLE "clue_detail"`);
    await queryRunner.query(`DROP TABLE "clue"`);
    await queryRunner.query(`DROP TABLE "clue_number"`);
  }
}
