import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsObject, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';
import { IsIsoDuration } from '../http/is-iso-duration';
import { PageMeta, PageQuery } from '../http/paging.dto';

/** Body of POST /messages. */
export class PublishMessageDto {
  @ApiProperty({ description: 'Message name as in the BPMN message', example: 'clue-feedback-received' })
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name!: string;

  @ApiPropertyOptional({ description: 'Correlation key the subscriptions evaluated, e.g. the clue number', example: 'XS-2026-017' })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  correlationKey?: string;

  @ApiPropertyOptional({ description: 'Variables the message carries: a JSON object of at most 256 KB' })
  @IsOptional()
  @IsObject()
  variables?: Record<string, unknown>;

  @ApiPropertyOptional({
    description: 'How long the message waits for subscriptions opened later (ISO-8601 duration); PT0S, the default, as in Camunda 8, reaches only those open now',
    example: 'PT1H',
    default: 'PT0S',
  })
  @IsOptional()
  @IsIsoDuration()
  timeToLive?: string;

  @ApiPropertyOptional({ description: 'Idempotency key: the same id again has no second effect and gets the first answer' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  messageId?: string;
}

/** What publishing did. */
export const PUBLISH_OUTCOMES = ['correlated', 'buffered', 'dropped'] as const;

/** Answer of POST /messages. */
export class MessagePublishedDto {
  @ApiProperty({
    enum: PUBLISH_OUTCOMES,
    description: 'correlated: it reached an instance or started one; buffered: nothing yet, it waits until bufferedUntil; dropped: nothing, and it does not wait (no time-to-live)',
  })
  outcome!: (typeof PUBLISH_OUTCOMES)[number];

  @ApiProperty({ description: 'How many instances it reached now, those it started included (at most one per process)' }) correlated!: number;
  @ApiProperty({ type: [String], description: 'Instances a message start event started' }) startedInstances!: string[];
  @ApiProperty({ nullable: true, type: String, description: 'Until when it waits for subscriptions of other processes; null without a time-to-live' })
  bufferedUntil!: string | null;

  @ApiProperty({ nullable: true, type: String, description: 'Key of the buffered message (GET /messages)' }) messageKey!: string | null;
  @ApiProperty({ description: 'True when this messageId was published before and this is the first answer again' }) duplicate!: boolean;
}

/** Query of GET /messages. */
export class ListMessagesQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) name?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(255) correlationKey?: string;
}

/** A buffered message. Its variables stay in the database: only their names are shown. */
export class BufferedMessageDto {
  @ApiProperty() messageKey!: string;
  @ApiProperty() name!: string;
  @ApiProperty() correlationKey!: string;
  @ApiProperty({ nullable: true, type: String }) messageId!: string | null;
  @ApiProperty({ type: [String] }) variableNames!: string[];
  @ApiProperty() publishedAt!: string;
  @ApiProperty({ description: 'It waits for subscriptions until then' }) bufferedUntil!: string;
  @ApiProperty({ type: [String], description: 'Processes it has reached (each at most once)' }) correlatedProcesses!: string[];
}

/** Answer of GET /messages. */
export class BufferedMessagePageDto extends PageMeta {
  @ApiProperty({ type: [BufferedMessageDto] }) items!: BufferedMessageDto[];
}
