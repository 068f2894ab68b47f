import { Module } from '@nestjs/common';
import { TemporalClientModule } from '@xuncha/runtime';
import { ProcessInstancesController } from './process-instances.controller';
import { InstanceInsightService } from './instance-insight.service';
import { ProcessInstancesService } from './process-instances.service';

/** Process instances: start, watch, cancel, repair. */
@Module({
  imports: [TemporalClientModule],
  controllers: [ProcessInstancesController],
  providers: [ProcessInstancesService, InstanceInsightService],
})
export class ProcessInstancesModule {}
