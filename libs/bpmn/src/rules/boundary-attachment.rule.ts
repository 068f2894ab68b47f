import type { ModdleElement } from '../definition/moddle';
import { flowsOf } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';

const ACTIVITIES = ['bpmn:ServiceTask', 'bpmn:UserTask', 'bpmn:ReceiveTask', 'bpmn:SendTask', 'bpmn:SubProcess', 'bpmn:CallActivity'];

/** Boundary events belong to an activity in their own scope and are entered only by their trigger. */
export const boundaryAttachment: BpmnRule = {
  name: 'boundary-attachment',
  severity: 'error',
  description: 'Boundary events sit on activities of the same scope and have no incoming flow',
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
  },
};
