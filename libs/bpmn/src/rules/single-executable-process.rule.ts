import { is } from '../definition/moddle';
import type { BpmnRule } from './rule';

/** A deployment runs exactly one process; other pools may be drawn but not marked executable. */
export const singleExecutableProcess: BpmnRule = {
  name: 'single-executable-process',
  severity: 'error',
  description: 'The definition holds exactly one executable process',
  check(element, report, context) {
    if (!is(element, 'bpmn:Definitions')) return;
    const processes = context.elements.filter((e) => e.$type === 'bpmn:Process');
    const executable = processes.filter((p) => p.get('isExecutable') === true);
    if (processes.length === 0) report(element, 'The definition contains no <bpmn:process>');
    else if (executable.length === 0) report(element, 'No process is marked executable (isExecutable="true")');
    else if (executable.length > 1) {
      report(element, `Only one process may be executable; found ${executable.map((p) => `"${p.id ?? '?'}"`).join(', ')}`);
    }
  },
};
