import type { DefinitionPermissions } from '@xuncha/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Who may deploy, start, read, cancel, retry and modify a process definition's instances; `*` for every other definition. */
@Entity({ name: 'definition_permission' })
export class DefinitionPermissionRow {
  @PrimaryColumn({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  /** Action → roles allowed it. */
  @Column({ type: 'jsonb' })
  rules!: DefinitionPermissions;

  @Column({ name: 'updated_by', type: 'varchar', length: 255 })
  updatedBy!: string;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
