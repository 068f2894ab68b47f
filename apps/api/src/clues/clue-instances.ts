import type { Principal } from '@xuncha/contracts';

/** The shipped process every registered clue runs (processes/clue.bpmn). */
export const CLUE_PROCESS = 'clue';
/** The shipped quarterly summary of the clue ledger (processes/clue-summary.bpmn). */
export const CLUE_SUMMARY_PROCESS = 'clue-summary';
/** Bodies that keep or watch the ledger: they see every line that is not restricted, never the details. */
export const LEDGER_KEEPERS = ['commission-case-office', 'inspection-office', 'leading-group', 'supervisor'];
/** The bodies that send (case office) and receive (inspection office) the quarterly summaries. */
export const SUMMARY_READERS = ['commission-case-office', 'inspection-office'];
/** Administrators: they see and repair every instance through the generic routes. */
const ADMINISTRATORS = ['admin'];

const memberOf = (caller: Principal, groups: string[]): boolean => caller.groups.some((group) => groups.includes(group));

export function keepsLedger(caller: Principal): boolean {
  return memberOf(caller, LEDGER_KEEPERS);
}

/**
 * How the generic instance routes treat the clue processes, whose own routes enforce
 * need-to-know: an instance of the clue process is seen there by administrators and, unless the
 * clue is restricted, by the bodies that keep the ledger (the circle reads it through
 * /clues/:id); a summarising instance by administrators and the two offices it concerns. Nobody
 * else learns such an instance exists (404), it is changed there by administrators only, and a
 * clue's instance starts only through POST /clues. Instances of other processes are not
 * concerned.
 */
export const clueInstances = {
  /** Whether the caller may see this instance through the generic routes. */
  readable(caller: Principal, instance: { definitionKey: string }, restricted: () => Promise<boolean>): Promise<boolean> | boolean {
    if (memberOf(caller, ADMINISTRATORS)) return true;
    if (instance.definitionKey === CLUE_PROCESS) return keepsLedger(caller) && restricted().then((yes) => !yes);
    if (instance.definitionKey === CLUE_SUMMARY_PROCESS) return memberOf(caller, SUMMARY_READERS);
    return true;
  },

  /** Whether the caller may change (cancel, retry, set variables, move the clock of) an instance of this key. */
  changeable(caller: Principal, definitionKey: string): boolean {
    return (definitionKey !== CLUE_PROCESS && definitionKey !== CLUE_SUMMARY_PROCESS) || memberOf(caller, ADMINISTRATORS);
  },

  /** Why the caller may not start an instance of this key through the generic route, or null. */
  startRefusal(caller: Principal, definitionKey: string): string | null {
    if (definitionKey === CLUE_PROCESS) return `instances of "${CLUE_PROCESS}" start by registering a clue (POST /clues)`;
    if (definitionKey === CLUE_SUMMARY_PROCESS && !memberOf(caller, ['commission-case-office', ...ADMINISTRATORS])) {
      return `the quarterly clue summary is started by members of commission-case-office`;
    }
    return null;
  },

  /** What the generic list leaves out for the caller: keys hidden entirely, and whether restricted clues' instances are. */
  listFilter(caller: Principal): { hiddenKeys: string[]; hideRestrictedClues: boolean } {
    if (memberOf(caller, ADMINISTRATORS)) return { hiddenKeys: [], hideRestrictedClues: false };
    const hiddenKeys = [...(keepsLedger(caller) ? [] : [CLUE_PROCESS]), ...(memberOf(caller, SUMMARY_READERS) ? [] : [CLUE_SUMMARY_PROCESS])];
    return { hiddenKeys, hideRestrictedClues: keepsLedger(caller) };
  },
};
