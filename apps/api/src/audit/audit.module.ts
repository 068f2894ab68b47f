import { Module } from '@nestjs/common';
import { AuditMaintenance } from './audit-maintenance.service';
import { AuditObjectNames } from './audit-objects';
import { AuditController } from './audit.controller';

/** GET /audit and /audit/verify, and the trail's upkeep. */
@Module({
  controllers: [AuditController],
  providers: [AuditMaintenance, AuditObjectNames],
})
export class AuditModule {}
