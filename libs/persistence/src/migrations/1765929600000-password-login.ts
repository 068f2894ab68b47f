import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Built-in password login: one credential per person of the directory (an argon2id hash, the
 * failures in a row and the lock they led to), and login sessions, which idle out and are
 * revoked by logout, a password change or a reset.
 */
export class PasswordLogin1765929600000 implements MigrationInterface {
  name = 'PasswordLogin1765929600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "user_credential" (
        "sub" varchar(255) PRIMARY KEY REFERENCES "app_user" ("sub"),
        "hash" text NOT NULL,
        "must_change" boolean NOT NULL,
        "changed_at" timestamptz NOT NULL,
        "changed_by" varchar(255) NOT NULL,
        "failed_attempts" integer NOT NULL DEFAULT 0,
        "locked_until" timestamptz,
        "last_login_at" timestamptz
      )`);
    await queryRunner.query(`
      CREATE TABLE "user_session" (
        "id" uuid PRIMARY KEY,
        "sub" varchar(255) NOT NULL REFERENCES "app_user" ("sub"),
        "created_at" timestamptz NOT NULL,
        "last_seen_at" timestamptz NOT NULL,
        "expires_at" timestamptz NOT NULL,
        "must_change" boolean NOT NULL,
        "source" varchar(64),
        "revoked_at" timestamptz,
        "revoked_reason" varchar(32)
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_user_session_open" ON "user_session" ("sub") WHERE "revoked_at" IS NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "user_session"`);
    await queryRunner.query(`DROP TABLE "user_credential"`);
  }
}
