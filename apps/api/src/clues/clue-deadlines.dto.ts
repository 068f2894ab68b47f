import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';

const DURATION = /^P(?!$)(\d{1,3}Y)?(\d{1,3}M)?(\d{1,3}W)?(\d{1,4}D)?$/;

/**
 * The clue process's durations a round sets for all its clues or a clue for itself (a clue's own
 * win over its round's; each is the model's default otherwise).
 */
export class ClueDeadlinesDto {
  @ApiPropertyOptional({ description: 'Months between feedbacks to the inspection office, counted from receipt', default: 6, minimum: 1, maximum: 24 })
  @IsOptional() @IsInt() @Min(1) @Max(24) feedbackMonths?: number;

  @ApiPropertyOptional({ description: 'How long before its due date a feedback task opens', default: 'P1M' })
  @IsOptional() @Matches(DURATION, { message: '$property must be an ISO-8601 duration in days, weeks, months or years (e.g. P1M)' }) feedbackNotice?: string;

  @ApiPropertyOptional({ description: 'How often the clue is reviewed', default: 'P1M' })
  @IsOptional() @Matches(DURATION, { message: '$property must be an ISO-8601 duration in days, weeks, months or years (e.g. P1M)' }) reviewPeriod?: string;

  @ApiPropertyOptional({ description: 'Months without change or feedback after which a reminder is drafted', default: 3, minimum: 1, maximum: 24 })
  @IsOptional() @IsInt() @Min(1) @Max(24) staleMonths?: number;

  @ApiPropertyOptional({ description: 'How long after a reminder a supervision letter follows', default: 'P1M' })
  @IsOptional() @Matches(DURATION, { message: '$property must be an ISO-8601 duration in days, weeks, months or years (e.g. P1M)' }) reminderPeriod?: string;

  @ApiPropertyOptional({ description: 'How long a held clue waits before it is studied again', default: 'P3M' })
  @IsOptional() @Matches(DURATION, { message: '$property must be an ISO-8601 duration in days, weeks, months or years (e.g. P3M)' }) holdPeriod?: string;
}

/** The overrides given, without the keys left out. */
export function deadlineOverrides(deadlines: ClueDeadlinesDto | undefined): Record<string, string | number> {
  return deadlines ? Object.fromEntries(Object.entries(deadlines).filter((entry): entry is [string, string | number] => entry[1] !== undefined)) : {};
}
