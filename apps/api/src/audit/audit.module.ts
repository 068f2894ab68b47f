import { Module } from '@nestjs/common';
import { AuditMaintenance } from './audit-maintenance.service';
import { AuditController } from './audit.controller';

/** GET /audit and /audit/verify, and the trail's upkeep. */
@Module({
  controllers: [AuditController],
  providers: [AuditMaintenance],
})
export class AuditModule {}
