import type { Principal } from '@xuncha/contracts';
import { holds } from '@xuncha/contracts';

/** The shipped process every registered clue runs (processes/clue.bpmn). */
export const CLUE_PROCESS = 'clue';
/** The shipped quarterly summary of the clue ledger (processes/clue-summary.bpmn). */
export const CLUE_SUMMARY_PROCESS = 'clue-summary';

/** Whether the caller keeps or watches the ledger: every line that is not restricted, never the details. */
export function keepsLedger(caller: Principal): boolean {
  return holds(caller, 'clues.ledger');
}
