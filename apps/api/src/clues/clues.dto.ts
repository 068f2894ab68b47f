import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { ClueCategory } from '@xuncha/persistence';
import { CLUE_CATEGORIES, CLUE_DISPOSITIONS } from '@xuncha/persistence';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsIn, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { VirtualClockDto } from '../process-instances/process-instances.dto';
import { DATE_PATTERN, IsCalendarDate, UNIT_ID_PATTERN as UNIT_ID } from '../http/fields';
import { PageMeta, PageQuery } from '../http/paging.dto';
import { ATTACHMENT_TYPES, MAX_ATTACHMENTS } from './attachments';
import { ClueDeadlinesDto } from './clue-deadlines.dto';

export class CluePersonDto {
  @ApiProperty({ example: '王某' }) @IsString() @Length(1, 50) name!: string;
  @ApiProperty({ example: '区教育局副局长' }) @IsString() @MaxLength(100) position!: string;
}

export class ClueAttachmentInputDto {
  @ApiProperty({ example: '线索移交函.pdf' }) @IsString() @Length(1, 255) name!: string;
  @ApiProperty({ enum: Object.keys(ATTACHMENT_TYPES) }) @IsString() @MaxLength(100) contentType!: string;
  @ApiProperty({ description: 'The file in base64, at most 10 MiB (20 MiB for all of a registration’s files)' }) @IsString() content!: string;
}

export class ClueAttachmentDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty({ description: 'Bytes' }) size!: number;
  @ApiProperty({ description: 'SHA-256 of the content, hexadecimal' }) sha256!: string;
  @ApiProperty() uploadedBy!: string;
  @ApiProperty() uploadedAt!: string;
  @ApiProperty({ example: '/clues/…/attachments/…' }) href!: string;
}

export class RegisterClueDto {
  @ApiProperty({ description: 'The round that transfers the clue' }) @IsUUID('all', { message: 'round must be the id of a round' }) round!: string;

  @ApiProperty({ example: 'district-education-bureau', description: 'The inspected unit it concerns (one of the round’s)' })
  @Matches(UNIT_ID, { message: 'unit must be the id of a unit' })
  unit!: string;

  @ApiProperty({ example: 'commission-case-office', description: 'The office of the discipline commission it goes to' })
  @Matches(UNIT_ID, { message: 'office must be the id of a unit' })
  office!: string;

  @ApiProperty({ enum: CLUE_CATEGORIES }) @IsIn(CLUE_CATEGORIES) category!: ClueCategory;

  @ApiProperty({ description: 'What the clue says (kept from everyone outside its circle)' }) @IsString() @Length(1, 5000) summary!: string;

  @ApiProperty({ type: [CluePersonDto], description: 'The persons it concerns, with their positions' })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CluePersonDto)
  persons!: CluePersonDto[];

  @ApiProperty({ example: '2026-10-16', description: 'The day the clue was received' })
  @Matches(DATE_PATTERN, { message: 'receivedOn must be a date (YYYY-MM-DD)' })
  receivedOn!: string;

  @ApiPropertyOptional({ description: 'Restricted (边巡边移, or marked so): even its ledger line is shown only to its circle', default: false })
  @IsOptional()
  @IsBoolean()
  restricted?: boolean;

  @ApiPropertyOptional({ description: 'The same id again answers the clue registered the first time' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  requestId?: string;

  @ApiPropertyOptional({ type: [ClueAttachmentInputDto], description: 'Files such as the transfer letter’s scan (PDF, OFD, JPEG, PNG, TIFF), kept with the clue’s details' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_ATTACHMENTS)
  @ValidateNested({ each: true })
  @Type(() => ClueAttachmentInputDto)
  attachments?: ClueAttachmentInputDto[];

  @ApiPropertyOptional({ type: () => ClueDeadlinesDto, description: 'Durations of this clue that differ from its round’s or the process’s defaults' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ClueDeadlinesDto)
  deadlines?: ClueDeadlinesDto;

  @ApiPropertyOptional({ type: () => VirtualClockDto, description: 'Start the clue’s process on virtual time (TEST_CLOCK=1 only, never in production)' })
  @IsOptional()
  @ValidateNested()
  @Type(() => VirtualClockDto)
  virtualClock?: VirtualClockDto;
}

export class NamedRefDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

/** A ledger line: names no one and tells nothing of what happened. */
export class ClueLineDto {
  @ApiProperty() id!: string;
  @ApiProperty({ example: '巡移〔2026〕12号' }) number!: string;
  @ApiProperty({ type: NamedRefDto }) round!: NamedRefDto;
  @ApiProperty({ type: NamedRefDto }) unit!: NamedRefDto;
  @ApiProperty({ type: NamedRefDto }) office!: NamedRefDto;
  @ApiProperty({ enum: CLUE_CATEGORIES }) category!: ClueCategory;
  @ApiProperty({ example: '违反党纪' }) categoryName!: string;
  @ApiProperty() receivedOn!: string;
  @ApiProperty() restricted!: boolean;
  @ApiProperty({ example: 'registered' }) status!: string;
  @ApiProperty({ example: '已登记' }) statusName!: string;
  @ApiProperty({ nullable: true, type: String }) owner!: string | null;
  @ApiProperty() registeredBy!: string;
  @ApiProperty({ nullable: true, enum: CLUE_DISPOSITIONS, type: String }) disposition!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '初步核实' }) dispositionName!: string | null;
  @ApiProperty({ nullable: true, type: Number, description: '四种形态, 1–4' }) fourForms!: number | null;
  @ApiProperty({ nullable: true, type: String }) filedOn!: string | null;
  @ApiProperty({ nullable: true, type: String }) closedOn!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'case-concluded' }) closeOutcome!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '立案审查调查后结案' }) closeOutcomeName!: string | null;
  @ApiProperty({ nullable: true, type: Object, description: 'Per-person counts of a concluded case' }) outcomes!: Record<string, number> | null;
  @ApiProperty({ nullable: true, type: String, description: 'When the next feedback to the inspection office is due' }) feedbackDue!: string | null;
  @ApiProperty({ description: 'Whether that feedback is past due' }) feedbackOverdue!: boolean;
  @ApiProperty() feedbackCount!: number;
}

