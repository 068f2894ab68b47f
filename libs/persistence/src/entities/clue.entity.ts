import type { SummaryFigures } from '@xuncha/domain';
import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, Unique } from 'typeorm';

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

  /** The process instance that handles it. */
  @Column({ name: 'instance_id', type: 'varchar', length: 255, nullable: true })
  instanceId!: string | null;

  /** What the priority study decided (处置方式). */
  @Column({ type: 'varchar', length: 32, nullable: true })
  disposition!: ClueDisposition | null;

  /** Which of the four forms (四种形态) the study applied, 1–4. */
  @Column({ name: 'four_forms', type: 'smallint', nullable: true })
  fourForms!: number | null;

  /** The day a case was filed (立案) on it. */
  @Column({ name: 'filed_on', type: 'date', nullable: true })
  filedOn!: string | null;

  /** The day it was struck off (销号). */
  @Column({ name: 'closed_on', type: 'date', nullable: true })
  closedOn!: string | null;

  @Column({ name: 'close_outcome', type: 'varchar', length: 32, nullable: true })
  closeOutcome!: CloseOutcome | null;

  /** Outcomes of a concluded case, counted per person (no names). */
  @Column({ type: 'jsonb', nullable: true })
  outcomes!: ClueOutcomes | null;

  /** When the next feedback to the inspection office is due (null once closed). */
  @Column({ name: 'feedback_due', type: 'date', nullable: true })
  feedbackDue!: string | null;

  @Column({ name: 'feedback_count', type: 'integer', default: 0 })
  feedbackCount!: number;

  /** The day its state last changed (a step recorded, feedback given). */
  @Column({ name: 'changed_on', type: 'date', nullable: true })
  changedOn!: string | null;
}

/** What the priority study may decide; Chinese names in {@link CLUE_DISPOSITION_LABELS}. */
export const CLUE_DISPOSITIONS = ['talk-inquiry', 'preliminary-verification', 'hold', 'close'] as const;
export type ClueDisposition = (typeof CLUE_DISPOSITIONS)[number];

export const CLUE_DISPOSITION_LABELS: Record<ClueDisposition, string> = {
  'talk-inquiry': '谈话函询',
  'preliminary-verification': '初步核实',
  hold: '暂存待查',
  close: '予以了结',
};

/** How a clue was closed; Chinese names in {@link CLOSE_OUTCOME_LABELS}. */
export const CLOSE_OUTCOMES = ['closed-after-study', 'closed-after-inquiry', 'closed-after-verification', 'case-concluded', 'handled-by-department'] as const;
export type CloseOutcome = (typeof CLOSE_OUTCOMES)[number];

export const CLOSE_OUTCOME_LABELS: Record<CloseOutcome, string> = {
  'closed-after-study': '研判后予以了结',
  'closed-after-inquiry': '谈话函询后了结',
  'closed-after-verification': '初步核实后了结',
  'case-concluded': '立案审查调查后结案',
  'handled-by-department': '移交部门处理完毕',
};

/** Outcomes of a concluded case, counted per person; Chinese names in {@link OUTCOME_LABELS}. */
export const OUTCOME_KINDS = ['partyDiscipline', 'governmentSanction', 'organisational', 'detention', 'judicial'] as const;
export type OutcomeKind = (typeof OUTCOME_KINDS)[number];
export type ClueOutcomes = Record<OutcomeKind, number>;

export const OUTCOME_LABELS: Record<OutcomeKind, string> = {
  partyDiscipline: '党纪处分',
  governmentSanction: '政务处分',
  organisational: '组织处理',
  detention: '留置',
  judicial: '移送司法',
};

/** Where a clue's state stands; Chinese names in {@link CLUE_STATUS_LABELS}. */
export const CLUE_STATUSES = ['registered', 'assigned', 'studied', 'inquiry', 'verification', 'filed', 'held', 'department', 'closed'] as const;
export type ClueStatus = (typeof CLUE_STATUSES)[number];

export const CLUE_STATUS_LABELS: Record<ClueStatus, string> = {
  registered: '已登记',
  assigned: '已确定承办人',
  studied: '已集体研判',
  inquiry: '谈话函询中',
  verification: '初步核实中',
  filed: '已立案',
  held: '暂存待查',
  department: '移交部门办理中',
  closed: '已销号',
};

/** Where a feedback says the clue stands (the shipped feedback form's choices), in Chinese. */
export const FEEDBACK_STAGE_LABELS: Readonly<Record<string, string>> = {
  studying: '研判中',
  inquiry: '谈话函询中',
  verification: '初步核实中',
  investigation: '审查调查中',
  trial: '审理中',
  department: '部门处理中',
  held: '暂存待查',
};

/** One recorded step of a clue's history; `eventKey` makes a retried job record it once. */
@Entity({ name: 'clue_event' })
export class ClueEvent {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'clue_id', type: 'uuid' })
  clueId!: string;

  @Column({ name: 'event_key', type: 'varchar', length: 300, unique: true })
  eventKey!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: string;

  @Column({ type: 'varchar', length: 255, nullable: true })
  by!: string | null;

  /** The day it happened, on the process's clock. */
  @Column({ name: 'on_date', type: 'date' })
  onDate!: string;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  data!: Record<string, unknown>;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  at!: Date;
}

