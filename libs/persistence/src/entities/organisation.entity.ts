import { Column, Entity, PrimaryColumn } from 'typeorm';

/** What kind of body a unit is; its Chinese name for people is in {@link UNIT_KIND_LABELS}. */
export const UNIT_KINDS = [
  'party-committee',
  'leading-group',
  'inspection-office',
  'inspection-group',
  'commission',
  'department',
  'inspected-unit',
  'township',
  'village',
] as const;
export type UnitKind = (typeof UNIT_KINDS)[number];

export const UNIT_KIND_LABELS: Record<UnitKind, string> = {
  'party-committee': '党委',
  'leading-group': '巡察工作领导小组',
  'inspection-office': '巡察办',
  'inspection-group': '巡察组',
  commission: '纪委监委',
  department: '职能部门',
  'inspected-unit': '被巡察单位',
  township: '乡镇（街道）',
  village: '村（社区）',
};

/** Kinds of unit a round may inspect: party organisations of units, townships and villages. */
export const INSPECTABLE_UNIT_KINDS: readonly UnitKind[] = ['inspected-unit', 'township', 'village'];

/** A body of the organisation directory: the bodies that work together in a round and the ones inspected. */
@Entity({ name: 'org_unit' })
export class OrgUnit {
  /** A stable code, e.g. "district-audit-bureau". */
  @PrimaryColumn({ type: 'varchar', length: 64 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: UnitKind;

  @Column({ name: 'parent_id', type: 'varchar', length: 64, nullable: true })
  parentId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** The kinds of round (巡察方式); Chinese names in {@link ROUND_KIND_LABELS}. */
export const ROUND_KINDS = ['regular', 'special', 'mobile', 'elevated', 'cross', 'linked', 'village'] as const;
export type RoundKind = (typeof ROUND_KINDS)[number];

export const ROUND_KIND_LABELS: Record<RoundKind, string> = {
  regular: '常规巡察',
  special: '专项巡察',
  mobile: '机动巡察',
  elevated: '提级巡察',
  cross: '交叉巡察',
  linked: '联动巡察',
  village: '村（社区）巡察',
};

/** An inspection round (巡察轮次), e.g. 十五届区委第五轮巡察: what later processes hang from. */
@Entity({ name: 'inspection_round' })
export class InspectionRound {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 16 })
  kind!: RoundKind;

  /** First and last day of the round (YYYY-MM-DD). */
  @Column({ name: 'period_start', type: 'date' })
  periodStart!: string;

  @Column({ name: 'period_end', type: 'date' })
  periodEnd!: string;

  /** planned until its process starts (the round issue). */
  @Column({ type: 'varchar', length: 16, default: 'planned' })
  state!: string;

  /** Durations of the clue process its clues run with unless a clue sets its own (see ClueDeadlines). */
  @Column({ type: 'jsonb', nullable: true })
  deadlines!: Record<string, string | number> | null;

  /** The client's id for the request that stored it: the same request again answers this round. */
  @Column({ name: 'request_id', type: 'varchar', length: 100, nullable: true, unique: true })
  requestId!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 255 })
  createdBy!: string;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}

/** A unit a round inspects, in the order the round lists them. */
@Entity({ name: 'inspection_round_unit' })
export class InspectionRoundUnit {
  @PrimaryColumn({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  @PrimaryColumn({ name: 'unit_id', type: 'varchar', length: 64 })
  unitId!: string;

  @Column({ type: 'integer' })
  position!: number;
}
