import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, IsUUID, Length, Matches, MaxLength } from 'class-validator';
import { IsInstant, UNIT_ID_PATTERN } from '../http/fields';
import { PageMeta, PageQuery } from '../http/paging.dto';

export const TASK_LIST_STATES = ['open', 'all', 'created', 'claimed', 'completed', 'cancelled'] as const;
export const TASK_SORTS = ['dueDate', 'created', 'priority', 'name'] as const;

/** Query of GET /tasks. */
export class ListTasksQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Assigned to this user' }) @IsOptional() @IsString() @MaxLength(255) assignee?: string;

  @ApiPropertyOptional({ description: 'Has this candidate group', example: 'commission-case-office' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  candidateGroup?: string;

  @ApiPropertyOptional({ enum: TASK_LIST_STATES, default: 'open', description: 'open = created or claimed; all includes closed tasks' })
  @IsOptional()
  @IsIn(TASK_LIST_STATES)
  state?: (typeof TASK_LIST_STATES)[number];

  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) processInstanceId?: string;

  @ApiPropertyOptional({ example: 'clue', description: 'Only tasks of this process (its BPMN id)' }) @IsOptional() @IsString() @MaxLength(255) definitionKey?: string;

  @ApiPropertyOptional({ description: 'Only those of instances of this round (a clue’s, and its children’s)' })
  @IsOptional()
  @IsUUID('all', { message: 'round must be the id of a round' })
  round?: string;

  @ApiPropertyOptional({ example: 'commission-room-3', description: 'Only those of instances this office handles (a clue’s office)' })
  @IsOptional()
  @Matches(UNIT_ID_PATTERN, { message: 'office must be the id of a unit' })
  office?: string;

  @ApiPropertyOptional({ description: 'Due before this instant (ISO 8601)', example: '2026-10-17T00:00:00+08:00' })
  @IsOptional()
  @IsInstant()
  dueBefore?: string;

  @ApiPropertyOptional({ description: 'Only overdue open tasks (true) or only tasks not overdue (false)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ enum: TASK_SORTS, default: 'dueDate' }) @IsOptional() @IsIn(TASK_SORTS) sort?: (typeof TASK_SORTS)[number];

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' }) @IsOptional() @IsIn(['asc', 'desc']) order?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'Keyset paging: the nextCursor of the previous page (same filters and sort); page is then ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

/** Body of assign and delegate. */
export class TaskUserDto {
  @ApiProperty({ example: 'wang.fang', description: 'The user to hand the task to' })
  @IsString()
  @Length(1, 255)
  user!: string;
}

/** Body of complete. */
export class CompleteTaskDto {
  @ApiPropertyOptional({ description: 'Variables the task sets; checked against its form', example: { disposition: 'preliminary-verification' } })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({ description: 'Idempotency key: the same id again gets the same answer, with one effect' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  requestId?: string;
}

/** A user task as the API shows it. */
export class TaskDto {
  @ApiProperty({ description: 'Task id (use in /tasks/:id)', example: '42' }) id!: string;
  @ApiProperty() processInstanceId!: string;
  @ApiProperty({ description: 'Element instance id within the instance' }) taskId!: string;
  @ApiProperty() elementId!: string;
  @ApiProperty({ nullable: true, type: String, example: '研究处置方式' }) name!: string | null;
  @ApiProperty() definitionKey!: string;
  @ApiProperty({ nullable: true, type: String }) businessKey!: string | null;
  @ApiProperty({ nullable: true, type: String }) assignee!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'Who delegated it' }) owner!: string | null;
  @ApiProperty({ nullable: true, enum: ['pending', 'resolved'] }) delegation!: 'pending' | 'resolved' | null;
  @ApiProperty({ type: [String] }) candidateGroups!: string[];
  @ApiProperty({ type: [String] }) candidateUsers!: string[];
  @ApiProperty() priority!: number;
  @ApiProperty({ nullable: true, type: String, description: 'ISO, +08:00' }) dueDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) followUpDate!: string | null;
  @ApiProperty({ nullable: true, type: String }) formId!: string | null;
  @ApiProperty({ nullable: true, type: String }) formKey!: string | null;
  @ApiProperty({ type: [String], description: 'Why the due date may be off (a year without official working-day data)' }) warnings!: string[];
  @ApiProperty({ enum: ['created', 'claimed', 'completed', 'cancelled'] }) state!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ nullable: true, type: String }) claimedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) endedAt!: string | null;
  @ApiProperty({ nullable: true, type: String }) completedBy!: string | null;
  @ApiProperty({ description: 'Open and past its due date' }) overdue!: boolean;
  @ApiProperty({ nullable: true, type: Number, description: 'Working days from today to the due date (negative: overdue by)' })
  workingDaysLeft!: number | null;
}

export class TaskPageDto extends PageMeta {
  @ApiProperty({ type: [TaskDto] }) items!: TaskDto[];
  @ApiProperty({ description: 'false when total is an estimate (more than 1,000 matching tasks)' }) totalExact!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor to get the page after this one; null on the last page' }) nextCursor!: string | null;
}

export class TaskDetailDto extends TaskDto {
  @ApiProperty({ nullable: true, type: Number, description: 'The version of the process its instance runs (GET /definitions/:key/versions/:version shows its diagram)' })
  definitionVersion!: number | null;

  @ApiProperty({ nullable: true, type: Object, description: 'The form-js schema of its formId, as deployed with the version' })
  form!: Record<string, unknown> | null;

  @ApiProperty({ type: Object, description: 'The variables the task needs (its form fields and input mappings), live while it is open' })
  variables!: Record<string, unknown>;

  @ApiProperty({ type: [String], description: 'Variables the task needs that the model marks sensitive, left out for a caller who may not read the instance' })
  withheld!: string[];
}
