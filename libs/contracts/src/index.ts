export * from './errors';
export * from './smoke.contract';
export * from './process.contract';
