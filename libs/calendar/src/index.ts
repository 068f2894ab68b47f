// The pure calendar (sandbox-safe). The shipped data lives in ./chinese-days, imported only outside workflows.
export * from './working-calendar';
export * from './overrides';
