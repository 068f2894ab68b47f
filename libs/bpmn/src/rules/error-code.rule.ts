import { eventDefinitionsOf, isElement, text } from '../definition/moddle';
import type { BpmnRule } from './rule';

/** A thrown error is caught by code, so an error end event must say which code it throws. */
export const errorCode: BpmnRule = {
  name: 'error-code',
  severity: 'error',
  description: 'Error end events reference an error with a code; catching events that reference one need a code too',
  check(element, report) {
    const definition = eventDefinitionsOf(element).find((d) => d.$type === 'bpmn:ErrorEventDefinition');
    if (!definition) return;
    const error = definition.get('errorRef');
    const label = `"${element.name ?? element.id ?? ''}"`;
    if (!isElement(error)) {
      if (element.$type === 'bpmn:EndEvent') report(element, `The error end event ${label} does not reference an error`);
      return;
    }
    if (!text(error, 'errorCode')) report(element, `The error "${error.id ?? ''}" used by ${label} has no error code`);
  },
};
