// Services shared by the API and the worker: the Temporal client, the calendar instances get, and instance starts.
export * from './calendar-source';
export * from './instance-launcher';
export * from './message-correlator';
export * from './message-starts';
export * from './runtime.module';
export * from './temporal-client.module';
export * from './temporal-deadline';
export * from './timer-starts';
export * from './payload-codec';
