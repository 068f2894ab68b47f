import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Finding, ProcessGraph } from '@xuncha/bpmn';

/** One deployed version of a process definition: its XML, compiled graph and warnings. */
@Entity({ name: 'process_definition' })
@Index('UQ_process_definition_key_version', ['key', 'version'], { unique: true })
export class ProcessDefinitionVersion {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** The BPMN process id; versions of one key form its history. */
  @Column({ type: 'varchar', length: 255 })
  key!: string;

  @Column({ type: 'integer' })
  version!: number;

  /** SHA-256 of the XML; redeploying identical XML returns the existing version. */
  @Column({ type: 'char', length: 64 })
  checksum!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  name!: string | null;

  @Column({ type: 'text' })
  xml!: string;

  @Column({ type: 'jsonb' })
  graph!: ProcessGraph;

  @Column({ type: 'jsonb' })
  warnings!: Finding[];

  @CreateDateColumn({ name: 'deployed_at', type: 'timestamptz' })
  deployedAt!: Date;
}
