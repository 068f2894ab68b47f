import { extension, text } from '../definition/moddle';
import type { BpmnRule } from './rule';

/** A call activity starts a child instance of a named process. */
export const callActivityProcess: BpmnRule = {
  name: 'call-activity-process',
  severity: 'error',
  description: 'Call activities name the process they call (zeebe:calledElement processId)',
  check(element, report) {
    if (element.$type !== 'bpmn:CallActivity') return;
    if (!text(extension(element, 'zeebe:CalledElement'), 'processId')) {
      report(element, `The call activity "${element.name ?? element.id ?? ''}" does not name a process (zeebe:calledElement processId)`);
    }
  },
};
