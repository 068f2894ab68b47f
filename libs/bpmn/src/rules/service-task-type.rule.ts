import { extension, text } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';

/** Service and send tasks are done by a handler registered for their task type. */
export const serviceTaskType: BpmnRule = {
  name: 'service-task-type',
  severity: 'error',
  description: 'Service and send tasks name a task type (zeebe:taskDefinition type)',
  check(element, report) {
    if (element.$type !== 'bpmn:ServiceTask' && element.$type !== 'bpmn:SendTask') return;
    const definition = extension(element, 'zeebe:TaskDefinition');
    if (!text(definition, 'type')) {
      report(element, `${tag(element.$type)} "${element.name ?? element.id ?? ''}" has no task type (zeebe:taskDefinition type)`);
    }
    const retries = text(definition, 'retries');
    if (retries !== undefined && !retries.startsWith('=') && !/^\d+$/.test(retries.trim())) {
      report(element, `retries "${retries}" must be a whole number or a FEEL expression`);
    }
  },
};
