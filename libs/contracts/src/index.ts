export * from './errors';
export * from './process.contract';
export * from './timer-start.contract';
export * from './identity';
export * from './task.contract';
export * from './search-attributes';
export * from './permissions';
export * from './password-policy';
