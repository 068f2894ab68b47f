import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';

/** A person's password: its argon2id hash, and the failures in a row that lock it. */
export interface CredentialRow {
  sub: string;
  hash: string;
  mustChange: boolean;
  changedAt: Date;
  failedAttempts: number;
  lockedUntil: Date | null;
}

/** A login session: it ends when unused for the idle time, at its expiry, or when revoked. */
export interface SessionRow {
  id: string;
  sub: string;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  mustChange: boolean;
  revokedAt: Date | null;
  revokedReason: string | null;
}

/** Why a session ended before its time. */
export type RevokeReason = 'logout' | 'password-changed' | 'password-reset';

/** Rows an UPDATE … RETURNING answered: node-postgres gives [rows, count], PGlite the rows. */
function returned<T>(result: unknown): T[] {
  const rows = result as unknown[];
  return (Array.isArray(rows[0]) ? rows[0] : rows) as T[];
}

const CREDENTIAL = `"sub", "hash", "must_change" AS "mustChange", "changed_at" AS "changedAt", "failed_attempts" AS "failedAttempts", "locked_until" AS "lockedUntil"`;
const SESSION = `"id", "sub", "created_at" AS "createdAt", "last_seen_at" AS "lastSeenAt", "expires_at" AS "expiresAt", "must_change" AS "mustChange", "revoked_at" AS "revokedAt", "revoked_reason" AS "revokedReason"`;

