import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The audit chain keyed: records are linked by HMAC from now on (`hmac-sm3`, `hmac-sha256`; the
 * records before keep their plain links, and from `keyed_from` on a plain link is refused), and
 * the head carries a MAC, so neither a rewritten tail nor one cut back verifies without
 * AUDIT_HMAC_KEY. The head's number only grows.
 */
export class KeyedAuditChain1766016000000 implements MigrationInterface {
  name = 'KeyedAuditChain1766016000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Widening a varchar neither rewrites the rows nor fires their triggers.
    await queryRunner.query(`ALTER TABLE "audit_record" ALTER COLUMN "alg" TYPE varchar(16)`);
    // From the next record on every link is keyed: kept on the head (which may not change it) and
    // signed into every checkpoint from now on, so a downgraded tail is found.
    await queryRunner.query(`ALTER TABLE "audit_head" ADD COLUMN "mac" char(64), ADD COLUMN "mac_alg" varchar(8), ADD COLUMN "keyed_from" bigint`);
    await queryRunner.query(`UPDATE "audit_head" SET "keyed_from" = "seq" + 1`);
    await queryRunner.query(`ALTER TABLE "audit_checkpoint" ADD COLUMN "keyed_from" bigint`);
    await queryRunner.query(`
      CREATE FUNCTION "audit_head_forward"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'UPDATE' THEN
          RAISE EXCEPTION 'the audit head is kept: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW."keyed_from" IS DISTINCT FROM OLD."keyed_from" THEN
          RAISE EXCEPTION 'the audit head keeps where the keyed chain began' USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF NEW."seq" < OLD."seq" THEN
          RAISE EXCEPTION 'the audit head only moves forward: % to % refused', OLD."seq", NEW."seq" USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`CREATE TRIGGER "audit_head_forward" BEFORE UPDATE OR DELETE ON "audit_head" FOR EACH ROW EXECUTE FUNCTION "audit_head_forward"()`);
    await queryRunner.query(`CREATE TRIGGER "audit_head_no_truncate" BEFORE TRUNCATE ON "audit_head" FOR EACH STATEMENT EXECUTE FUNCTION "audit_head_forward"()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "audit_head_no_truncate" ON "audit_head"`);
    await queryRunner.query(`DROP TRIGGER "audit_head_forward" ON "audit_head"`);
    await queryRunner.query(`DROP FUNCTION "audit_head_forward"()`);
    await queryRunner.query(`ALTER TABLE "audit_checkpoint" DROP COLUMN "keyed_from"`);
    await queryRunner.query(`ALTER TABLE "audit_head" DROP COLUMN "mac", DROP COLUMN "mac_alg", DROP COLUMN "keyed_from"`);
  }
}
