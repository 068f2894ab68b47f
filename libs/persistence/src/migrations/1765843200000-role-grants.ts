import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Role grants of the directory, kept as a record: who asked for which role for whom, who
 * approved it (an administrator role takes a second administrator), and who revoked it.
 */
export class RoleGrants1765843200000 implements MigrationInterface {
  name = 'RoleGrants1765843200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "role_grant" (
        "id" uuid PRIMARY KEY,
        "sub" varchar(255) NOT NULL REFERENCES "app_user" ("sub"),
        "role" varchar(64) NOT NULL,
        "state" varchar(16) NOT NULL,
        "reason" varchar(200),
        "requested_by" varchar(255) NOT NULL,
        "requested_at" timestamptz NOT NULL DEFAULT now(),
        "decided_by" varchar(255),
        "decided_at" timestamptz
      )`);
    // One request waiting per person and role.
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_role_grant_pending" ON "role_grant" ("sub", "role") WHERE "state" = 'pending'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "role_grant"`);
  }
}
