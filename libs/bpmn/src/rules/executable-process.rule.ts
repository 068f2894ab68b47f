import { is } from '../definition/moddle';
import type { BpmnRule } from './rule';

/**
 * A deployment runs the processes marked executable, each under its own key, as Camunda 8
 * does; a file with none of them would deploy nothing.
 */
export const executableProcess: BpmnRule = {
  name: 'executable-process',
  severity: 'error',
  description: 'The definition holds at least one executable process',
  check(element, report, context) {
    if (!is(element, 'bpmn:Definitions')) return;
    const processes = context.elements.filter((e) => e.$type === 'bpmn:Process');
    if (processes.length === 0) report(element, 'The definition contains no <bpmn:process>');
    else if (!processes.some((p) => p.get('isExecutable') === true)) report(element, 'No process is marked executable (isExecutable="true")');
  },
};
