// Which BPMN errors can be caught above an element: what a called process needs to know to
// throw an error it does not catch itself up to its caller, as Camunda 8 does.
import type { GraphNode, ProcessGraph } from '../definition/graph';

/** Error codes some catch event above an element catches; `catchAll` when one catches every error. */
export interface ErrorCatches {
  codes: string[];
  catchAll: boolean;
}

/** Nothing above catches anything: a process that was not called. */
export const NO_CATCHES: ErrorCatches = { codes: [], catchAll: false };

/** Whether `catches` catches an error with `code`. */
export function catchesError(catches: ErrorCatches | null | undefined, code: string): boolean {
  return !!catches && (catches.catchAll || catches.codes.includes(code));
}

function errorCatchersOf(nodes: GraphNode[]): GraphNode[] {
  return nodes.filter((node) => node.trigger?.kind === 'error');
}

/**
 * Every error catch event that is active whenever `nodeId` is: the element's own error
 * boundaries, then for each enclosing scope its error event subprocesses and the scope's
 * boundaries, up to the process; plus `outer`, what the process's own caller catches. The
 * same scopes, in the same order, as the engine's outward search of a thrown error, so a
 * code in the answer is one that search will find.
 */
export function errorCatchesAbove(graph: ProcessGraph, nodeId: string, outer: ErrorCatches | null = null): ErrorCatches {
  const boundariesOf = (id: string): GraphNode[] => Object.values(graph.nodes).filter((n) => n.type === 'boundaryEvent' && n.attachedTo === id);
  const eventStartsIn = (children: string[]): GraphNode[] =>
    children
      .map((id) => graph.nodes[id])
      .filter((n): n is GraphNode => n?.type === 'subProcess' && n.triggeredByEvent === true)
      .flatMap((sub) => (sub.children ?? []).map((id) => graph.nodes[id]).filter((n): n is GraphNode => n?.type === 'startEvent'));
  const found: GraphNode[] = [...errorCatchersOf(boundariesOf(nodeId))];
  for (let scopeId = graph.nodes[nodeId]?.scopeId; scopeId; ) {
    if (scopeId === graph.processId) {
      found.push(...errorCatchersOf(eventStartsIn(graph.children)));
      break;
    }
    const scope = graph.nodes[scopeId];
    if (!scope) break;
    found.push(...errorCatchersOf(eventStartsIn(scope.children ?? [])), ...errorCatchersOf(boundariesOf(scope.id)));
    scopeId = scope.scopeId;
  }
  const codes = new Set(outer?.codes ?? []);
  let catchAll = outer?.catchAll ?? false;
  for (const catcher of found) {
    const code = catcher.trigger?.kind === 'error' ? catcher.trigger.errorCode : null;
    if (code) codes.add(code);
    else catchAll = true;
  }
  return { codes: [...codes].sort(), catchAll };
}
