// Entry point of the workflow bundle: every workflow type the worker registers.
export { processWorkflow } from './process.workflow';
export { timerStartWorkflow } from './timer-start.workflow';
