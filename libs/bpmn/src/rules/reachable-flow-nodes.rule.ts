import type { ModdleElement } from '../definition/moddle';
import { flowElementsOf, flowsOf, is } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';

/** Nodes where tokens enter a scope without an incoming flow. */
function isEntry(node: ModdleElement): boolean {
  return (
    node.$type === 'bpmn:StartEvent' ||
    node.$type === 'bpmn:BoundaryEvent' ||
    (node.$type === 'bpmn:SubProcess' && node.get('triggeredByEvent') === true)
  );
}

/** Every flow node can be reached from a start event, a boundary event or an event subprocess. */
export const reachableFlowNodes: BpmnRule = {
  name: 'reachable-flow-nodes',
  severity: 'error',
  description: 'Every flow node can be reached from an entry of its scope',
  check(scope, report) {
    if (scope.$type !== 'bpmn:Process' && scope.$type !== 'bpmn:SubProcess') return;
    const nodes = flowElementsOf(scope).filter((e) => is(e, 'bpmn:FlowNode'));
    const reached = new Set<ModdleElement>();
    const queue = nodes.filter(isEntry);
    while (queue.length > 0) {
      const node = queue.pop()!;
      if (reached.has(node)) continue;
      reached.add(node);
      for (const flow of flowsOf(node, 'outgoing')) {
        const target = flow.get('targetRef') as ModdleElement | undefined;
        if (target) queue.push(target);
      }
    }
    for (const node of nodes) {
      if (!reached.has(node)) report(node, `${tag(node.$type)} "${node.name ?? node.id ?? ''}" cannot be reached from a start event`);
    }
  },
};
