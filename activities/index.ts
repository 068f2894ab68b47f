export * from './job-handlers';
export * from './smoke.activities';
