export * from './job-handlers';
export * from './smoke.activities';
export * from './process.activities';
