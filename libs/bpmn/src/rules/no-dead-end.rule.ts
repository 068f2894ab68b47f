import { flowsOf, is } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';

/** Tokens never stop silently: every node but an end event leads somewhere. */
export const noDeadEnd: BpmnRule = {
  name: 'no-dead-end',
  severity: 'error',
  description: 'Every flow node other than an end event has an outgoing sequence flow',
  check(element, report) {
    if (!is(element, 'bpmn:FlowNode')) return;
    if (element.$type === 'bpmn:EndEvent') return;
    if (element.$type === 'bpmn:SubProcess' && element.get('triggeredByEvent') === true) return;
    if (flowsOf(element, 'outgoing').length === 0) {
      report(element, `${tag(element.$type)} "${element.name ?? element.id ?? ''}" has no outgoing sequence flow; end the path with an end event`);
    }
  },
};
