import type { ModdleElement } from '../definition/moddle';
import { is } from '../definition/moddle';

/**
 * Where a finding about an extension, expression or event definition belongs: the nearest
 * enclosing flow element (task, event, flow) or process, else the nearest BPMN element with an id.
 */
export function ownerOf(element: ModdleElement): ModdleElement {
  let fallback: ModdleElement | undefined;
  for (let current: ModdleElement | undefined = element; current; current = current.$parent) {
    if (current.id && (is(current, 'bpmn:FlowElement') || current.$type === 'bpmn:Process')) return current;
    if (!fallback && current.$type.startsWith('bpmn:') && current.id) fallback = current;
  }
  return fallback ?? element;
}
