export * from './job-handlers';
export * from './process.activities';
