import { PGliteDriver } from 'typeorm-pglite';

/**
 * The `pg` module stand-in TypeORM loads for embedded PGlite. typeorm-pglite's pool both
 * calls a query's callback with an error *and* rethrows it; when TypeORM uses the callback
 * form nobody awaits that promise, so one failed statement would crash the process. This
 * pool reports through exactly one channel: the callback when given, the promise otherwise.
 */
export function createPGliteDriverModule(dataDir: string): { Pool: new (...args: unknown[]) => unknown } {
  const BasePool = new PGliteDriver({ dataDir }).driver.Pool;

  class SingleChannelPGlitePool extends BasePool {
    override query(...args: Parameters<InstanceType<typeof BasePool>['query']>): ReturnType<InstanceType<typeof BasePool>['query']> {
      const usesCallback = args.some((arg) => typeof arg === 'function');
      const result = super.query(...args);
      // pg itself returns nothing in callback form; a promise that never rejects is the faithful stand-in.
      return usesCallback ? (result.catch(() => null) as typeof result) : result;
    }
  }

  return { Pool: SingleChannelPGlitePool };
}
