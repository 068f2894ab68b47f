import { Global, Module } from '@nestjs/common';
import { TemporalClientModule } from '@xuncha/runtime';
import { CalendarController } from './calendar.controller';
import { CalendarService } from './calendar.service';

/** The working-day calendar, used by instance starts, the task list and the deadline board. */
@Global()
@Module({
  imports: [TemporalClientModule],
  controllers: [CalendarController],
  providers: [CalendarService],
  exports: [CalendarService],
})
export class CalendarModule {}