/** Feedback given to the inspection office for one six-month period. */
@Entity({ name: 'clue_feedback' })
export class ClueFeedback {
  @PrimaryGeneratedColumn({ type: 'bigint' })
  id!: string;

  @Column({ name: 'clue_id', type: 'uuid' })
  clueId!: string;

  /** 1 for the first feedback, 2 for the next … */
  @Column({ type: 'integer' })
  period!: number;

  @Column({ name: 'due_on', type: 'date' })
  dueOn!: string;

  @Column({ name: 'given_on', type: 'date' })
  givenOn!: string;

  @Column({ name: 'given_by', type: 'varchar', length: 255, nullable: true })
  givenBy!: string | null;

  @Column({ type: 'varchar', length: 32, nullable: true })
  stage!: string | null;

  /** The text given, kept in task_content (a reference such as "content:42"). */
  @Column({ name: 'content_ref', type: 'varchar', length: 64, nullable: true })
  contentRef!: string | null;
}

export const LETTER_KINDS = ['reminder', 'supervision'] as const;
export type LetterKind = (typeof LETTER_KINDS)[number];

export const LETTER_KIND_LABELS: Record<LetterKind, string> = { reminder: '提醒函', supervision: '督办函' };

/** A letter about a slow clue (提醒函, 督办函): drafted by the monthly review, issued once approved. */
@Entity({ name: 'clue_letter' })
export class ClueLetter {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'clue_id', type: 'uuid' })
  clueId!: string;

  @Column({ type: 'varchar', length: 32 })
  kind!: LetterKind;

  /** What it is about, e.g. "feedback:2027-09-02" (that feedback is overdue) or "stall:2027-01-04". */
  @Column({ type: 'varchar', length: 64 })
  cause!: string;

  @Column({ type: 'varchar', length: 16, default: 'draft' })
  status!: 'draft' | 'issued' | 'withdrawn';

  @Column({ type: 'varchar', length: 100 })
  addressee!: string;

  @Column({ type: 'varchar', length: 200 })
  title!: string;

  @Column({ type: 'text' })
  body!: string;

  @Column({ name: 'drafted_on', type: 'date' })
  draftedOn!: string;

  @Column({ name: 'draft_key', type: 'varchar', length: 300, unique: true })
  draftKey!: string;

  @Column({ type: 'varchar', length: 60, nullable: true })
  number!: string | null;

  @Column({ name: 'issued_on', type: 'date', nullable: true })
  issuedOn!: string | null;

  @Column({ name: 'decided_by', type: 'varchar', length: 255, nullable: true })
  decidedBy!: string | null;
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

/** A file registered with a clue, such as the transfer letter's scan: part of its details, kept in Postgres. */
@Entity({ name: 'clue_attachment' })
@Unique('UQ_clue_attachment_position', ['clueId', 'position'])
export class ClueAttachment {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'clue_id', type: 'uuid' })
  clueId!: string;

  /** Its place among the clue's attachments, from 0. */
  @Column({ type: 'smallint' })
  position!: number;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'content_type', type: 'varchar', length: 100 })
  contentType!: string;

  @Column({ type: 'integer' })
  size!: number;

  @Column({ type: 'char', length: 64 })
  sha256!: string;

  @Column({ type: 'bytea', select: false })
  content!: Buffer;

  @Column({ name: 'uploaded_by', type: 'varchar', length: 255 })
  uploadedBy!: string;

  @Column({ name: 'uploaded_at', type: 'timestamptz', default: () => 'now()' })
  uploadedAt!: Date;
}

/** The figures of a quarterly summary as stored: the counts of CLUE_SUMMARY_RULES with their rates. */
export type ClueSummaryFigures = SummaryFigures & { completionRate: number | null; filingRate: number | null };

/** A quarterly summary of one round's clues, from the case office to the inspection office (an .xlsx). */
@Entity({ name: 'clue_summary' })
@Unique('UQ_clue_summary_instance_round', ['instanceId', 'roundId'])
@Index('IDX_clue_summary_round', ['roundId', 'quarter'])
export class ClueSummary {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  /** The summarising process instance that made it. */
  @Column({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  @Column({ name: 'round_id', type: 'uuid' })
  roundId!: string;

  /** E.g. 2026Q3. */
  @Column({ type: 'char', length: 6 })
  quarter!: string;

  @Column({ name: 'period_start', type: 'date' })
  periodStart!: string;

  @Column({ name: 'period_end', type: 'date' })
  periodEnd!: string;

  /** The day the figures were counted. */
  @Column({ name: 'as_of', type: 'date' })
  asOf!: string;

  @Column({ type: 'jsonb' })
  figures!: ClueSummaryFigures;

  @Column({ type: 'bytea', select: false })
  workbook!: Buffer;

  @Column({ name: 'sent_on', type: 'date', nullable: true })
  sentOn!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
