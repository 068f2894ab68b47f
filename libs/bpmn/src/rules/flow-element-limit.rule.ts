import { is } from '../definition/moddle';
import { MAX_FLOW_ELEMENTS } from '../definition/limits';
import type { BpmnRule } from './rule';

/** Keeps one instance's state and history within what a workflow can carry. */
export const flowElementLimit: BpmnRule = {
  name: 'flow-element-limit',
  severity: 'error',
  description: `At most ${MAX_FLOW_ELEMENTS} flow elements in one definition`,
  check(element, report, context) {
    if (!is(element, 'bpmn:Definitions')) return;
    const count = context.elements.filter((e) => is(e, 'bpmn:FlowElement')).length;
    if (count > MAX_FLOW_ELEMENTS) {
      report(element, `The definition has ${count} flow elements; the limit is ${MAX_FLOW_ELEMENTS}`);
    }
  },
};
