import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit trail: hash-chained records, signed checkpoints, and the head of the chain that
 * serialises appends. The database refuses to change or delete a record, or to truncate either
 * table; pruning past the retention period deletes old records inside a transaction that says so
 * (`xuncha.audit_prune`) and signs a checkpoint first. A superuser can still get past the
 * triggers: the chain and the checkpoints then tell.
 */
export class AuditTrail1765670400000 implements MigrationInterface {
  name = 'AuditTrail1765670400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "audit_record" (
        "seq" bigint PRIMARY KEY,
        "at" timestamptz NOT NULL,
        "actor" varchar(255) NOT NULL,
        "roles" jsonb NOT NULL,
        "action" varchar(255) NOT NULL,
        "route" varchar(255),
        "object" varchar(512),
        "result" varchar(16) NOT NULL,
        "status" integer,
        "source" varchar(64),
        "alg" varchar(8) NOT NULL,
        "prev_hash" char(64) NOT NULL,
        "hash" char(64) NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_record_at" ON "audit_record" ("at")`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_record_actor" ON "audit_record" ("actor", "at")`);
    await queryRunner.query(`CREATE INDEX "IDX_audit_record_object" ON "audit_record" ("object", "at")`);
    await queryRunner.query(`
      CREATE TABLE "audit_checkpoint" (
        "id" bigserial PRIMARY KEY,
        "seq" bigint NOT NULL,
        "hash" char(64) NOT NULL,
        "first_seq" bigint NOT NULL,
        "first_prev_hash" char(64) NOT NULL,
        "at" timestamptz NOT NULL,
        "reason" varchar(16) NOT NULL,
        "alg" varchar(8) NOT NULL,
        "mac" char(64) NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE "audit_head" (
        "id" smallint PRIMARY KEY CHECK ("id" = 1),
        "seq" bigint NOT NULL,
        "hash" char(64) NOT NULL,
        "since_checkpoint" integer NOT NULL,
        "checkpoint_at" timestamptz NOT NULL
      )`);
    await queryRunner.query(`INSERT INTO "audit_head" VALUES (1, 0, repeat('0', 64), 0, now())`);
    await queryRunner.query(`
      CREATE FUNCTION "audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'audit_record' AND current_setting('xuncha.audit_prune', true) = 'on' THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the audit trail is append-only: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    for (const table of ['audit_record', 'audit_checkpoint']) {
      await queryRunner.query(`CREATE TRIGGER "${table}_append_only" BEFORE UPDATE OR DELETE ON "${table}" FOR EACH ROW EXECUTE FUNCTION "audit_append_only"()`);
      await queryRunner.query(`CREATE TRIGGER "${table}_no_truncate" BEFORE TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION "audit_append_only"()`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "audit_head"`);
    await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
    await queryRunner.query(`DROP TABLE "audit_record"`);
    await queryRunner.query(`DROP FUNCTION "audit_append_only"()`);
  }
}
