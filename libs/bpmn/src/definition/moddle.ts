// The slice of bpmn-moddle's object model this library reads. bpmn-moddle ships no types that
// classic Node module resolution can find, so the shapes are declared here, loosely.

/** Any element of a parsed model: BPMN, zeebe extension, or foreign (generic) element. */
export interface ModdleElement {
  $type: string;
  $parent?: ModdleElement;
  $attrs?: Record<string, string>;
  $descriptor?: { properties: ModdleProperty[]; isGeneric?: boolean };
  $children?: ModdleElement[];
  id?: string;
  name?: string;
  get(name: string): unknown;
  [key: string]: unknown;
}

/** One property of a moddle type descriptor. */
export interface ModdleProperty {
  name: string;
  type: string;
  isMany?: boolean;
  isReference?: boolean;
  isAttr?: boolean;
  isBody?: boolean;
}

/** Whether `value` is a moddle element (as opposed to a primitive property). */
export function isElement(value: unknown): value is ModdleElement {
  return typeof value === 'object' && value !== null && typeof (value as { $type?: unknown }).$type === 'string';
}

/** Whether `element` is an instance of `type` (e.g. `bpmn:Activity`), following inheritance. */
export function is(element: ModdleElement | undefined, type: string): boolean {
  if (!element) return false;
  const instanceOf = (element as { $instanceOf?: (t: string) => boolean }).$instanceOf;
  return typeof instanceOf === 'function' ? instanceOf.call(element, type) : element.$type === type;
}

/** Contained child elements of `element` in document order (references and diagram data excluded). */
export function childrenOf(element: ModdleElement): ModdleElement[] {
  const children: ModdleElement[] = [];
  for (const property of element.$descriptor?.properties ?? []) {
    if (property.isReference) continue;
    const value = element.get(property.name);
    for (const item of Array.isArray(value) ? value : [value]) {
      if (isElement(item)) children.push(item);
    }
  }
  for (const child of element.$children ?? []) {
    if (isElement(child)) children.push(child);
  }
  return children;
}

/** Whether `element` belongs to a foreign extension: neither BPMN, zeebe nor diagram interchange. */
export function isForeign(element: ModdleElement): boolean {
  return !/^(bpmn|zeebe|bpmndi|dc|di):/.test(element.$type);
}

/**
 * Every element below `root` (inclusive), depth first, skipping the diagram interchange and
 * the subtrees `skip` names. A foreign extension element is listed but not entered: what it
 * contains is the extension's own content, even elements in the BPMN namespace.
 */
export function allElements(root: ModdleElement, skip: (element: ModdleElement) => boolean = () => false): ModdleElement[] {
  const out: ModdleElement[] = [];
  const visit = (element: ModdleElement): void => {
    if (element.$type.startsWith('bpmndi:') || element.$type.startsWith('dc:') || element.$type.startsWith('di:')) return;
    if (skip(element)) return;
    out.push(element);
    if (element !== root && isForeign(element)) return;
    childrenOf(element).forEach(visit);
  };
  visit(root);
  return out;
}

/** Whether `element` is a process not marked executable: a drawing that Camunda 8 neither checks nor deploys. */
export function isNonExecutableProcess(element: ModdleElement): boolean {
  return element.$type === 'bpmn:Process' && element.get('isExecutable') !== true;
}

/** The extension elements of `element` (zeebe or foreign), in document order. */
export function extensionsOf(element: ModdleElement): ModdleElement[] {
  const container = element.get('extensionElements');
  if (!isElement(container)) return [];
  const values = container.get('values');
  return Array.isArray(values) ? values.filter(isElement) : [];
}

/** The first extension element of the given type, e.g. `zeebe:TaskDefinition`. */
export function extension(element: ModdleElement, type: string): ModdleElement | undefined {
  return extensionsOf(element).find((candidate) => candidate.$type === type);
}

/** A string property, or undefined when absent or blank. */
export function text(element: ModdleElement | undefined, property: string): string | undefined {
  const value = element?.get(property);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** The body of a `bpmn:FormalExpression` property (conditions, timers, completion conditions). */
export function expressionBody(element: ModdleElement | undefined, property: string): string | undefined {
  const expression = element?.get(property);
  return isElement(expression) ? text(expression, 'body') : undefined;
}

/** The event definitions of an event (empty for none events). */
export function eventDefinitionsOf(event: ModdleElement): ModdleElement[] {
  const definitions = event.get('eventDefinitions');
  return Array.isArray(definitions) ? definitions.filter(isElement) : [];
}

const flowIndex = new WeakMap<ModdleElement, Map<ModdleElement, { incoming: ModdleElement[]; outgoing: ModdleElement[] }>>();

/**
 * Sequence flows into / out of a flow node, derived from the flows' sourceRef and targetRef as
 * the engine follows them (a node's own <bpmn:incoming>/<bpmn:outgoing> lists are optional).
 */
export function flowsOf(node: ModdleElement, direction: 'incoming' | 'outgoing'): ModdleElement[] {
  const scope = node.$parent;
  if (!scope) return [];
  let index = flowIndex.get(scope);
  if (!index) {
    index = new Map();
    const entry = (element: unknown) => {
      if (!isElement(element)) return undefined;
      let value = index!.get(element);
      if (!value) {
        value = { incoming: [], outgoing: [] };
        index!.set(element, value);
      }
      return value;
    };
    for (const flow of flowElementsOf(scope)) {
      if (flow.$type !== 'bpmn:SequenceFlow') continue;
      entry(flow.get('sourceRef'))?.outgoing.push(flow);
      entry(flow.get('targetRef'))?.incoming.push(flow);
    }
    flowIndex.set(scope, index);
  }
  return index.get(node)?.[direction] ?? [];
}

/** The flow elements directly inside a process or subprocess. */
export function flowElementsOf(container: ModdleElement): ModdleElement[] {
  const elements = container.get('flowElements');
  return Array.isArray(elements) ? elements.filter(isElement) : [];
}
