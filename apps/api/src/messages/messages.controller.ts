import { Body, Controller, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiOperation, ApiPayloadTooLargeResponse, ApiTags } from '@nestjs/swagger';
import { BufferedMessagePageDto, ListMessagesQuery, MessagePublishedDto, PublishMessageDto } from './messages.dto';
import { MessagesService } from './messages.service';

/** Publish messages to waiting instances and message start events; see what is buffered. */
@ApiTags('messages')
@ApiBearerAuth()
@Controller('messages')
export class MessagesController {
  constructor(private readonly messages: MessagesService) {}

  @Post()
  @HttpCode(HttpStatus.OK)
  @ApiOperation({
    summary: 'Publish a message: it reaches at most one instance per process now, and with a time-to-live waits for subscriptions opened later',
  })
  @ApiOkResponse({ type: MessagePublishedDto })
  @ApiBadRequestResponse({ description: 'A field is missing or malformed, or the time-to-live is longer than allowed' })
  @ApiConflictResponse({ description: 'The messageId was used for another message' })
  @ApiPayloadTooLargeResponse({ description: 'Variables larger than 256 KB' })
  publish(@Body() body: PublishMessageDto): Promise<MessagePublishedDto> {
    return this.messages.publish(body);
  }

  @Get()
  @ApiOperation({ summary: 'Buffered messages that have not expired, oldest first, with until when they wait' })
  @ApiOkResponse({ type: BufferedMessagePageDto })
  list(@Query() query: ListMessagesQuery): Promise<BufferedMessagePageDto> {
    return this.messages.list(query);
  }
}
