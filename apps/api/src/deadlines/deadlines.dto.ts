import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { UNIT_ID_PATTERN } from '../http/fields';
import { IsIsoDuration } from '../http/is-iso-duration';
import { PageMeta, PageQuery } from '../http/paging.dto';

/** Query of GET /deadlines. */
export class ListDeadlinesQuery extends PageQuery {
  @ApiPropertyOptional({ example: 'P7D', description: 'Only deadlines due within this ISO-8601 duration from now (overdue ones included)' })
  @IsOptional()
  @IsIsoDuration()
  within?: string;

  @ApiPropertyOptional({ description: 'true: only overdue; false: only not yet due' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ example: 'commission-case-office' }) @IsOptional() @IsString() @MaxLength(255) candidateGroup?: string;

  @ApiPropertyOptional({ example: 'XC-2026-101' }) @IsOptional() @IsString() @MaxLength(255) businessKey?: string;

  @ApiPropertyOptional({ description: 'Only those of instances of this round (a clue’s, and its children’s)' })
  @IsOptional()
  @IsUUID('all', { message: 'round must be the id of a round' })
  round?: string;

  @ApiPropertyOptional({ example: 'commission-room-3', description: 'Only those of instances this office handles (a clue’s office)' })
  @IsOptional()
  @Matches(UNIT_ID_PATTERN, { message: 'office must be the id of a unit' })
  office?: string;

  @ApiPropertyOptional({ description: 'Keyset paging: the nextCursor of the previous page (same filters); page is then ignored' })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  cursor?: string;
}

export class DeadlineWhoDto {
  @ApiProperty({ nullable: true, type: String }) assignee!: string | null;
  @ApiProperty({ type: [String] }) candidateGroups!: string[];
  @ApiProperty({ type: [String] }) candidateUsers!: string[];
}

/** One deadline: an open task's due date or a pending process timer. */
export class DeadlineDto {
  @ApiProperty({ enum: ['task', 'timer'] }) kind!: 'task' | 'timer';
  @ApiProperty({ description: 'Task id (GET /tasks/:id) or timer id' }) id!: string;
  @ApiProperty() processInstanceId!: string;
  @ApiProperty() definitionKey!: string;
  @ApiProperty({ nullable: true, type: String }) businessKey!: string | null;
  @ApiProperty() elementId!: string;
  @ApiProperty({ nullable: true, type: String, example: '每六个月反馈' }) name!: string | null;
  @ApiProperty({ description: 'ISO, +08:00' }) dueDate!: string;
  @ApiProperty({ type: DeadlineWhoDto, description: "The task's people; for a timer, those of the task it is attached to" }) who!: DeadlineWhoDto;
  @ApiProperty() overdue!: boolean;
  @ApiProperty({ description: 'Working days from today to the due date; negative: overdue by that many' }) workingDaysLeft!: number;
  @ApiProperty({ nullable: true, type: String, description: 'Why the date may be off (a year without official working-day data)' })
  warning!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The round its instance belongs to (GET /rounds/:id), if any' }) roundId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'The office that handles its instance (a unit of the directory), if any' }) officeId!: string | null;
}

export class DeadlinePageDto extends PageMeta {
  @ApiProperty({ type: [DeadlineDto] }) items!: DeadlineDto[];
  @ApiProperty({ description: 'false when total is an estimate (more than 1,000 tasks or timers match)' }) totalExact!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'Pass as cursor to get the page after this one; null on the last page' }) nextCursor!: string | null;
}
