import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import type { AppConfig } from '@xuncha/config';
import { ConfigModule } from '@xuncha/config';
import { PersistenceModule } from '@xuncha/persistence';
import { RuntimeModule } from '@xuncha/runtime';
import { WorkerModule } from './worker.module';

/** Root of the standalone worker process (production topology). */
@Module({})
export class WorkerAppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: WorkerAppModule,
      imports: [ConfigModule.forRoot(config), PersistenceModule.forRoot(config.database), RuntimeModule, WorkerModule],
    };
  }
}
