export * from './errors';
export * from './smoke.contract';
export * from './process.contract';
export * from './identity';
export * from './task.contract';
export * from './search-attributes';
