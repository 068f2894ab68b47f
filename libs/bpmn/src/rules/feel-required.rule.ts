import { isFeelExpression } from '../definition/feel';
import type { ModdleElement } from '../definition/moddle';
import { isElement } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';
import { ownerOf } from './owner';

/** A zeebe setting that Camunda 8 evaluates and therefore refuses as a fixed value. */
function staticValue(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  return isFeelExpression(value) ? undefined : value;
}

const label = (element: ModdleElement): string => `${tag(element.$type)} "${element.name ?? element.id ?? ''}"`;

/**
 * Camunda 8 refuses a fixed value where it evaluates an expression: a sequence flow's condition,
 * a message's correlation key, an output mapping's source and a multi-instance input collection
 * or output element must be FEEL ("=…"). A fixed value there would be a typo that only shows at
 * run time.
 */
export const feelRequired: BpmnRule = {
  name: 'feel-required',
  severity: 'error',
  description: 'Conditions, correlation keys, output sources and multi-instance collections are FEEL expressions ("=…")',
  check(element, report) {
    const advice = (value: string): string => `Camunda 8 requires a FEEL expression starting with "=", e.g. "=${value.trim() || 'x'}"`;
    if (element.$type === 'bpmn:SequenceFlow') {
      const condition = element.get('conditionExpression');
      if (!isElement(condition)) return;
      const body = condition.get('body');
      const fixed = staticValue(typeof body === 'string' ? body : '');
      if (fixed !== undefined) {
        report(element, fixed.trim() === '' ? `The condition of the flow "${element.name ?? element.id ?? ''}" is empty` : `The condition "${fixed.trim()}" of the flow "${element.name ?? element.id ?? ''}" is not an expression; ${advice(fixed)}`);
      }
      return;
    }
    if (element.$type === 'zeebe:Subscription') {
      const fixed = staticValue(element.get('correlationKey'));
      const message = element.$parent?.$parent;
      if (fixed !== undefined && fixed.trim() !== '' && message) {
        report(ownerOf(message), `The correlation key "${fixed}" of the message "${message.name ?? message.id ?? ''}" is not an expression; ${advice(fixed)}`);
      }
      return;
    }
    if (element.$type === 'zeebe:Output') {
      const fixed = staticValue(element.get('source') ?? '');
      if (fixed !== undefined) {
        const target = String(element.get('target') ?? '');
        report(ownerOf(element), `The output mapping to "${target}" of ${label(ownerOf(element))} has the fixed source "${fixed}"; ${advice(fixed)}`);
      }
      return;
    }
    if (element.$type === 'zeebe:LoopCharacteristics') {
      for (const property of ['inputCollection', 'outputElement']) {
        const fixed = staticValue(element.get(property));
        if (fixed !== undefined && fixed.trim() !== '') {
          report(ownerOf(element), `The multi-instance ${property} "${fixed}" of ${label(ownerOf(element))} is not an expression; ${advice(fixed)}`);
        }
      }
    }
  },
};
