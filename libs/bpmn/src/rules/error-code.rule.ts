import { eventDefinitionsOf, isElement, text } from '../definition/moddle';
import type { BpmnRule } from './rule';

/**
 * A thrown error is caught by code, so an error end event must say which code it throws. A
 * catching event whose error has no code (or that names no error) catches every error, as in
 * Camunda 8, which also refuses an expression as the code a catching event waits for.
 */
export const errorCode: BpmnRule = {
  name: 'error-code',
  severity: 'error',
  description: 'Error end events reference an error with a code; catching events catch by a static code, or every error without one',
  check(element, report) {
    const definition = eventDefinitionsOf(element).find((d) => d.$type === 'bpmn:ErrorEventDefinition');
    if (!definition) return;
    const error = definition.get('errorRef');
    const label = `"${element.name ?? element.id ?? ''}"`;
    const code = isElement(error) ? text(error, 'errorCode') : undefined;
    if (element.$type === 'bpmn:EndEvent') {
      if (!isElement(error)) report(element, `The error end event ${label} does not reference an error`);
      else if (!code) report(element, `The error "${error.id ?? ''}" used by ${label} has no error code`);
      return;
    }
    if (code?.trimStart().startsWith('=')) {
      report(element, `The error code "${code}" caught by ${label} is an expression; a catching event needs a fixed code, or none to catch every error`);
    }
  },
};
