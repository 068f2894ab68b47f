import { extension, text } from '../definition/moddle';
import type { BpmnRule } from './rule';

/** A call activity starts a child instance of a named process. */
export const callActivityProcess: BpmnRule = {
  name: 'call-activity-process',
  severity: 'error',
  description: 'Call activities name the process they call (zeebe:calledElement processId) and, when bound by version tag, the tag',
  check(element, report) {
    if (element.$type !== 'bpmn:CallActivity') return;
    const called = extension(element, 'zeebe:CalledElement');
    const label = element.name ?? element.id ?? '';
    if (!text(called, 'processId')) {
      report(element, `The call activity "${label}" does not name a process (zeebe:calledElement processId)`);
    }
    const binding = called?.get('bindingType');
    const versionTag = called?.get('versionTag');
    if (binding !== undefined && !(typeof binding === 'string' && ['latest', 'deployment', 'versionTag'].includes(binding))) {
      report(element, `The call activity "${label}" has bindingType "${String(binding)}"; use latest, deployment or versionTag`);
    }
    if (binding === 'versionTag' && !(typeof versionTag === 'string' && versionTag.trim() !== '')) {
      report(element, `The call activity "${label}" binds by version tag but names none (zeebe:calledElement versionTag)`);
    }
  },
};
