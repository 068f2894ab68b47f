import { Module } from '@nestjs/common';
import { TemporalClientModule } from '../temporal/temporal-client.module';
import { MessagesController, ProcessInstancesController } from './process-instances.controller';
import { InstanceInsightService } from './instance-insight.service';
import { ProcessInstancesService } from './process-instances.service';

/** Process instances and messages. */
@Module({
  imports: [TemporalClientModule],
  controllers: [ProcessInstancesController, MessagesController],
  providers: [ProcessInstancesService, InstanceInsightService],
})
export class ProcessInstancesModule {}
