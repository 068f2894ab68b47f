export * from './job-handlers';
export * from './process.activities';
export * from './timer-start.activities';
export * from './clue.handlers';
export * from './clue-summary.handlers';
