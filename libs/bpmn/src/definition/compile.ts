import { createHash } from 'node:crypto';
import type { CallBinding, EventTrigger, GraphFlow, GraphNode, Mapping, NodeType, ProcessGraph, TimerSpec } from './graph';
import { GRAPH_FORMAT_VERSION } from './graph';
import type { ModdleElement } from './moddle';
import { eventDefinitionsOf, expressionBody, extension, flowElementsOf, flowsOf, is, isElement, text } from './moddle';
import { normalizeFeelValue } from './feel';
import { xmlName } from './names';

/** SHA-256 of the definition's XML text: the identity of a deployed version. */
export function definitionChecksum(xml: string): string {
  return createHash('sha256').update(xml, 'utf8').digest('hex');
}

const stringOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);

/** `zeebe:calledElement bindingType`: which version of the called process a call activity starts. */
function bindingOf(value: unknown): CallBinding {
  return value === 'deployment' || value === 'versionTag' ? value : 'latest';
}

/** An expression-valued setting as the engine evaluates it (FEEL string literals may span lines, as in Camunda 8). */
function feel(value: string): string;
function feel(value: string | undefined): string | undefined;
function feel(value: string | null): string | null;
function feel(value: string | null | undefined): string | null | undefined {
  return typeof value === 'string' ? normalizeFeelValue(value) : value;
}

const ids = (elements: ModdleElement[]): string[] => elements.map((e) => e.id ?? '').filter((id) => id !== '');
const orNull = (value: string | undefined): string | null => value ?? null;

function timerOf(definition: ModdleElement): TimerSpec {
  for (const [property, kind] of [['timeDate', 'date'], ['timeDuration', 'duration'], ['timeCycle', 'cycle']] as const) {
    const value = expressionBody(definition, property);
    if (value !== undefined) return { kind, value: feel(value.trim()) };
  }
  throw new Error(`timer ${definition.id ?? ''} has no value`);
}

function triggerOf(event: ModdleElement): EventTrigger {
  const definition = eventDefinitionsOf(event)[0];
  if (!definition) return { kind: 'none' };
  switch (definition.$type) {
    case 'bpmn:TimerEventDefinition':
      return { kind: 'timer', timer: timerOf(definition) };
    case 'bpmn:MessageEventDefinition': {
      const message = definition.get('messageRef') as ModdleElement;
      return {
        kind: 'message',
        messageName: feel(text(message, 'name') ?? ''),
        correlationKey: feel(orNull(text(extension(message, 'zeebe:Subscription'), 'correlationKey'))),
      };
    }
    case 'bpmn:ErrorEventDefinition': {
      const error = definition.get('errorRef');
      return { kind: 'error', errorCode: isElement(error) ? orNull(text(error, 'errorCode')) : null };
    }
    case 'bpmn:TerminateEventDefinition':
      return { kind: 'terminate' };
    default:
      throw new Error(`unsupported event definition ${definition.$type}`);
  }
}

function mappings(element: ModdleElement, property: 'inputParameters' | 'outputParameters'): Mapping[] | undefined {
  const io = extension(element, 'zeebe:IoMapping');
  const list = io?.get(property);
  if (!Array.isArray(list) || list.length === 0) return undefined;
  return list.filter(isElement).map((m) => ({ source: feel(text(m, 'source') ?? ''), target: text(m, 'target') ?? '' }));
}

