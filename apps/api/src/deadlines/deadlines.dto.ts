import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

/** Query of GET /deadlines. */
export class ListDeadlinesQuery {
  @ApiPropertyOptional({ example: 'P7D', description: 'Only deadlines due within this ISO-8601 duration from now (overdue ones included)' })
  @IsOptional()
  @Matches(/^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/, { message: 'within must be an ISO-8601 duration such as P7D' })
  within?: string;

  @ApiPropertyOptional({ description: 'true: only overdue; false: only not yet due' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'overdue must be true or false' })
  overdue?: boolean;

  @ApiPropertyOptional({ example: 'commission-case-office' }) @IsOptional() @IsString() @MaxLength(255) candidateGroup?: string;

  @ApiPropertyOptional({ example: 'XC-2026-101' }) @IsOptional() @IsString() @MaxLength(255) businessKey?: string;

  @ApiPropertyOptional({ minimum: 1, default: 1 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) page?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  pageSize?: number;
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
}

export class DeadlinePageDto {
  @ApiProperty({ type: [DeadlineDto] }) items!: DeadlineDto[];
  @ApiProperty() total!: number;
  @ApiProperty() page!: number;
  @ApiProperty() pageSize!: number;
}
