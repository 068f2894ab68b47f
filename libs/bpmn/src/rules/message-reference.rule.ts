import type { ModdleElement } from '../definition/moddle';
import { eventDefinitionsOf, extension, isElement, text } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';

function isProcessLevelStart(element: ModdleElement): boolean {
  return element.$type === 'bpmn:StartEvent' && element.$parent?.$type === 'bpmn:Process';
}

/**
 * Messages are correlated by name and key: every message event names a message, and every
 * subscription inside a running instance says which key routes a message to it.
 */
export const messageReference: BpmnRule = {
  name: 'message-reference',
  severity: 'error',
  description: 'Message events name a message; catch events also a correlation key',
  check(element, report) {
    let message: unknown;
    if (element.$type === 'bpmn:ReceiveTask') {
      message = element.get('messageRef');
    } else {
      const definition = eventDefinitionsOf(element).find((d) => d.$type === 'bpmn:MessageEventDefinition');
      if (!definition) return;
      message = definition.get('messageRef');
    }
    const label = `${tag(element.$type)} "${element.name ?? element.id ?? ''}"`;
    if (!isElement(message)) {
      report(element, `${label} does not reference a message`);
      return;
    }
    if (!text(message, 'name')) report(element, `The message "${message.id ?? ''}" used by ${label} has no name`);
    if (!isProcessLevelStart(element) && !text(extension(message, 'zeebe:Subscription'), 'correlationKey')) {
      report(element, `The message "${text(message, 'name') ?? message.id ?? ''}" used by ${label} has no correlation key (zeebe:subscription correlationKey)`);
    }
  },
};