export class ClueFeedbackDto {
  @ApiProperty() period!: number;
  @ApiProperty() dueOn!: string;
  @ApiProperty() givenOn!: string;
  @ApiProperty({ nullable: true, type: String }) givenBy!: string | null;
  @ApiProperty({ nullable: true, type: String, example: 'inquiry' }) stage!: string | null;
  @ApiProperty({ nullable: true, type: String, example: '谈话函询中', description: 'The stage in Chinese (the code itself for a stage a changed form added)' }) stageName!: string | null;
  @ApiProperty({ nullable: true, type: String }) text!: string | null;
}

export class ClueLetterDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['reminder', 'supervision'] }) kind!: string;
  @ApiProperty({ example: '提醒函' }) kindName!: string;
  @ApiProperty({ enum: ['draft', 'issued', 'withdrawn'] }) status!: string;
  @ApiProperty({ example: '待审批' }) statusName!: string;
  @ApiProperty({ nullable: true, type: String, example: '案管提〔2026〕3号' }) number!: string | null;
  @ApiProperty() title!: string;
  @ApiProperty() draftedOn!: string;
  @ApiProperty({ nullable: true, type: String }) issuedOn!: string | null;
  @ApiProperty({ description: 'Where the .docx is downloaded' }) href!: string;
}

export class ClueEventDto {
  @ApiProperty({ example: 'progress' }) kind!: string;
  @ApiProperty({ example: '记录处置进展' }) kindName!: string;
  @ApiProperty({ nullable: true, type: String }) by!: string | null;
  @ApiProperty() onDate!: string;
  @ApiProperty({ type: Object }) data!: Record<string, unknown>;
}

export class ClueNoteDto {
  @ApiProperty({ example: 'Study' }) elementId!: string;
  @ApiProperty({ example: 'studyOpinion' }) field!: string;
  @ApiProperty() text!: string;
  @ApiProperty() author!: string;
  @ApiProperty() at!: string;
}

export class ClueOpenTaskDto {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ nullable: true, type: String }) assignee!: string | null;
  @ApiProperty({ nullable: true, type: String }) dueAt!: string | null;
}

export class ClueProcessDto {
  @ApiProperty() instanceId!: string;
  @ApiProperty({ nullable: true, type: String, example: 'active' }) state!: string | null;
  @ApiProperty({ type: [ClueOpenTaskDto] }) openTasks!: ClueOpenTaskDto[];
}

export class HandOverClueDto {
  @ApiProperty({ example: 'qian.hao', description: 'The new owner' })
  @Matches(/^\S{1,255}$/, { message: 'to must be a user id (no spaces)' })
  to!: string;

  @ApiProperty({ example: '工作调整' }) @IsString() @Length(1, 200) reason!: string;
}

