import { eventDefinitionsOf, flowElementsOf } from '../definition/moddle';
import type { BpmnRule } from './rule';

/**
 * As in Camunda 8, a process needs a start event of some kind: a none start event (at most
 * one; instances start through the API), message start events (a published message starts
 * one) or timer start events (the timer starts one). An embedded subprocess is entered by
 * exactly one none start event.
 */
export const noneStartEvent: BpmnRule = {
  name: 'none-start-event',
  severity: 'error',
  description: 'An executable process has a start event and at most one none start event; an embedded subprocess exactly one none start event',
  check(element, report) {
    const isProcess = element.$type === 'bpmn:Process' && element.get('isExecutable') === true;
    const isEmbedded = element.$type === 'bpmn:SubProcess' && element.get('triggeredByEvent') !== true;
    if (!isProcess && !isEmbedded) return;
    const starts = flowElementsOf(element).filter((e) => e.$type === 'bpmn:StartEvent');
    const none = starts.filter((e) => eventDefinitionsOf(e).length === 0);
    if (isProcess) {
      if (starts.length === 0) report(element, 'The process has no start event, so nothing can start it');
      if (none.length > 1) report(element, `The process has ${none.length} none start events; only one is allowed`);
    } else {
      if (none.length !== 1 || starts.length !== 1) {
        report(element, 'An embedded subprocess needs exactly one start event, without a trigger');
      }
    }
  },
};
