import { Controller, Get, Req, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { HealthCheckResult } from '@nestjs/terminus';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import { holds } from '@xuncha/contracts';
import type { Request, Response } from 'express';
import { CallersService } from '../auth/callers.service';
import { CalendarHealthIndicator } from './calendar.health';
import { DatabaseHealthIndicator } from './database.health';
import { TemporalHealthIndicator } from './temporal.health';

/**
 * Liveness of the two dependencies everything needs (503 when either is down), and the calendar's
 * reach. Public, for probes, which learn only the status; the report of each dependency goes to
 * callers whose roles hold health.details (process and system administrators).
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly temporal: TemporalHealthIndicator,
    private readonly database: DatabaseHealthIndicator,
    private readonly calendar: CalendarHealthIndicator,
    private readonly callers: CallersService,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Temporal and database health (200 when both are up, 503 otherwise); details for administrators' })
  async check(@Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<HealthCheckResult | { status: HealthCheckResult['status'] }> {
    const details = await this.mayReadDetails(request);
    try {
      const report = await this.health.check([() => this.temporal.check(), () => this.database.check(), () => this.calendar.check()]);
      return details ? report : { status: report.status };
    } catch (error) {
      if (details || !(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return { status: 'error' };
    }
  }

  private async mayReadDetails(request: Request): Promise<boolean> {
    if (!request.headers.authorization) return false;
    try {
      const { principal, mustChangePassword } = await this.callers.authenticate(request.headers.authorization);
      return !mustChangePassword && holds(principal, 'health.details');
    } catch {
      return false;
    }
  }
}
