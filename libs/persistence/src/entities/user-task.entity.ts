import type { TaskState } from '@xuncha/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** Read model of one user task, written only from the workflow (which owns the task's state). */
@Entity({ name: 'user_task' })
export class UserTask {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  /** The engine's element instance id within the instance. */
  @Column({ name: 'task_id', type: 'varchar', length: 64 })
  taskId!: string;

  @Column({ name: 'element_id', type: 'varchar', length: 255 })
  elementId!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  name!: string | null;

  @Column({ name: 'definition_key', type: 'varchar', length: 255 })
  definitionKey!: string;

  @Column({ name: 'business_key', type: 'varchar', length: 255, nullable: true })
  businessKey!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  assignee!: string | null;

  @Column({ type: 'varchar', length: 255, nullable: true })
  owner!: string | null;

  @Column({ type: 'varchar', length: 16, nullable: true })
  delegation!: 'pending' | 'resolved' | null;

  @Column({ name: 'candidate_groups', type: 'jsonb' })
  candidateGroups!: string[];

  @Column({ name: 'candidate_users', type: 'jsonb' })
  candidateUsers!: string[];

  @Column({ type: 'integer' })
  priority!: number;

  @Column({ name: 'due_at', type: 'timestamptz', nullable: true })
  dueAt!: Date | null;

  @Column({ name: 'follow_up_at', type: 'timestamptz', nullable: true })
  followUpAt!: Date | null;

  @Column({ name: 'form_id', type: 'varchar', length: 255, nullable: true })
  formId!: string | null;

  @Column({ name: 'form_key', type: 'varchar', length: 255, nullable: true })
  formKey!: string | null;

  @Column({ type: 'jsonb' })
  warnings!: string[];

  @Column({ type: 'varchar', length: 16 })
  state!: TaskState;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'claimed_at', type: 'timestamptz', nullable: true })
  claimedAt!: Date | null;

  @Column({ name: 'ended_at', type: 'timestamptz', nullable: true })
  endedAt!: Date | null;

  @Column({ name: 'completed_by', type: 'varchar', length: 255, nullable: true })
  completedBy!: string | null;

  /** The client's request id of the completion, so a repeated request gets the same answer. */
  @Column({ name: 'request_id', type: 'varchar', length: 255, nullable: true })
  requestId!: string | null;

  /** Bumped by the workflow on every change; older writes never overwrite newer ones. */
  @Column({ type: 'integer' })
  revision!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
