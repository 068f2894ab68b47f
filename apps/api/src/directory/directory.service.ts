import { Injectable } from '@nestjs/common';
import type { Principal, Role } from '@xuncha/contracts';
import { ConflictError, EXCLUSIVE_ROLES, ForbiddenError, isGuardedRole, InvalidRequestError, NotFoundError, ROLES } from '@xuncha/contracts';
import type { RoleGrantRow } from '@xuncha/persistence';
import { OrganisationRepository, RoleGrantRepository, UserRepository } from '@xuncha/persistence';
import type { GrantRoleDto, RoleGrantDto, SavePersonDto } from './directory.dto';


/** Refuses a role the person holds already, or one that breaks the separation of the administrators (三员分立). */
function mayHold(sub: string, groups: string[], role: Role): void {
  if (groups.includes(role)) throw new ConflictError(`${sub} already holds ${role}`, { field: 'role' });
  const held = groups.filter((group): group is Role => Object.prototype.hasOwnProperty.call(ROLES, group));
  const exclusive = (candidate: Role): boolean => EXCLUSIVE_ROLES.includes(candidate);
  if ((exclusive(role) && held.length > 0) || held.some(exclusive)) {
    throw new ConflictError(`${ROLES[role].label} is held alone: the administrators and service accounts take no other role (三员分立)`, { field: 'role', reason: 'separation' });
  }
}

function toDto(row: RoleGrantRow): RoleGrantDto {
  return {
    id: row.id,
    sub: row.sub,
    role: row.role,
    roleName: ROLES[row.role as Role]?.label ?? row.role,
    state: row.state,
    reason: row.reason,
    requestedBy: row.requestedBy,
    requestedAt: row.requestedAt.toISOString(),
    decidedBy: row.decidedBy,
    decidedAt: row.decidedAt?.toISOString() ?? null,
  };
}

/**
 * The directory's people (the system administrator's) and their roles (the security
 * administrator's). Nobody gives a role to themselves; a role of the administrators waits for a
 * second security administrator; the three administrators' roles are held alone (三员分立).
 */
@Injectable()
export class DirectoryService {
  constructor(
    private readonly users: UserRepository,
    private readonly grants: RoleGrantRepository,
    private readonly organisation: OrganisationRepository,
  ) {}

  async savePerson(body: SavePersonDto): Promise<{ created: boolean; person: Principal }> {
    const unit = body.unit ?? null;
    if (unit !== null && (await this.organisation.unitsByIds([unit])).length === 0) throw new InvalidRequestError('unit', `unit names no unit of the directory: "${unit}"`);
    const name = body.name.trim();
    if (name === '') throw new InvalidRequestError('name', 'name must not be blank');
    const created = await this.grants.savePerson({ sub: body.sub, name, unitId: unit });
    return { created, person: (await this.users.find(body.sub))! };
  }

  /** Grants at once, or (a guarded role) records a request for a second administrator. */
  async grant(caller: Principal, sub: string, body: GrantRoleDto): Promise<RoleGrantDto> {
    if (sub === caller.sub) throw new ForbiddenError('nobody grants a role to themselves', { reason: 'self-grant' });
    const person = await this.users.find(sub);
    if (!person) throw new NotFoundError('user', sub);
    mayHold(sub, person.groups, body.role);
    const grant = { sub, role: body.role, reason: body.reason ?? null, requestedBy: caller.sub };
    if (isGuardedRole(body.role)) return toDto(await this.grants.request(grant));
    // Checked again under a lock: another grant may have landed since.
    return toDto(await this.grants.grant(grant, (groups) => mayHold(sub, groups, body.role)));
  }

  /** A second security administrator approves or refuses a pending grant. */
  async decide(caller: Principal, id: string, decision: 'granted' | 'refused'): Promise<RoleGrantDto> {
    const pending = /^[0-9a-f-]{36}$/.test(id) ? await this.grants.find(id) : null;
    if (!pending) throw new NotFoundError('role grant', id);
    if (pending.state !== 'pending') throw new ConflictError(`the grant is ${pending.state}, not pending`, { state: pending.state });
    if (pending.requestedBy === caller.sub) throw new ForbiddenError('a grant is decided by another administrator than the one who asked for it', { reason: 'same-administrator' });
    if (pending.sub === caller.sub) throw new ForbiddenError('nobody grants a role to themselves', { reason: 'self-grant' });
    // The roles may have changed since the request (another grant approved): checked again, under a lock.
    const decided = await this.grants.decide(id, decision, caller.sub, (groups, role) => mayHold(pending.sub, groups, role as Role));
    if (!decided) throw new ConflictError('the grant was decided meanwhile', { id });
    return toDto(decided);
  }

  async revoke(caller: Principal, sub: string, role: string): Promise<void> {
    if (sub === caller.sub) throw new ForbiddenError('nobody takes their own roles: another administrator does', { reason: 'self-revoke' });
    if (!(await this.grants.revoke(sub, role, caller.sub))) throw new NotFoundError('role of the user', `${sub} ${role}`);
  }

  async list(state?: RoleGrantRow['state']): Promise<RoleGrantDto[]> {
    return (await this.grants.list(state)).map(toDto);
  }
}
