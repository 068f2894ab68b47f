import { Module } from '@nestjs/common';
import { TemporalClientModule } from '@xuncha/runtime';
import { ProcessInstancesModule } from '../process-instances/process-instances.module';
import { TasksController } from './tasks.controller';
import { TasksService } from './tasks.service';

/** GET /tasks and the task actions. */
@Module({
  imports: [TemporalClientModule, ProcessInstancesModule],
  controllers: [TasksController],
  providers: [TasksService],
})
export class TasksModule {}
