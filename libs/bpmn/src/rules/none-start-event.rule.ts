import { eventDefinitionsOf, flowElementsOf } from '../definition/moddle';
import type { BpmnRule } from './rule';

/**
 * Instances start through the API at the process's none start event (at most one), or when a
 * published message matches a message start event. A process with neither (timer starts only)
 * could never start: nothing schedules timer starts.
 */
export const noneStartEvent: BpmnRule = {
  name: 'none-start-event',
  severity: 'error',
  description: 'An executable process has one none start event or message start events; an embedded subprocess exactly one start event',
  check(element, report) {
    const isProcess = element.$type === 'bpmn:Process' && element.get('isExecutable') === true;
    const isEmbedded = element.$type === 'bpmn:SubProcess' && element.get('triggeredByEvent') !== true;
    if (!isProcess && !isEmbedded) return;
    const starts = flowElementsOf(element).filter((e) => e.$type === 'bpmn:StartEvent');
    const none = starts.filter((e) => eventDefinitionsOf(e).length === 0);
    if (isProcess) {
      const byMessage = starts.filter((e) => eventDefinitionsOf(e).some((d) => d.$type === 'bpmn:MessageEventDefinition'));
      if (none.length === 0 && byMessage.length === 0) {
        report(element, 'The process has no none start event (a start event without a trigger) and no message start event, so nothing can start it');
      }
      if (none.length > 1) report(element, `The process has ${none.length} none start events; only one is allowed`);
    } else {
      if (none.length !== 1 || starts.length !== 1) {
        report(element, 'An embedded subprocess needs exactly one start event, without a trigger');
      }
    }
  },
};
