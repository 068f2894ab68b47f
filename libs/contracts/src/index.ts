export * from './errors';
export * from './smoke.contract';
