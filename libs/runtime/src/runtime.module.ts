import { Global, Module } from '@nestjs/common';
import { CalendarSource } from './calendar-source';
import { InstanceLauncher } from './instance-launcher';
import { MessageCorrelator } from './message-correlator';
import { MessageStarts } from './message-starts';
import { TimerStarts } from './timer-starts';
import { TemporalClientModule } from './temporal-client.module';

/** What every process that starts instances needs (the API, and the worker for message and timer starts). */
@Global()
@Module({
  imports: [TemporalClientModule],
  providers: [CalendarSource, InstanceLauncher, MessageStarts, MessageCorrelator, TimerStarts],
  exports: [CalendarSource, InstanceLauncher, MessageStarts, MessageCorrelator, TimerStarts, TemporalClientModule],
})
export class RuntimeModule {}
