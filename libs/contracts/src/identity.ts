/** Who is calling: the claims of a verified bearer token. */
export interface Principal {
  /** Stable user id (the token's `sub`). */
  sub: string;
  /** Display name, e.g. 张伟. */
  name: string;
  /** Groups the user belongs to: roles of the permission model (ROLES) and candidate groups of the models. */
  groups: string[];
  /**
   * The unit of the directory the user belongs to, resolved for those a unit confines (see
   * UNIT_SCOPED_ROLES): null when the directory names none.
   */
  unit?: string | null;
  /** The login session of a caller signed in with a password (built-in login); absent for tokens of an identity provider. */
  session?: string;
}

/** Groups that may list and read every task (but act only where they are assignee or candidate). */
export const OVERSIGHT_GROUPS = ['supervisor'] as const;

/** Whether the caller may see everything (tasks, deadlines) regardless of assignment. */
export function hasOversight(principal: Pick<Principal, 'groups'>): boolean {
  return principal.groups.some((group) => (OVERSIGHT_GROUPS as readonly string[]).includes(group));
}
