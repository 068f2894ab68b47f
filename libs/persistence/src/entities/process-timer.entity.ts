import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A timer of a process instance: pending until it fires or its element ends (the deadline board reads the pending ones). */
@Entity({ name: 'process_timer' })
export class ProcessTimer {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  @PrimaryColumn({ name: 'timer_id', type: 'varchar', length: 64 })
  timerId!: string;

  @Column({ name: 'element_id', type: 'varchar', length: 255 })
  elementId!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name!: string | null;

  /** The user task (engine element instance id) a boundary timer is attached to, whose people the deadline concerns. */
  @Column({ name: 'owner_task_id', type: 'varchar', length: 64, nullable: true })
  ownerTaskId!: string | null;

  /** The people of that task, kept current as it is handed over (none for a timer on no task). */
  @Column({ type: 'varchar', length: 255, nullable: true })
  assignee!: string | null;

  @Column({ name: 'candidate_groups', type: 'jsonb' })
  candidateGroups!: string[];

  @Column({ name: 'candidate_users', type: 'jsonb' })
  candidateUsers!: string[];

  @Column({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  @Column({ name: 'business_key', type: 'varchar', length: 255, nullable: true })
  businessKey!: string | null;

  @Column({ name: 'due_at', type: 'timestamptz' })
  dueAt!: Date;

  @Column({ type: 'varchar', length: 16 })
  state!: 'pending' | 'fired' | 'cancelled';

  @Column({ type: 'text', nullable: true })
  warning!: string | null;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