export class CorrectClueDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @Length(1, 5000) summary?: string;

  @ApiPropertyOptional({ type: [CluePersonDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => CluePersonDto)
  persons?: CluePersonDto[];

  @ApiPropertyOptional({ enum: CLUE_CATEGORIES }) @IsOptional() @IsIn(CLUE_CATEGORIES) category?: ClueCategory;

  @ApiProperty({ example: '登记时人员职务有误' }) @IsString() @Length(1, 200) reason!: string;
}

/** The whole record, for the clue's circle. */
export class ClueDetailDto extends ClueLineDto {
  @ApiProperty() summary!: string;
  @ApiProperty({ type: [CluePersonDto] }) persons!: CluePersonDto[];
  @ApiProperty({ type: [ClueAttachmentDto] }) attachments!: ClueAttachmentDto[];
  @ApiProperty({ type: [ClueFeedbackDto] }) feedback!: ClueFeedbackDto[];
  @ApiProperty({ type: [ClueLetterDto] }) letters!: ClueLetterDto[];
  @ApiProperty({ type: [ClueEventDto], description: 'What happened to the clue, oldest first (corrections keep the values they replaced)' }) history!: ClueEventDto[];
  @ApiProperty({ type: [ClueNoteDto], description: 'Texts typed into the process’s forms (study opinion, reports, feedback)' }) notes!: ClueNoteDto[];
  @ApiProperty({ type: ClueProcessDto }) process!: ClueProcessDto;
}

export class ListCluesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsUUID('all', { message: 'round must be the id of a round' }) round?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(UNIT_ID, { message: 'unit must be the id of a unit' }) unit?: string;
  @ApiPropertyOptional() @IsOptional() @Matches(UNIT_ID, { message: 'office must be the id of a unit' }) office?: string;
  @ApiPropertyOptional({ example: 'registered' }) @IsOptional() @IsString() @MaxLength(24) status?: string;
  @ApiPropertyOptional({ enum: CLUE_DISPOSITIONS }) @IsOptional() @IsIn(CLUE_DISPOSITIONS) disposition?: string;
  @ApiPropertyOptional({ description: 'Only clues whose feedback is past due (true) or not (false)' }) @IsOptional() @IsIn(['true', 'false']) feedbackOverdue?: 'true' | 'false';
  @ApiPropertyOptional({ description: 'Only closed (true) or open (false) clues' }) @IsOptional() @IsIn(['true', 'false']) closed?: 'true' | 'false';
  @ApiPropertyOptional({ description: 'Only clues on which a case was filed (true) or not (false)' }) @IsOptional() @IsIn(['true', 'false']) filed?: 'true' | 'false';
  @ApiPropertyOptional({ example: '2026-01-01' }) @IsOptional() @IsCalendarDate({ message: 'receivedFrom must be a date (YYYY-MM-DD)' }) receivedFrom?: string;
  @ApiPropertyOptional({ example: '2026-12-31' }) @IsOptional() @IsCalendarDate({ message: 'receivedTo must be a date (YYYY-MM-DD)' }) receivedTo?: string;
  @ApiPropertyOptional({ example: '2026-01-01' }) @IsOptional() @IsCalendarDate({ message: 'closedFrom must be a date (YYYY-MM-DD)' }) closedFrom?: string;
  @ApiPropertyOptional({ example: '2026-12-31' }) @IsOptional() @IsCalendarDate({ message: 'closedTo must be a date (YYYY-MM-DD)' }) closedTo?: string;
}

export class CluePageDto extends PageMeta {
  @ApiProperty({ type: [ClueLineDto] }) items!: ClueLineDto[];
  @ApiProperty({ description: 'False when the total is an estimate (past 1,000 lines)' }) totalExact!: boolean;
}

export class ClueAccessDto {
  @ApiProperty() sub!: string;
  @ApiProperty({ example: 'read-details' }) action!: string;
  @ApiProperty({ example: 'GET /clues/:id' }) route!: string;
  @ApiProperty() at!: string;
}

export class GrantClueDto {
  @ApiProperty({ example: 'qian.hao', description: 'Who may read the details from now on' })
  @Matches(/^\S{1,255}$/, { message: 'user must be a user id (no spaces)' })
  user!: string;

  @ApiProperty({ example: '协助初步核实' }) @IsString() @Length(1, 200) reason!: string;
}

export class ClueGrantDto {
  @ApiProperty() user!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() grantedBy!: string;
  @ApiProperty() grantedAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedBy!: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
}