function compileNode(element: ModdleElement, scopeId: string): GraphNode {
  const type = xmlName(element.$type).slice('bpmn:'.length) as NodeType;
  const node: GraphNode = {
    id: element.id ?? '',
    type,
    name: orNull(text(element, 'name')),
    scopeId,
    incoming: ids(flowsOf(element, 'incoming')),
    outgoing: ids(flowsOf(element, 'outgoing')),
  };
  if (is(element, 'bpmn:Event')) node.trigger = triggerOf(element);
  if (element.$type === 'bpmn:ReceiveTask') {
    const message = element.get('messageRef') as ModdleElement;
    node.trigger = {
      kind: 'message',
      messageName: feel(text(message, 'name') ?? ''),
      correlationKey: feel(orNull(text(extension(message, 'zeebe:Subscription'), 'correlationKey'))),
    };
  }
  if (element.$type === 'bpmn:BoundaryEvent') {
    node.attachedTo = (element.get('attachedToRef') as ModdleElement).id ?? '';
    node.interrupting = element.get('cancelActivity') !== false;
  }
  if (element.$type === 'bpmn:StartEvent' && element.$parent?.get('triggeredByEvent') === true) {
    node.interrupting = element.get('isInterrupting') !== false;
  }
  const defaultFlow = element.get('default');
  if (isElement(defaultFlow) && defaultFlow.id) node.defaultFlow = defaultFlow.id;

  const taskDefinition = extension(element, 'zeebe:TaskDefinition');
  if (taskDefinition) node.task = { type: feel(text(taskDefinition, 'type') ?? ''), retries: feel(text(taskDefinition, 'retries') ?? '3') };
  const headers = extension(element, 'zeebe:TaskHeaders')?.get('values');
  if (Array.isArray(headers) && headers.length > 0) {
    node.headers = Object.fromEntries(headers.filter(isElement).map((h) => [text(h, 'key') ?? '', text(h, 'value') ?? '']));
  }
  const assignment = extension(element, 'zeebe:AssignmentDefinition');
  if (assignment) {
    node.assignment = {
      assignee: feel(orNull(text(assignment, 'assignee'))),
      candidateGroups: feel(orNull(text(assignment, 'candidateGroups'))),
      candidateUsers: feel(orNull(text(assignment, 'candidateUsers'))),
    };
  }
  const schedule = extension(element, 'zeebe:TaskSchedule');
  if (schedule) node.schedule = { dueDate: feel(orNull(text(schedule, 'dueDate'))), followUpDate: feel(orNull(text(schedule, 'followUpDate'))) };
  const form = extension(element, 'zeebe:FormDefinition');
  if (form) node.form = { formKey: orNull(text(form, 'formKey')), formId: orNull(text(form, 'formId')) };
  const priority = text(extension(element, 'zeebe:PriorityDefinition'), 'priority');
  if (priority !== undefined) node.priority = feel(priority);
  const inputs = mappings(element, 'inputParameters');
  if (inputs) node.inputs = inputs;
  const outputs = mappings(element, 'outputParameters');
  if (outputs) node.outputs = outputs;

  const loop = element.get('loopCharacteristics');
  if (isElement(loop)) {
    const zeebe = extension(loop, 'zeebe:LoopCharacteristics');
    node.multiInstance = {
      sequential: loop.get('isSequential') === true,
      inputCollection: feel(text(zeebe, 'inputCollection') ?? ''),
      inputElement: orNull(text(zeebe, 'inputElement')),
      outputCollection: orNull(text(zeebe, 'outputCollection')),
      outputElement: feel(orNull(text(zeebe, 'outputElement'))),
      completionCondition: feel(orNull(expressionBody(loop, 'completionCondition')?.trim())),
    };
  }
  const called = extension(element, 'zeebe:CalledElement');
  if (called) {
    node.calledElement = {
      processId: feel(text(called, 'processId') ?? ''),
      propagateAllChildVariables: called.get('propagateAllChildVariables') !== false,
      propagateAllParentVariables: called.get('propagateAllParentVariables') !== false,
      // Newer Camunda Modeler releases write these; this zeebe moddle keeps them as unknown attributes, which get() reads.
      bindingType: bindingOf(called.get('bindingType')),
      versionTag: orNull(stringOrUndefined(called.get('versionTag'))),
    };
  }
  if (element.$type === 'bpmn:SubProcess') {
    node.triggeredByEvent = element.get('triggeredByEvent') === true;
    node.children = ids(flowElementsOf(element).filter((e) => is(e, 'bpmn:FlowNode')));
  }
  return node;
}

/**
 * Compiles one executable process of a validated model to a {@link ProcessGraph}. Every process
 * of a file carries the file's checksum, so an unchanged file keeps its versions.
 */
function compileProcess(process: ModdleElement, checksum: string): ProcessGraph {
  const nodes: Record<string, GraphNode> = {};
  const flows: Record<string, GraphFlow> = {};
  const visit = (scope: ModdleElement): void => {
    for (const element of flowElementsOf(scope)) {
      if (element.$type === 'bpmn:SequenceFlow') {
        flows[element.id ?? ''] = {
          id: element.id ?? '',
          name: orNull(text(element, 'name')),
          source: (element.get('sourceRef') as ModdleElement).id ?? '',
          target: (element.get('targetRef') as ModdleElement).id ?? '',
          condition: feel(orNull(expressionBody(element, 'conditionExpression')?.trim())),
        };
      } else if (is(element, 'bpmn:FlowNode')) {
        nodes[element.id ?? ''] = compileNode(element, scope.id ?? '');
        if (element.$type === 'bpmn:SubProcess') visit(element);
      }
    }
  };
  visit(process);
  return {
    formatVersion: GRAPH_FORMAT_VERSION,
    processId: process.id ?? '',
    name: orNull(text(process, 'name')),
    versionTag: orNull(stringOrUndefined(extension(process, 'zeebe:VersionTag')?.get('value'))),
    ...sensitiveOf(process),
    checksum,
    children: ids(flowElementsOf(process).filter((e) => is(e, 'bpmn:FlowNode'))),
    nodes,
    flows,
  };
}

/** The variables a process marks as sensitive: its `zeebe:properties` entry `sensitive="a, b"`. */
function sensitiveOf(process: ModdleElement): { sensitive?: string[] } {
  const properties = extension(process, 'zeebe:Properties')?.get('properties');
  const entry = (Array.isArray(properties) ? properties.filter(isElement) : []).find((property) => property.get('name') === 'sensitive');
  const names = (stringOrUndefined(entry?.get('value')) ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  return names.length > 0 ? { sensitive: [...new Set(names)] } : {};
}

/** The executable processes of a model, in document order. */
export function executableProcessesOf(definitions: ModdleElement): ModdleElement[] {
  const rootElements = definitions.get('rootElements');
  return (Array.isArray(rootElements) ? rootElements.filter(isElement) : []).filter(
    (e) => e.$type === 'bpmn:Process' && e.get('isExecutable') === true,
  );
}

/**
 * Compiles a validated model to one {@link ProcessGraph} per executable process, in document
 * order, as Camunda 8 deploys each under its own key. Call only when validation found no errors:
 * the compiler trusts what the rules guarantee.
 */
export function compileDefinition(definitions: ModdleElement, xml: string): ProcessGraph[] {
  const processes = executableProcessesOf(definitions);
  if (processes.length === 0) throw new Error('the definition has no executable process');
  const checksum = definitionChecksum(xml);
  return processes.map((process) => compileProcess(process, checksum));
}
