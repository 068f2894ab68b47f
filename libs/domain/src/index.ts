export * from './clue-review';
export * from './dates';
export * from './letters';
export * from './clue-metrics';
export * from './clue-summary';
