export * from './data-source';
export * from './entities';
export * from './migrations';
export * from './persistence.module';
export * from './repositories/smoke-record.repository';
export * from './repositories/process-definition.repository';
export * from './repositories/process-instance.repository';
