import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@xuncha/contracts';
import { CurrentUser } from '../auth/current-user.decorator';
import { MarkedNoticesDto, MarkNoticesReadDto, NoticeFeedDto } from './notices.dto';
import { NoticesService } from './notices.service';

/** The notice bell: new tasks, reminders (催办), overdue work and 提醒函/督办函, with what the caller has read. */
@ApiTags('notices')
@ApiBearerAuth()
@Controller('notices')
export class NoticesController {
  constructor(private readonly notices: NoticesService) {}

  @Get()
  @ApiOperation({ summary: "The caller's notices, newest first (overdue work first), each marked read or not, and the unread count" })
  @ApiOkResponse({ type: NoticeFeedDto })
  feed(@CurrentUser() caller: Principal): Promise<NoticeFeedDto> {
    return this.notices.feed(caller);
  }

  @Post('read')
  @HttpCode(200)
  @ApiOperation({ summary: 'Mark notices of the feed read; keys no longer in it are named back and not stored' })
  @ApiOkResponse({ type: MarkedNoticesDto })
  markRead(@Body() body: MarkNoticesReadDto, @CurrentUser() caller: Principal): Promise<MarkedNoticesDto> {
    return this.notices.markRead(caller, body.keys);
  }
}
