/** Page modules asked for before the console's first render, by name, kept once they arrive so a route can render them without suspending. */
const arrived = new Map<string, unknown>();
const pending = new Map<string, Promise<unknown>>();

/** Asks for a page's module now; the same promise for a second ask. */
export function preload<T>(name: string, load: () => Promise<T>): Promise<T> {
  const known = pending.get(name) as Promise<T> | undefined;
  if (known) return known;
  const loading = load().then(
    (module) => {
      arrived.set(name, module);
      return module;
    },
    (error: unknown) => {
      // Not kept: the next ask (the page itself) tries again.
      pending.delete(name);
      throw error;
    },
  );
  pending.set(name, loading);
  return loading;
}

/** The module if it has arrived. */
export function preloaded<T>(name: string): T | undefined {
  return arrived.get(name) as T | undefined;
}
