import { Body, Controller, Delete, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Principal } from '@xuncha/contracts';
import { CurrentUser } from '../auth/current-user.decorator';
import { yearParam } from '../http/fields';
import { CalendarRangeQuery, PublishYearDto, SetOverrideDto } from './calendar.dto';
import { CalendarService } from './calendar.service';

/** The working-day calendar: read by anyone, edited by admin (next year's arrangement the day it is published). */
@ApiTags('calendar')
@ApiBearerAuth()
@Controller('calendar')
export class CalendarController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('days')
  @ApiOperation({ summary: 'Each day of a range: working or not, why, and whether official data covers it' })
  days(@Query() query: CalendarRangeQuery) {
    return this.calendar.days(query.from, query.to);
  }

  @Get('coverage')
  @ApiOperation({ summary: 'Years the calendar knows, and this or next year when missing' })
  coverage() {
    return this.calendar.coverage(new Date());
  }

  @Get('overrides')
  @ApiOperation({ summary: 'Dates set by process administrators' })
  overrides() {
    return this.calendar.overrides();
  }

  @Put('overrides/:date')
  @ApiOperation({ summary: 'Set a date as worked or off (process administrator); running instances get the new calendar' })
  setOverride(@CurrentUser() caller: Principal, @Param('date') date: string, @Body() body: SetOverrideDto) {
    return this.calendar.setOverride(caller, { date, kind: body.kind, note: body.note ?? null });
  }

  @Delete('overrides/:date')
  @ApiOperation({ summary: 'Remove a date override (process administrator)' })
  removeOverride(@CurrentUser() caller: Principal, @Param('date') date: string) {
    return this.calendar.removeOverride(caller, date);
  }

  @Get('years')
  @ApiOperation({ summary: 'Years whose arrangement was entered by hand' })
  years() {
    return this.calendar.years();
  }

  @Put('years/:year')
  @ApiOperation({ summary: 'Mark a year as published (process administrator): its holidays and 调休 are entered as overrides' })
  publishYear(@CurrentUser() caller: Principal, @Param('year', yearParam()) year: number, @Body() body: PublishYearDto) {
    return this.calendar.publishYear(caller, year, body.note ?? null);
  }

  @Delete('years/:year')
  @ApiOperation({ summary: 'Withdraw a published year (process administrator)' })
  unpublishYear(@CurrentUser() caller: Principal, @Param('year', yearParam()) year: number) {
    return this.calendar.unpublishYear(caller, year);
  }
}
