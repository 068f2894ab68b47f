import { useEffect, useState } from 'react';
import { api } from './api';
import type { Me } from './session';
import { may } from './session';

/** Names of the things ids point at (processes, people, units, rounds, groups), read once per page view and shared. */
export interface Lookups {
  processes: Record<string, string>;
  people: Record<string, string>;
  units: Record<string, string>;
  rounds: Record<string, string>;
  /** False until the names are read: a page may wait rather than show ids. */
  loaded: boolean;
}

const EMPTY: Lookups = { processes: {}, people: {}, units: {}, rounds: {}, loaded: false };
let cached: Promise<Lookups> | null = null;
/** The names once read, for a page's first render. */
let ready: Lookups | null = null;
/** Bumped whenever the names read so far stop counting, so a late answer is not kept. */
let generation = 0;
let caller: Me | null = null;

/** Whose lookups these are: only the lists the caller may read are asked for, at once, while the first page's code loads. */
export function setLookupCaller(me: Me | null): void {
  caller = me;
  cached = null;
  ready = null;
  generation++;
  if (me) void load();
}

async function byId<T>(allowed: boolean, path: string, key: (item: T) => string, name: (item: T) => string | null): Promise<Record<string, string>> {
  if (!allowed) return {};
  try {
    const answer = await api<T[] | { items: T[] }>('GET', path);
    const list = Array.isArray(answer) ? answer : answer.items;
    return Object.fromEntries(list.map((item) => [key(item), name(item) ?? key(item)]));
  } catch {
    // A caller who may not read a list sees ids there; the page still works.
    return {};
  }
}

function load(): Promise<Lookups> {
  cached ??= (async () => {
    const me = caller;
    const asked = generation;
    const [processes, people, units, rounds] = await Promise.all([
      byId<{ key: string; name: string | null }>(me !== null && may(me, 'definitions.read'), '/definitions', (d) => d.key, (d) => d.name),
      byId<{ sub: string; name: string }>(me !== null && may(me, 'directory.read'), '/users', (p) => p.sub, (p) => p.name),
      byId<{ id: string; name: string }>(me !== null && may(me, 'directory.read'), '/units', (u) => u.id, (u) => u.name),
      byId<{ id: string; name: string }>(me !== null && may(me, 'rounds.read'), '/rounds?pageSize=200', (r) => r.id, (r) => r.name),
    ]);
    const names = { processes, people, units, rounds, loaded: true };
    if (asked === generation) ready = names;
    return names;
  })();
  return cached;
}

/** Resolves once the names of the current caller are read (at once if there is none). */
export function lookupsReady(): Promise<unknown> {
  return caller ? load() : Promise.resolve();
}

/** Forgets the names read, after a change that adds some. */
export function forgetLookups(): void {
  cached = null;
  ready = null;
  generation++;
}

export function useLookups(): Lookups {
  const [lookups, setLookups] = useState<Lookups>(() => ready ?? EMPTY);
  useEffect(() => {
    let live = true;
    void load().then((value) => live && setLookups(value));
    return () => {
      live = false;
    };
  }, []);
  return lookups;
}
