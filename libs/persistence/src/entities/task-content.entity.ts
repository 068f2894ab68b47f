import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * Text typed into a form field that the model keeps out of the process (a form component with
 * the property `content`): the instance's variable holds only the reference "content:<id>", so
 * the text never reaches Temporal's history.
 */
@Entity({ name: 'task_content' })
export class TaskContent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  @Column({ name: 'task_id', type: 'varchar', length: 64 })
  taskId!: string;

  @Column({ name: 'element_id', type: 'varchar', length: 255 })
  elementId!: string;

  @Column({ type: 'varchar', length: 255 })
  field!: string;

  @Column({ type: 'text' })
  value!: string;

  @Column({ type: 'varchar', length: 255 })
  author!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}

/**
 * Everyone a task of an instance was ever assigned to, from the first assignment: a clue's past
 * assignees stay in its circle after a task is handed on. Written with the task rows.
 */
@Entity({ name: 'instance_assignee' })
export class InstanceAssignee {
  @PrimaryColumn({ type: 'varchar', length: 255 })
  sub!: string;

  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  @Column({ name: 'first_at', type: 'timestamptz', default: () => 'now()' })
  firstAt!: Date;
}
