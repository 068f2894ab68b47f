import { eventDefinitionsOf, flowElementsOf, flowsOf } from '../definition/moddle';
import type { BpmnRule } from './rule';

/** An event subprocess is started by its trigger alone: one typed start event, no sequence flows. */
export const eventSubprocessStart: BpmnRule = {
  name: 'event-subprocess-start',
  severity: 'error',
  description: 'Event subprocesses have exactly one typed start event and no incoming or outgoing flows',
  check(element, report) {
    if (element.$type !== 'bpmn:SubProcess' || element.get('triggeredByEvent') !== true) return;
    const label = `The event subprocess "${element.name ?? element.id ?? ''}"`;
    const starts = flowElementsOf(element).filter((e) => e.$type === 'bpmn:StartEvent');
    if (starts.length !== 1) report(element, `${label} needs exactly one start event, found ${starts.length}`);
    for (const start of starts) {
      if (eventDefinitionsOf(start).length === 0) {
        report(start, `${label} must start on a message, timer or error, not a none start event`);
      }
    }
    if (flowsOf(element, 'incoming').length > 0 || flowsOf(element, 'outgoing').length > 0) {
      report(element, `${label} cannot have incoming or outgoing sequence flows`);
    }
  },
};
