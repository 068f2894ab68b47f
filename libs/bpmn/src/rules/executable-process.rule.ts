import { flowElementsOf, is, isElement } from '../definition/moddle';
import type { BpmnRule } from './rule';

/**
 * A deployment runs the processes marked executable, each under its own key, as Camunda 8
 * does; a file with none of them would deploy nothing. A process drawn but not marked
 * executable is neither checked nor deployed, which the modeller is told.
 */
export const executableProcess: BpmnRule = {
  name: 'executable-process',
  severity: 'error',
  description: 'The definition holds at least one executable process; others are neither checked nor deployed',
  check(element, report) {
    if (!is(element, 'bpmn:Definitions')) return;
    const rootElements = element.get('rootElements');
    const processes = (Array.isArray(rootElements) ? rootElements.filter(isElement) : []).filter((e) => e.$type === 'bpmn:Process');
    if (processes.length === 0) report(element, 'The definition contains no <bpmn:process>');
    else if (!processes.some((p) => p.get('isExecutable') === true)) report(element, 'No process is marked executable (isExecutable="true")');
    else {
      for (const process of processes) {
        if (process.get('isExecutable') === true || flowElementsOf(process).length === 0) continue;
        report(process, `The process "${process.name ?? process.id ?? ''}" is not marked executable: it is neither checked nor deployed`, 'warning');
      }
    }
  },
};