/** Passwords and login sessions of the built-in login. */
@Injectable()
export class CredentialRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(sub: string): Promise<CredentialRow | null> {
    const rows = (await this.dataSource.query(`SELECT ${CREDENTIAL} FROM "user_credential" WHERE "sub" = $1`, [sub])) as CredentialRow[];
    return rows[0] ?? null;
  }

  /**
   * Takes one attempt at the password before it is checked, in one statement, so attempts at
   * once cannot check more than `attempts` guesses between two locks: an attempt counts as a
   * failure until it passes. Answers null when the account is locked or as many attempts as
   * allowed are already under way or spent.
   */
  async takeAttempt(sub: string, attempts: number, now: Date): Promise<CredentialRow | null> {
    const rows = returned<CredentialRow>(
      await this.dataSource.query(
        `UPDATE "user_credential" SET "failed_attempts" = "failed_attempts" + 1
         WHERE "sub" = $1 AND ("locked_until" IS NULL OR "locked_until" <= $2) AND "failed_attempts" < $3
         RETURNING ${CREDENTIAL}`,
        [sub, now, attempts],
      ),
    );
    return rows[0] ?? null;
  }

  /** Gives back an attempt whose password passed. */
  async giveBack(sub: string): Promise<void> {
    await this.dataSource.query(`UPDATE "user_credential" SET "failed_attempts" = GREATEST("failed_attempts" - 1, 0) WHERE "sub" = $1`, [sub]);
  }

  /**
   * An attempt that failed: it stays counted, and once `attempts` are spent the account is locked
   * until `lockUntil` and the count starts again. Answers the lock, if any.
   */
  async recordFailure(sub: string, attempts: number, lockUntil: Date): Promise<Date | null> {
    const rows = returned<{ lockedUntil: Date | null }>(
      await this.dataSource.query(
        `UPDATE "user_credential" SET
           "locked_until" = CASE WHEN "failed_attempts" >= $2 THEN $3 ELSE "locked_until" END,
           "failed_attempts" = CASE WHEN "failed_attempts" >= $2 THEN 0 ELSE "failed_attempts" END
         WHERE "sub" = $1
         RETURNING "locked_until" AS "lockedUntil"`,
        [sub, attempts, lockUntil],
      ),
    );
    return rows[0]?.lockedUntil ?? null;
  }

  /**
   * A login that passed: clears the failures and opens the session, unless the account was locked
   * meanwhile (a failure at the same moment spent the last attempt). Answers whether it opened.
   */
  async openSession(session: { id: string; sub: string; now: Date; expiresAt: Date; mustChange: boolean; source: string | null }): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const cleared = returned<{ sub: string }>(
        await manager.query(
          `UPDATE "user_credential" SET "failed_attempts" = 0, "last_login_at" = $2
           WHERE "sub" = $1 AND ("locked_until" IS NULL OR "locked_until" <= $2) RETURNING "sub"`,
          [session.sub, session.now],
        ),
      );
      if (cleared.length === 0) return false;
      await manager.query(
        `INSERT INTO "user_session" ("id", "sub", "created_at", "last_seen_at", "expires_at", "must_change", "source") VALUES ($1, $2, $3, $3, $4, $5, $6)`,
        [session.id, session.sub, session.now, session.expiresAt, session.mustChange, session.source?.slice(0, 64) ?? null],
      );
      return true;
    });
  }

  /**
   * Stores a new password hash (the person's first, a change, or a reset), clears failures and
   * lock, and ends the person's sessions for `reason`, except `keep` (the session that changed
   * it, which may now do more than change the password).
   */
  async setPassword(change: { sub: string; hash: string; mustChange: boolean; by: string; now: Date; reason: RevokeReason; keep?: string; replacing?: string }): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      // A change replaces the password it checked: a reset that landed meanwhile wins.
      if (change.replacing !== undefined) {
        const current = (await manager.query(`SELECT "hash" FROM "user_credential" WHERE "sub" = $1 FOR UPDATE`, [change.sub])) as Array<{ hash: string }>;
        if (current[0]?.hash !== change.replacing) return false;
      }
      await manager.query(
        `INSERT INTO "user_credential" ("sub", "hash", "must_change", "changed_at", "changed_by", "failed_attempts", "locked_until")
         VALUES ($1, $2, $3, $4, $5, 0, NULL)
         ON CONFLICT ("sub") DO UPDATE SET "hash" = EXCLUDED."hash", "must_change" = EXCLUDED."must_change", "changed_at" = EXCLUDED."changed_at",
           "changed_by" = EXCLUDED."changed_by", "failed_attempts" = 0, "locked_until" = NULL`,
        [change.sub, change.hash, change.mustChange, change.now, change.by],
      );
      await this.revokeOpen(manager, change.sub, change.reason, change.now, change.keep ?? null);
      if (change.keep) await manager.query(`UPDATE "user_session" SET "must_change" = false WHERE "id" = $1`, [change.keep]);
      return true;
    });
  }

  async session(id: string): Promise<SessionRow | null> {
    const rows = (await this.dataSource.query(`SELECT ${SESSION} FROM "user_session" WHERE "id" = $1`, [id])) as SessionRow[];
    return rows[0] ?? null;
  }

  /** Marks the session used now; written at most once a minute, so a busy session costs no write per call. */
  async touch(id: string, now: Date): Promise<void> {
    await this.dataSource.query(`UPDATE "user_session" SET "last_seen_at" = $2 WHERE "id" = $1 AND "last_seen_at" < $3`, [id, now, new Date(now.getTime() - 60_000)]);
  }

  /** Ends one session; answers whether it was open. */
  async revoke(id: string, reason: RevokeReason, now: Date): Promise<boolean> {
    const rows = returned<{ id: string }>(
      await this.dataSource.query(`UPDATE "user_session" SET "revoked_at" = $2, "revoked_reason" = $3 WHERE "id" = $1 AND "revoked_at" IS NULL RETURNING "id"`, [id, now, reason]),
    );
    return rows.length > 0;
  }

  private async revokeOpen(manager: EntityManager, sub: string, reason: RevokeReason, now: Date, keep: string | null): Promise<void> {
    await manager.query(
      `UPDATE "user_session" SET "revoked_at" = $2, "revoked_reason" = $3 WHERE "sub" = $1 AND "revoked_at" IS NULL AND ($4::uuid IS NULL OR "id" <> $4::uuid)`,
      [sub, now, reason, keep],
    );
  }
}
