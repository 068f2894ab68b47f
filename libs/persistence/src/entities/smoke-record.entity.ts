import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One row written by the smoke workflow's activity; proves worker → TypeORM → Postgres. */
@Entity({ name: 'smoke_record' })
export class SmokeRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'workflow_id', type: 'varchar', length: 200, unique: true })
  workflowId!: string;

  @Column({ type: 'text' })
  message!: string;

  @CreateDateColumn({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;
}
