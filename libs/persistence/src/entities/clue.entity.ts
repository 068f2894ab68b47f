import { Column, Entity, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** Kinds of problem a clue is about; Chinese names in {@link CLUE_CATEGORY_LABELS}. */
export const CLUE_CATEGORIES = ['discipline', 'duty-crime', 'conduct', 'personnel', 'ideology', 'other'] as const;
export type ClueCategory = (typeof CLUE_CATEGORIES)[number];

export const CLUE_CATEGORY_LABELS: Record<ClueCategory, string> = {
  discipline: '违反党纪',
  'duty-crime': '职务违法犯罪',
  conduct: '作风问题',
  personnel: '选人用人',
  ideology: '意识形态',
  other: '其他',
};

/**
 * A clue transferred by a round (问题线索), as its ledger line shows it: nothing here names a
 * person or tells what happened (that is {@link ClueDetail}, readable only by the clue's circle).
 */
@Entity({ name: 'clue' })
export class Clue {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The document-style number, e.g. 巡移〔2026〕12号: the year it was received and its place in that year. */
  @Column({ type: 'varchar', length: 40, unique: true })
  number!: string;

  @Column({ type: 'integer' })
  year!: number;

  @Column({ type: 'integer' })
  seq!: number;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  /** The inspected unit the clue concerns. */
  @Column({ name: 'unit_id', type: 'varchar', length: 64 })
  unitId!: string;

  /** The office of the discipline commission it goes to. */
  @Column({ name: 'office_id', type: 'varchar', length: 64 })
  officeId!: string;

  @Column({ type: 'varchar', length: 24 })
  category!: ClueCategory;

  @Column({ name: 'received_on', type: 'date' })
  receivedOn!: string;

  /** Restricted (边巡边移, or marked so): even its ledger line is shown only to its circle. */
  @Column({ type: 'boolean', default: false })
  restricted!: boolean;

  @Column({ type: 'varchar', length: 24, default: 'registered' })
  status!: string;

  /** Who owns it (one person), once the case office names them. */
  @Column({ type: 'varchar', length: 255, nullable: true })
  owner!: string | null;

  @Column({ name: 'registered_by', type: 'varchar', length: 255 })
  registeredBy!: string;

  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true, unique: true })
  requestId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** A person a clue concerns, with their position. */
export interface CluePerson {
  name: string;
  position: string;
}

/** What a clue says: readable only by its circle; never in a workflow's variables or history. */
@Entity({ name: 'clue_detail' })
export class ClueDetail {
  @PrimaryColumn({ name: 'clue_id', type: 'uuid' })
  clueId!: string;

  @Column({ type: 'text' })
  summary!: string;

  @Column({ type: 'jsonb', default: () => "'[]'" })
  persons!: CluePerson[];
}

/** Each read of a clue's details: who, when, what, through which route. */
@Entity({ name: 'clue_access' })
export class ClueAccess {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'clue_id', type: 'uuid' })
  clueId!: string;

  @Column({ type: 'varchar', length: 255 })
  sub!: string;

  @Column({ type: 'varchar', length: 64 })
  action!: string;

  @Column({ type: 'varchar', length: 255 })
  route!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}

/** Access to a clue's details its owner granted (with the reason); revoked grants stay as a record. */
@Entity({ name: 'clue_grant' })
export class ClueGrant {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'clue_id', type: 'uuid' })
  clueId!: string;

  @Column({ type: 'varchar', length: 255 })
  grantee!: string;

  @Column({ type: 'varchar', length: 200 })
  reason!: string;

  @Column({ name: 'granted_by', type: 'varchar', length: 255 })
  grantedBy!: string;

  @Column({ name: 'granted_at', type: 'timestamptz', default: () => 'now()' })
  grantedAt!: Date;

  @Column({ name: 'revoked_by', type: 'varchar', length: 255, nullable: true })
  revokedBy!: string | null;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;
}
