import { flowsOf, is } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';

/**
 * As in Camunda 8, a node without outgoing flow ends its path there (an implicit end); the
 * modeller is warned because a forgotten flow looks the same. Boundary events are judged by
 * boundary-attachment: Camunda 8 refuses them without an outgoing flow.
 */
export const noDeadEnd: BpmnRule = {
  name: 'no-dead-end',
  severity: 'warning',
  description: 'A flow node other than an end event without an outgoing sequence flow ends its path there (implicit end)',
  check(element, report) {
    if (!is(element, 'bpmn:FlowNode')) return;
    if (element.$type === 'bpmn:EndEvent' || element.$type === 'bpmn:BoundaryEvent') return;
    if (element.$type === 'bpmn:SubProcess' && element.get('triggeredByEvent') === true) return;
    if (flowsOf(element, 'outgoing').length === 0) {
      report(element, `${tag(element.$type)} "${element.name ?? element.id ?? ''}" has no outgoing sequence flow; its path ends there (implicit end)`);
    }
  },
};
