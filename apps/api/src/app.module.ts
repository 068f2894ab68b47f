import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { AppConfig } from '@xuncha/config';
import { ConfigModule } from '@xuncha/config';
import { PersistenceModule } from '@xuncha/persistence';
import { RuntimeModule } from '@xuncha/runtime';
import { WorkerModule } from '../../worker/src/worker.module';
import { AuditModule } from './audit/audit.module';
import { CodecModule } from './codec/codec.module';
import { DirectoryModule } from './directory/directory.module';
import { AuthModule, DevTokenModule } from './auth/auth.module';
import { CalendarModule } from './calendar/calendar.module';
import { DeadlinesModule } from './deadlines/deadlines.module';
import { DefinitionsModule } from './definitions/definitions.module';
import { HealthModule } from './health/health.module';
import { MessagesModule } from './messages/messages.module';
import { NoticesModule } from './notices/notices.module';
import { ProcessInstancesModule } from './process-instances/process-instances.module';
import { RoundsModule } from './rounds/rounds.module';
import { CluesModule } from './clues/clues.module';
import { TasksModule } from './tasks/tasks.module';

/** Which roles this process plays: the API always; the worker too in the all-in-one local mode. */
export interface AppRoles {
  worker: boolean;
}

/** Root of the API process; with `worker: true` it also hosts the Temporal worker (one database handle). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, roles: AppRoles = { worker: false }): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        PersistenceModule.forRoot(config.database),
        RuntimeModule,
        AuthModule,
        DevTokenModule.forRoot(config),
        CalendarModule,
        HealthModule,
        DefinitionsModule,
        ProcessInstancesModule,
        MessagesModule,
        TasksModule,
        DeadlinesModule,
        NoticesModule,
        RoundsModule,
        CluesModule,
        AuditModule,
        CodecModule,
        DirectoryModule,
        ...(roles.worker ? [WorkerModule] : []),
      ],
    };
  }
}
