import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { Public } from '../auth/public.decorator';
import { CalendarHealthIndicator } from './calendar.health';
import { DatabaseHealthIndicator } from './database.health';
import { TemporalHealthIndicator } from './temporal.health';

/** Liveness of the two dependencies everything needs (503 when either is down), and the calendar's reach. Public, for probes. */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly temporal: TemporalHealthIndicator,
    private readonly database: DatabaseHealthIndicator,
    private readonly calendar: CalendarHealthIndicator,
  ) {}

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Temporal and database health (200 when both are up, 503 otherwise)' })
  check() {
    return this.health.check([() => this.temporal.check(), () => this.database.check(), () => this.calendar.check()]);
  }
}
