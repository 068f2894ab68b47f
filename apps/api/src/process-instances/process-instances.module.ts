import { Module } from '@nestjs/common';
import { TemporalClientModule } from '@xuncha/runtime';
import { ProcessInstancesController } from './process-instances.controller';
import { InstanceAccess } from './instance-access';
import { InstanceInsightService } from './instance-insight.service';
import { ProcessInstancesService } from './process-instances.service';

/** Process instances: start, watch, cancel, repair. */
@Module({
  imports: [TemporalClientModule],
  controllers: [ProcessInstancesController],
  providers: [ProcessInstancesService, InstanceInsightService, InstanceAccess],
  exports: [InstanceAccess],
})
export class ProcessInstancesModule {}
