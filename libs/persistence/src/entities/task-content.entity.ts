import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

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
