import type { ModdleElement } from '../definition/moddle';
import { eventDefinitionsOf, flowsOf } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';

const ACTIVITIES = ['bpmn:ServiceTask', 'bpmn:UserTask', 'bpmn:ReceiveTask', 'bpmn:SendTask', 'bpmn:SubProcess', 'bpmn:CallActivity'];

/**
 * Boundary events belong to an activity in their own scope, are entered only by their trigger,
 * and lead somewhere when triggered (Camunda 8 refuses a boundary event without outgoing flow).
 */
export const boundaryAttachment: BpmnRule = {
  name: 'boundary-attachment',
  severity: 'error',
  description: 'Boundary events sit on activities of the same scope, have no incoming flow and at least one outgoing flow',
  check(element, report) {
    if (element.$type !== 'bpmn:BoundaryEvent') return;
    const host = element.get('attachedToRef') as ModdleElement | undefined;
    if (!host) {
      report(element, `The boundary event "${element.name ?? element.id ?? ''}" is not attached to an activity`);
    } else if (!ACTIVITIES.includes(host.$type) || host.get('triggeredByEvent') === true) {
      report(element, `A boundary event cannot sit on ${tag(host.$type)} "${host.name ?? host.id ?? ''}"; attach it to a task, subprocess or call activity`);
    } else if (host.$parent !== element.$parent) {
      report(element, `The boundary event and its activity "${host.id ?? ''}" are in different scopes`);
    }
    if (flowsOf(element, 'incoming').length > 0) report(element, 'A boundary event cannot have incoming sequence flows');
    // A compensation boundary event is linked to its handler by an association instead (judged by supported-elements).
    const compensation = eventDefinitionsOf(element).some((d) => d.$type === 'bpmn:CompensateEventDefinition');
    if (!compensation && flowsOf(element, 'outgoing').length === 0) {
      report(element, `The boundary event "${element.name ?? element.id ?? ''}" has no outgoing sequence flow; it must lead somewhere when it is triggered`);
    }
  },
};
