import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Access to a clue's details granted by its owner, with the reason; revoked, not deleted, so the record stays. */
export class ClueGrants1765324800000 implements MigrationInterface {
  name = 'ClueGrants1765324800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "clue_grant" (
        "id" bigserial PRIMARY KEY,
        "clue_id" uuid NOT NULL REFERENCES "clue" ("id") ON DELETE CASCADE,
        "grantee" varchar(255) NOT NULL,
        "reason" varchar(200) NOT NULL,
        "granted_by" varchar(255) NOT NULL,
        "granted_at" timestamptz NOT NULL DEFAULT now(),
        "revoked_by" varchar(255),
        "revoked_at" timestamptz
      )`);
    // One grant in force per person and clue.
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_clue_grant_active" ON "clue_grant" ("clue_id", "grantee") WHERE "revoked_at" IS NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_clue_grant_grantee" ON "clue_grant" ("grantee") WHERE "revoked_at" IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "clue_grant"`);
  }
}
