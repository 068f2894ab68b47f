import type { DynamicModule } from '@nestjs/common';
import { Logger, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { DatabaseConfig } from '@xuncha/config';
import { describeDatabase } from '@xuncha/config';
import { DataSource } from 'typeorm';
import { createDataSourceOptions, runPendingMigrations } from './data-source';
import { ProcessDefinitionRepository } from './repositories/process-definition.repository';
import { ProcessInstanceRepository } from './repositories/process-instance.repository';
import { MessageRepository } from './repositories/message.repository';
import { TimerStartRepository } from './repositories/timer-start.repository';
import { CalendarRepository } from './repositories/calendar.repository';
import { DeadlineRepository } from './repositories/deadline.repository';
import { HistoryRepository } from './repositories/history.repository';
import { TaskRepository } from './repositories/task.repository';
import { UserRepository } from './repositories/user.repository';
import { OrganisationRepository } from './repositories/organisation.repository';
import { ClueRepository } from './repositories/clue.repository';
import { ClueProcessRepository } from './repositories/clue-process.repository';
import { ClueSummaryRepository } from './repositories/clue-summary.repository';
import { TaskContentRepository } from './repositories/task-content.repository';
import { DefinitionPermissionRepository } from './repositories/definition-permission.repository';
import { RoleGrantRepository } from './repositories/role-grant.repository';
import { AuditRepository } from './audit/audit.repository';
import { CredentialRepository } from './repositories/credential.repository';
import { NoticeRepository } from './repositories/notice.repository';

const REPOSITORIES = [ProcessDefinitionRepository, ProcessInstanceRepository, MessageRepository, TimerStartRepository, UserRepository, TaskRepository, CalendarRepository, DeadlineRepository, HistoryRepository, OrganisationRepository, ClueRepository, ClueProcessRepository, ClueSummaryRepository, TaskContentRepository, DefinitionPermissionRepository, AuditRepository, RoleGrantRepository, CredentialRepository, NoticeRepository];

/** Opens the database once per process, applies pending migrations, and exports the repositories. */
@Module({})
export class PersistenceModule {
  static forRoot(database: DatabaseConfig): DynamicModule {
    const logger = new Logger('Persistence');
    return {
      module: PersistenceModule,
      global: true,
      imports: [
        TypeOrmModule.forRootAsync({
          useFactory: () => ({
            ...createDataSourceOptions(database),
            retryAttempts: 3,
            retryDelay: 2_000,
          }),
          dataSourceFactory: async (options) => {
            if (!options) throw new Error('TypeORM options are missing');
            const dataSource = await new DataSource(options).initialize();
            const applied = await runPendingMigrations(dataSource);
            logger.log(
              `Database ${describeDatabase(database)}: ` +
                (applied.length > 0 ? `applied ${applied.map((m) => m.name).join(', ')}` : 'schema up to date'),
            );
            return dataSource;
          },
        }),
      ],
      providers: REPOSITORIES,
      exports: [TypeOrmModule, ...REPOSITORIES],
    };
  }
}
