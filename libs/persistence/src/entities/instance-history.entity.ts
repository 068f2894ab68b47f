import { Column, Entity, PrimaryColumn } from 'typeorm';

/** One entry of an instance's history, in order (`seq`): what the engine's trace said, kept beyond the workflow. */
@Entity({ name: 'instance_history' })
export class InstanceHistory {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  @PrimaryColumn({ type: 'integer' })
  seq!: number;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ name: 'element_id', type: 'varchar', length: 255 })
  elementId!: string;

  @Column({ name: 'element_instance_id', type: 'varchar', length: 64, nullable: true })
  elementInstanceId!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  by!: string | null;

  @Column({ type: 'text', nullable: true })
  detail!: string | null;
}
