// The compiled form of a definition: plain, serialisable data the workflow receives. No moddle
// objects, no functions; the same XML always compiles to the same graph.

import type { FormSchema } from '../engine/form';

/** Version of this graph format; bumped when its shape changes incompatibly. */
export const GRAPH_FORMAT_VERSION = 1;

/** Node types the engine executes (BPMN local names). */
export type NodeType =
  | 'startEvent'
  | 'endEvent'
  | 'intermediateCatchEvent'
  | 'intermediateThrowEvent'
  | 'boundaryEvent'
  | 'task'
  | 'manualTask'
  | 'serviceTask'
  | 'userTask'
  | 'receiveTask'
  | 'sendTask'
  | 'exclusiveGateway'
  | 'parallelGateway'
  | 'inclusiveGateway'
  | 'eventBasedGateway'
  | 'subProcess'
  | 'callActivity';

/** A timer: literal ISO-8601 text, or a FEEL expression (with its leading "="). */
export interface TimerSpec {
  kind: 'date' | 'duration' | 'cycle';
  value: string;
}

/** What starts or triggers an event. */
export type EventTrigger =
  | { kind: 'none' }
  | { kind: 'timer'; timer: TimerSpec }
  | { kind: 'message'; messageName: string; correlationKey: string | null }
  | { kind: 'error'; errorCode: string | null }
  | { kind: 'terminate' };

/** One variable mapping of zeebe:ioMapping. */
export interface Mapping {
  source: string;
  target: string;
}

/** A flow node with everything the engine needs to execute it. */
export interface GraphNode {
  id: string;
  type: NodeType;
  name: string | null;
  /** The process or subprocess whose flow contains this node. */
  scopeId: string;
  incoming: string[];
  outgoing: string[];
  trigger?: EventTrigger;
  attachedTo?: string;
  /** Boundary events and event-subprocess starts: whether triggering cancels the activity or scope. */
  interrupting?: boolean;
  defaultFlow?: string;
  task?: { type: string; retries: string };
  headers?: Record<string, string>;
  assignment?: { assignee: string | null; candidateGroups: string | null; candidateUsers: string | null };
  schedule?: { dueDate: string | null; followUpDate: string | null };
  form?: { formKey: string | null; formId: string | null };
  priority?: string;
  inputs?: Mapping[];
  outputs?: Mapping[];
  multiInstance?: {
    sequential: boolean;
    inputCollection: string;
    inputElement: string | null;
    outputCollection: string | null;
    outputElement: string | null;
    completionCondition: string | null;
  };
  calledElement?: {
    processId: string;
    propagateAllChildVariables: boolean;
    propagateAllParentVariables: boolean;
    /** Which version starts: the latest, the one deployed with (before) the caller, or the newest with `versionTag`. */
    bindingType: CallBinding;
    versionTag: string | null;
  };
  /** Subprocesses: the ids of the nodes directly inside, in document order. */
  children?: string[];
  triggeredByEvent?: boolean;
}

/** A sequence flow; `condition` is FEEL text with its leading "=" or null. */
export interface GraphFlow {
  id: string;
  name: string | null;
  source: string;
  target: string;
  condition: string | null;
}

/** How a call activity picks the version of the process it calls (`zeebe:calledElement bindingType`). */
export type CallBinding = 'latest' | 'deployment' | 'versionTag';

/** A compiled, executable process. */
export interface ProcessGraph {
  formatVersion: typeof GRAPH_FORMAT_VERSION;
  processId: string;
  name: string | null;
  /** `zeebe:versionTag` of the process, which call activities may bind to; absent in graphs compiled before it was kept. */
  versionTag?: string | null;
  /**
   * Variables the model marks as sensitive (a process-level `zeebe:properties` entry named
   * `sensitive`, listing names separated by commas): shown only to those who may read the
   * instance. Absent in graphs compiled before it was kept, and when the model marks none.
   */
  sensitive?: string[];
  /** SHA-256 of the source XML, hex. */
  checksum: string;
  /** Ids of the nodes directly in the process, in document order. */
  children: string[];
  nodes: Record<string, GraphNode>;
  flows: Record<string, GraphFlow>;
  /**
   * form-js schemas of the user tasks' `zeebe:formDefinition formId`s, bound when the version
   * was deployed (from processes/forms/), so completions are checked against the form the
   * version was deployed with.
   */
  forms?: Record<string, FormSchema>;
}
