import type { InstanceState } from '@xuncha/contracts';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * Read model of one process instance (its workflow id is the id). Written by the API when it
 * starts an instance and kept current by the workflow; the workflow is the source of truth.
 */
@Entity({ name: 'process_instance' })
@Index('IDX_process_instance_definition', ['definitionKey', 'state'])
@Index('IDX_process_instance_business_key', ['businessKey'])
export class ProcessInstance {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  id!: string;

  @Column({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  @Column({ name: 'definition_version', type: 'integer' })
  definitionVersion!: number;

  /** The unit of the directory the instance concerns (its start variable `unitId`); null for instances that name none. */
  @Column({ name: 'unit_id', type: 'varchar', length: 64, nullable: true })
  unitId!: string | null;

  @Column({ name: 'business_key', type: 'varchar', length: 255, nullable: true })
  businessKey!: string | null;

  /** The round it belongs to (start variable `roundId`; a child takes its parent's). */
  @Column({ name: 'round_id', type: 'varchar', length: 64, nullable: true })
  roundId!: string | null;

  /** The office that handles it (start variable `officeId`; a child takes its parent's). */
  @Column({ name: 'office_id', type: 'varchar', length: 64, nullable: true })
  officeId!: string | null;

  @Column({ name: 'parent_id', type: 'varchar', length: 255, nullable: true })
  parentId!: string | null;

  @Column({ type: 'varchar', length: 16 })
  state!: InstanceState;

  @Column({ type: 'integer', default: 0 })
  incidents!: number;

  /** Final variables once the instance has ended; live variables come from the workflow. */
  @Column({ type: 'jsonb', nullable: true })
  variables!: Record<string, unknown> | null;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  /** The number of the last write applied (0.4.0 on); a write with a lower one is late and skipped. */
  @Column({ name: 'write_seq', type: 'bigint', nullable: true })
  writeSeq!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
