import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { TemporalClientModule } from '@xuncha/runtime';
import { AuthModule } from '../auth/auth.module';
import { CalendarHealthIndicator } from './calendar.health';
import { DatabaseHealthIndicator } from './database.health';
import { HealthController } from './health.controller';
import { TemporalHealthIndicator } from './temporal.health';

/** GET /health. */
@Module({
  imports: [TerminusModule, TemporalClientModule, AuthModule],
  controllers: [HealthController],
  providers: [TemporalHealthIndicator, DatabaseHealthIndicator, CalendarHealthIndicator],
})
export class HealthModule {}
