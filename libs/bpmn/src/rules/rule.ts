import type { Severity } from '../definition/finding';
import type { ModdleElement } from '../definition/moddle';

/** Reports a problem on an element; severity defaults to the rule's. */
export type Report = (element: ModdleElement, message: string, severity?: Severity) => void;

/** Read-only facts about the whole model, for rules that look beyond one element. */
export interface RuleContext {
  definitions: ModdleElement;
  /** Every element of the model in document order (diagram interchange and processes not marked executable excluded). */
  elements: readonly ModdleElement[];
}

/** One validation rule: a small pure check called for every element of the model. */
export interface BpmnRule {
  name: string;
  severity: Severity;
  description: string;
  check(element: ModdleElement, report: Report, context: RuleContext): void;
}
