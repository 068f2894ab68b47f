import { permissionsOf } from '../../../libs/contracts/src/permissions';
import type { Permission } from '../../../libs/contracts/src/permissions';
import { api } from './api';

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

export function loadMe(): Promise<Me> {
  return api<Me>('GET', '/auth/me');
}

export function may(me: Me, permission: Permission): boolean {
  return permissionsOf(me).has(permission);
}
