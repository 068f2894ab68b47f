/** DI token of the Temporal `Worker` instance. */
export const TEMPORAL_WORKER = Symbol('TEMPORAL_WORKER');

/** DI token of the worker's `NativeConnection`. */
export const TEMPORAL_WORKER_CONNECTION = Symbol('TEMPORAL_WORKER_CONNECTION');
