export * from './smoke.activities';
