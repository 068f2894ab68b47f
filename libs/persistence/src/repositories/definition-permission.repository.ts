import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DefinitionPermissions } from '@xuncha/contracts';
import { ANY_DEFINITION, DEFAULT_DEFINITION_PERMISSIONS } from '@xuncha/contracts';
import { DataSource } from 'typeorm';
import { DefinitionPermissionRow } from '../entities/definition-permission.entity';

/** How long rules read from the table are reused; a change made through this process is seen at once. */
const CACHE_MS = 10_000;

/** A definition's rules as stored, and whether they are its own or those of every definition (`*`). */
export interface StoredDefinitionPermissions {
  definitionKey: string;
  rules: DefinitionPermissions;
  inherited: boolean;
  updatedBy: string | null;
  updatedAt: string | null;
}

/** Permissions per process definition (who deploys, starts, reads, cancels, retries, modifies). */
@Injectable()
export class DefinitionPermissionRepository {
  private cache: { at: number; rows: Map<string, DefinitionPermissionRow> } | undefined;

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The rules that apply to a definition: its own, else those of `*`. */
  async rulesFor(definitionKey: string): Promise<DefinitionPermissions> {
    return (await this.find(definitionKey)).rules;
  }

  /** The rules of every definition that has its own, and of `*`. */
  async all(): Promise<Map<string, DefinitionPermissions>> {
    const rows = await this.rows();
    return new Map([...rows].map(([key, row]) => [key, row.rules]));
  }

  async find(definitionKey: string): Promise<StoredDefinitionPermissions> {
    const rows = await this.rows();
    const own = rows.get(definitionKey);
    const row = own ?? rows.get(ANY_DEFINITION);
    return {
      definitionKey,
      rules: row?.rules ?? DEFAULT_DEFINITION_PERMISSIONS[ANY_DEFINITION]!,
      inherited: own === undefined,
      updatedBy: row?.updatedBy ?? null,
      updatedAt: row?.updatedAt.toISOString() ?? null,
    };
  }

  async set(definitionKey: string, rules: DefinitionPermissions, by: string): Promise<StoredDefinitionPermissions> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(DefinitionPermissionRow)
      .values({ definitionKey, rules, updatedBy: by, updatedAt: new Date() })
      .orUpdate(['rules', 'updated_by', 'updated_at'], ['definition_key'])
      .execute();
    this.cache = undefined;
    return this.find(definitionKey);
  }

  private async rows(): Promise<Map<string, DefinitionPermissionRow>> {
    if (this.cache && Date.now() - this.cache.at < CACHE_MS) return this.cache.rows;
    const rows = await this.dataSource.getRepository(DefinitionPermissionRow).find();
    this.cache = { at: Date.now(), rows: new Map(rows.map((row) => [row.definitionKey, row])) };
    return this.cache.rows;
  }
}
