import { extension, isElement, text } from '../definition/moddle';
import type { BpmnRule } from './rule';

/** Multi-instance runs once per item of a collection, so it needs one; outputs come in pairs. */
export const multiInstanceCollection: BpmnRule = {
  name: 'multi-instance-collection',
  severity: 'error',
  description: 'Multi-instance has an input collection; output collection and element go together',
  check(element, report) {
    const loop = element.get('loopCharacteristics');
    if (!isElement(loop) || loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') return;
    const zeebe = extension(loop, 'zeebe:LoopCharacteristics');
    if (!text(zeebe, 'inputCollection')) {
      report(element, `The multi-instance "${element.name ?? element.id ?? ''}" has no input collection (zeebe:loopCharacteristics inputCollection)`);
    }
    const output = text(zeebe, 'outputCollection');
    const outputElement = text(zeebe, 'outputElement');
    if (Boolean(output) !== Boolean(outputElement)) {
      report(element, 'outputCollection and outputElement must be set together');
    }
  },
};
