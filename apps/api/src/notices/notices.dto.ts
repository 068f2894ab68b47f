import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsString, Matches, MaxLength } from 'class-validator';

export const NOTICE_KINDS = ['task', 'reminder', 'overdue', 'letter'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** What a notice opens: a task, a clue, or the deadline board. */
export class NoticeTargetDto {
  @ApiProperty({ enum: ['task', 'clue', 'deadlines'] }) type!: 'task' | 'clue' | 'deadlines';
  @ApiProperty({ nullable: true, type: String, description: 'The task or clue id; null for the deadline board' }) id!: string | null;
}

/** One notice of the caller's feed. */
export class NoticeDto {
  @ApiProperty({ example: 'task:42', description: 'Stable key: what POST /notices/read marks' }) key!: string;
  @ApiProperty({ enum: NOTICE_KINDS, description: 'task: a task offered or assigned; reminder: a timer fired on an open task (催办); overdue: tasks past due (one a day); letter: a 提醒函 or 督办函 issued about a clue the caller handles' })
  kind!: NoticeKind;
  @ApiProperty({ example: '新任务：研判线索（巡移〔2026〕12号）' }) title!: string;
  @ApiProperty({ nullable: true, type: String, example: '截止 2026年12月10日' }) detail!: string | null;
  @ApiProperty({ description: 'ISO, +08:00' }) at!: string;
  @ApiProperty({ type: NoticeTargetDto }) target!: NoticeTargetDto;
  @ApiProperty() read!: boolean;
}

/** The caller's notices, newest first, with how many are unread. */
export class NoticeFeedDto {
  @ApiProperty({ type: [NoticeDto] }) items!: NoticeDto[];
  @ApiProperty() unread!: number;
}

/** Body of POST /notices/read. */
export class MarkNoticesReadDto {
  @ApiProperty({ type: [String], example: ['task:42', 'overdue:2026-12-03'], description: 'Keys from GET /notices (at most 200)' })
  @IsArray({ message: 'keys must be a list of notice keys' })
  @ArrayMinSize(1, { message: 'keys must name at least one notice' })
  @ArrayMaxSize(200, { message: 'keys must name at most 200 notices' })
  @IsString({ each: true, message: 'each of keys must be a notice key' })
  @MaxLength(400, { each: true, message: 'each of keys must be at most 400 characters' })
  @Matches(/^(task|reminder|overdue|letter):[\w.:-]+$/, { each: true, message: 'each of keys must be a key GET /notices gave out, such as "task:42"' })
  keys!: string[];
}

/** What POST /notices/read did. */
export class MarkedNoticesDto {
  @ApiProperty({ description: 'Notices now marked read (including those read before)' }) marked!: number;
  @ApiProperty({ type: [String], description: 'Keys not in the feed (the task was done meanwhile, or never the caller’s): not stored' }) skipped!: string[];
}
