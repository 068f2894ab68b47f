import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { AppUser } from '../entities/app-user.entity';
import { RoleGrantRow } from '../entities/role-grant.entity';

/** People of the directory and the roles they are given, each grant kept as a record. */
@Injectable()
export class RoleGrantRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Adds a person, or renames and moves one; their roles are left as they are. Answers whether they are new. */
  async savePerson(person: { sub: string; name: string; unitId: string | null }): Promise<boolean> {
    const rows = (await this.dataSource.query(
      `INSERT INTO "app_user" ("sub", "name", "groups", "unit_id") VALUES ($1, $2, '[]'::jsonb, $3)
       ON CONFLICT ("sub") DO UPDATE SET "name" = EXCLUDED."name", "unit_id" = EXCLUDED."unit_id"
       RETURNING (xmax = 0) AS "created"`,
      [person.sub, person.name, person.unitId],
    )) as Array<{ created: boolean }>;
    return rows[0]?.created ?? false;
  }

  /** Records a request that waits for a second administrator. */
  async request(grant: { sub: string; role: string; reason: string | null; requestedBy: string }): Promise<RoleGrantRow> {
    const row = { id: randomUUID(), ...grant, state: 'pending' as const, requestedAt: new Date(), decidedBy: null, decidedAt: null };
    await this.dataSource.getRepository(RoleGrantRow).insert(row);
    return row;
  }

  /**
   * Gives the role at once and records it, in one transaction; `check` sees the person's roles
   * under a lock first (and throws to refuse), so two grants at once cannot both pass it.
   */
  async grant(grant: { sub: string; role: string; reason: string | null; requestedBy: string }, check: (groups: string[]) => void): Promise<RoleGrantRow> {
    return this.dataSource.transaction(async (manager) => {
      check(await this.lockGroups(manager, grant.sub));
      const now = new Date();
      const row = { id: randomUUID(), ...grant, state: 'granted' as const, requestedAt: now, decidedBy: grant.requestedBy, decidedAt: now };
      await manager.getRepository(RoleGrantRow).insert(row);
      await this.addRole(manager, grant.sub, grant.role);
      return row;
    });
  }

  /** Decides a pending request (a grant passes `check` under a lock first); answers null when it is no longer pending. */
  async decide(id: string, decision: 'granted' | 'refused', by: string, check: (groups: string[], role: string) => void): Promise<RoleGrantRow | null> {
    return this.dataSource.transaction(async (manager) => {
      const row = await manager.getRepository(RoleGrantRow).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row || row.state !== 'pending') return null;
      if (decision === 'granted') check(await this.lockGroups(manager, row.sub), row.role);
      Object.assign(row, { state: decision, decidedBy: by, decidedAt: new Date() });
      await manager.getRepository(RoleGrantRow).save(row);
      if (decision === 'granted') await this.addRole(manager, row.sub, row.role);
      return row;
    });
  }

  /** Takes a role back and records who did; answers false when the person did not hold it. */
  async revoke(sub: string, role: string, by: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const result = (await manager.query(
        `UPDATE "app_user" SET "groups" = "groups" - $2::text WHERE "sub" = $1 AND "groups" ? $2::text RETURNING "sub"`,
        [sub, role],
      )) as unknown[];
      const updated = Array.isArray(result[0]) ? (result[0] as unknown[]).length : result.length;
      if (updated === 0) return false;
      const now = new Date();
      await manager.getRepository(RoleGrantRow).insert({ id: randomUUID(), sub, role, state: 'revoked', reason: null, requestedBy: by, requestedAt: now, decidedBy: by, decidedAt: now });
      return true;
    });
  }

  find(id: string): Promise<RoleGrantRow | null> {
    return this.dataSource.getRepository(RoleGrantRow).findOneBy({ id });
  }

  list(state?: RoleGrantRow['state']): Promise<RoleGrantRow[]> {
    return this.dataSource.getRepository(RoleGrantRow).find({ where: state ? { state } : {}, order: { requestedAt: 'DESC', id: 'ASC' }, take: 500 });
  }

  private async lockGroups(manager: EntityManager, sub: string): Promise<string[]> {
    const [row] = (await manager.query(`SELECT "groups" FROM "app_user" WHERE "sub" = $1 FOR UPDATE`, [sub])) as Array<{ groups: string[] }>;
    return row?.groups ?? [];
  }

  private async addRole(manager: EntityManager, sub: string, role: string): Promise<void> {
    await manager
      .getRepository(AppUser)
      .createQueryBuilder()
      .update()
      .set({ groups: () => `CASE WHEN "groups" ? :role THEN "groups" ELSE "groups" || to_jsonb(CAST(:role AS text)) END` })
      .where('sub = :sub', { sub })
      .setParameters({ role })
      .execute();
  }
}
