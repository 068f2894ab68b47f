import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Principal } from '@xuncha/contracts';
import { DataSource } from 'typeorm';
import { AppUser } from '../entities/app-user.entity';

/** The user directory. */
@Injectable()
export class UserRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async find(sub: string): Promise<Principal | null> {
    const row = await this.dataSource.getRepository(AppUser).findOneBy({ sub });
    return row ? { sub: row.sub, name: row.name, groups: row.groups, unit: row.unitId } : null;
  }

  async list(): Promise<Principal[]> {
    const rows = await this.dataSource.getRepository(AppUser).find({ order: { sub: 'ASC' } });
    return rows.map((row) => ({ sub: row.sub, name: row.name, groups: row.groups, unit: row.unitId }));
  }

  /** Adds users that are not there yet; existing ones are left as they are. Answers how many were added. */
  async seed(users: Principal[]): Promise<number> {
    if (users.length === 0) return 0;
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(AppUser)
      .values(users.map((user) => ({ sub: user.sub, name: user.name, groups: user.groups, unitId: user.unit ?? null })))
      .orIgnore()
      .returning(['sub'])
      .execute();
    return (result.raw as unknown[]).length;
  }
}
