import { permissionsOf } from '../../../libs/contracts/src/permissions';
import type { Permission } from '../../../libs/contracts/src/permissions';
import { api, keepSessionValue, sessionValue } from './api';

/** The signed-in person as the API knows them. */
export interface Me {
  sub: string;
  name: string;
  groups: string[];
}

/** How one may sign in here: the password always, development tokens only in the embedded mode. */
export interface LoginMethods {
  password: boolean;
  development: boolean;
  /** The shortest password the policy accepts. */
  passwordMinLength: number;
}

/** Who the caller is, from the API; kept for the session, so the next page load starts at once. */
export async function loadMe(): Promise<Me> {
  const me = await api<Me>('GET', '/auth/me');
  keepSessionValue(me);
  return me;
}

/** Who the caller was when this session last asked: the console starts with it while it asks again. */
export function knownMe(): Me | null {
  return sessionValue<Me>();
}

export function sameCaller(a: Me | null, b: Me | null): boolean {
  return a !== null && b !== null && a.sub === b.sub && a.name === b.name && a.groups.join('\n') === b.groups.join('\n');
}

export function may(me: Me, permission: Permission): boolean {
  return permissionsOf(me).has(permission);
}
