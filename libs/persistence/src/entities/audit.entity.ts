import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/**
 * One audited act: who (and in which roles) did what to which object with what result, from
 * where. Append-only (the database refuses updates and deletes outside pruning) and hash-chained.
 */
@Entity({ name: 'audit_record' })
export class AuditRecordRow {
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 255 })
  actor!: string;

  @Column({ type: 'jsonb' })
  roles!: string[];

  /** The route (`POST /tasks/:id/complete`) or a named act (`read-details`). */
  @Column({ type: 'varchar', length: 255 })
  action!: string;

  /** The route it came through (`GET /clues/:id`), when it came through one. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  route!: string | null;

  /** What was acted on: a path (`/tasks/…`) or `clue:<id>`. */
  @Column({ type: 'varchar', length: 512, nullable: true })
  object!: string | null;

  /** success, denied or failed. */
  @Column({ type: 'varchar', length: 16 })
  result!: string;

  @Column({ type: 'integer', nullable: true })
  status!: number | null;

  @Column({ type: 'varchar', length: 64, nullable: true })
  source!: string | null;

  @Column({ type: 'varchar', length: 16 })
  alg!: string;

  @Column({ name: 'prev_hash', type: 'char', length: 64 })
  prevHash!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;
}

/** A signed statement of how far the chain reached, and where it begins after pruning. */
@Entity({ name: 'audit_checkpoint' })
export class AuditCheckpointRow {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ type: 'bigint' })
  seq!: string;

  @Column({ type: 'char', length: 64 })
  hash!: string;

  @Column({ name: 'first_seq', type: 'bigint' })
  firstSeq!: string;

  @Column({ name: 'first_prev_hash', type: 'char', length: 64 })
  firstPrevHash!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'varchar', length: 16 })
  reason!: string;

  @Column({ type: 'varchar', length: 8 })
  alg!: string;

  /** From which record on every link is keyed (signed since the keyed chain; null on earlier checkpoints). */
  @Column({ name: 'keyed_from', type: 'bigint', nullable: true })
  keyedFrom!: string | null;

  @Column({ type: 'char', length: 64 })
  mac!: string;
}
