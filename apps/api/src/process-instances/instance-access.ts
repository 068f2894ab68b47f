import { Injectable } from '@nestjs/common';
import type { DefinitionAction, Principal } from '@xuncha/contracts';
import { allows, ANY_DEFINITION, DEFINITION_ACTION_LABELS, ForbiddenError, NotFoundError, unitScope } from '@xuncha/contracts';
import type { ProcessInstance } from '@xuncha/persistence';
import { ClueRepository, DefinitionPermissionRepository } from '@xuncha/persistence';
import { CLUE_PROCESS } from '../clues/clue-instances';

/** Roles that see the instance of a restricted clue: need-to-know narrows the ledger keepers' reading to its operators. */
const RESTRICTED_CLUE_READERS = ['process-admin'];

/**
 * What a caller may do to process instances, from the permissions of their definition: a caller
 * who may not read an instance is told it does not exist; one who may read but not change it is
 * refused with the action named.
 */
@Injectable()
export class InstanceAccess {
  constructor(
    private readonly permissions: DefinitionPermissionRepository,
    private readonly clues: ClueRepository,
  ) {}

  async may(caller: Principal, action: DefinitionAction, definitionKey: string): Promise<boolean> {
    return allows(await this.permissions.rulesFor(definitionKey), action, caller);
  }

  /** Refuses (403) an action on a definition the caller's roles do not allow. */
  async require(caller: Principal, action: DefinitionAction, definitionKey: string): Promise<void> {
    if (!(await this.may(caller, action, definitionKey))) {
      throw new ForbiddenError(`your roles may not ${action} instances of "${definitionKey}" (${DEFINITION_ACTION_LABELS[action]})`, {
        reason: 'definition-permission',
        definitionKey,
        action,
      });
    }
  }

  /** Whether the caller may see this instance (its definition's `read`, and a restricted clue's narrower circle). */
  async readable(caller: Principal, instance: Pick<ProcessInstance, 'id' | 'definitionKey' | 'unitId'>): Promise<boolean> {
    const unit = unitScope(caller);
    if (unit !== undefined && (unit === null || instance.unitId !== unit)) return false;
    if (!(await this.may(caller, 'read', instance.definitionKey))) return false;
    if (instance.definitionKey !== CLUE_PROCESS || caller.groups.some((group) => RESTRICTED_CLUE_READERS.includes(group))) return true;
    return !(await this.clues.restrictedInstance(instance.id));
  }

  /** The instance if readable (else 404), and, given a changing action, allowed it (else 403). */
  async check(caller: Principal, row: ProcessInstance | null, id: string, action?: Exclude<DefinitionAction, 'read' | 'deploy' | 'start'>): Promise<ProcessInstance> {
    if (!row || !(await this.readable(caller, row))) throw new NotFoundError('process instance', id);
    if (action !== undefined) await this.require(caller, action, row.definitionKey);
    return row;
  }

  /** What the instance list leaves out for the caller. */
  async listFilter(caller: Principal): Promise<{ hiddenKeys: string[]; onlyKeys?: string[]; hideRestrictedClues: boolean; unit?: string | null }> {
    const unit = unitScope(caller);
    const scope = unit === undefined ? {} : { unit };
    const rules = await this.permissions.all();
    const own = [...rules.keys()].filter((key) => key !== ANY_DEFINITION);
    const allowedOwn = own.filter((key) => allows(rules.get(key)!, 'read', caller));
    const anyAllowed = allows(rules.get(ANY_DEFINITION) ?? (await this.permissions.rulesFor(ANY_DEFINITION)), 'read', caller);
    const hideRestrictedClues = !caller.groups.some((group) => RESTRICTED_CLUE_READERS.includes(group));
    if (anyAllowed) return { hiddenKeys: own.filter((key) => !allowedOwn.includes(key)), hideRestrictedClues, ...scope };
    return { hiddenKeys: [], onlyKeys: allowedOwn, hideRestrictedClues, ...scope };
  }
}
