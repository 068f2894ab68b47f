import type { ModdleElement } from '../definition/moddle';
import { childrenOf, eventDefinitionsOf, is, isElement, isForeign } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';
import { ownerOf } from './owner';

/** Flow elements the engine executes. */
const FLOW_ELEMENTS = new Set([
  'bpmn:StartEvent',
  'bpmn:EndEvent',
  'bpmn:IntermediateCatchEvent',
  'bpmn:IntermediateThrowEvent',
  'bpmn:BoundaryEvent',
  'bpmn:Task',
  'bpmn:ManualTask',
  'bpmn:ServiceTask',
  'bpmn:UserTask',
  'bpmn:ReceiveTask',
  'bpmn:SendTask',
  'bpmn:ExclusiveGateway',
  'bpmn:ParallelGateway',
  'bpmn:InclusiveGateway',
  'bpmn:EventBasedGateway',
  'bpmn:SubProcess',
  'bpmn:CallActivity',
  'bpmn:SequenceFlow',
]);

/** Structure and documentation around the flow: accepted, no behaviour of their own. */
const STRUCTURE = new Set([
  'bpmn:Definitions',
  'bpmn:Process',
  'bpmn:Collaboration',
  'bpmn:Participant',
  'bpmn:MessageFlow',
  'bpmn:LaneSet',
  'bpmn:Lane',
  'bpmn:TextAnnotation',
  'bpmn:Association',
  'bpmn:Group',
  'bpmn:Category',
  'bpmn:CategoryValue',
  'bpmn:Documentation',
  'bpmn:ExtensionElements',
  'bpmn:FormalExpression',
  'bpmn:Expression',
  'bpmn:Message',
  'bpmn:Error',
  'bpmn:MultiInstanceLoopCharacteristics',
  'bpmn:MessageEventDefinition',
  'bpmn:TimerEventDefinition',
  'bpmn:ErrorEventDefinition',
  'bpmn:TerminateEventDefinition',
  'bpmn:ParticipantMultiplicity',
]);

/** Diagram-only data elements: shown to readers, ignored at run time (reported as a warning). */
const DATA_DOCUMENTATION = new Set([
  'bpmn:DataObject',
  'bpmn:DataObjectReference',
  'bpmn:DataStore',
  'bpmn:DataStoreReference',
  'bpmn:DataInputAssociation',
  'bpmn:DataOutputAssociation',
  'bpmn:Property',
]);

/** zeebe extension elements the engine reads, or that carry no behaviour (markers, metadata). */
const ZEEBE = new Set([
  'zeebe:TaskDefinition',
  'zeebe:AssignmentDefinition',
  'zeebe:TaskSchedule',
  'zeebe:IoMapping',
  'zeebe:Input',
  'zeebe:Output',
  'zeebe:LoopCharacteristics',
  'zeebe:CalledElement',
  'zeebe:FormDefinition',
  'zeebe:UserTaskForm',
  'zeebe:PriorityDefinition',
  'zeebe:Subscription',
  'zeebe:UserTask',
  'zeebe:TaskHeaders',
  'zeebe:Header',
  'zeebe:Properties',
  'zeebe:Property',
  'zeebe:VersionTag',
]);

/** Which event definitions each event type may carry ('none' = no definition). */
const EVENT_KINDS: Record<string, string[]> = {
  'bpmn:StartEvent': ['none', 'bpmn:MessageEventDefinition', 'bpmn:TimerEventDefinition'],
  'bpmn:EndEvent': ['none', 'bpmn:TerminateEventDefinition', 'bpmn:ErrorEventDefinition'],
  'bpmn:IntermediateCatchEvent': ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition'],
  'bpmn:IntermediateThrowEvent': ['none'],
  'bpmn:BoundaryEvent': ['bpmn:TimerEventDefinition', 'bpmn:MessageEventDefinition', 'bpmn:ErrorEventDefinition'],
};

/** The distinct BPMN element tags nested anywhere inside a foreign extension element. */
function bpmnInside(foreign: ModdleElement): string[] {
  const found = new Set<string>();
  const visit = (element: ModdleElement): void => {
    for (const child of childrenOf(element)) {
      if (child.$type.startsWith('bpmn:')) found.add(tag(child.$type));
      visit(child);
    }
  };
  visit(foreign);
  return [...found];
}

function isEventSubProcessStart(element: { $parent?: { $type: string; get(name: string): unknown } }): boolean {
  const parent = element.$parent;
  return parent?.$type === 'bpmn:SubProcess' && parent.get('triggeredByEvent') === true;
}

/** Every element is either executed, structural, or refused by name: nothing is silently ignored. */
export const supportedElements: BpmnRule = {
  name: 'supported-elements',
  severity: 'error',
  description: 'Only elements the engine executes (or pure structure and documentation) are accepted',
  check(element, report) {
    const type = element.$type;
    if (type.startsWith('zeebe:')) {
      // Children of an unsupported extension are covered by the finding on their container.
      const parent = element.$parent?.$type ?? '';
      if (!ZEEBE.has(type) && !(parent.startsWith('zeebe:') && !ZEEBE.has(parent))) report(ownerOf(element), `${tag(type)} is not supported`);
      return;
    }
    // Event definitions and loop characteristics are judged with their host, below, so each problem is reported once.
    if (type.endsWith('EventDefinition') && element.$parent?.$type.endsWith('Event')) return;
    if (type.endsWith('LoopCharacteristics') && element.$parent && is(element.$parent, 'bpmn:Activity')) return;
    if (isForeign(element)) {
      report(ownerOf(element), `${tag(type)} is a foreign extension and is ignored at run time`, 'warning');
      const nested = bpmnInside(element);
      if (nested.length > 0) {
        report(ownerOf(element), `${tag(type)} contains BPMN elements (${nested.join(', ')}); they are part of the extension and ignored`, 'warning');
      }
      return;
    }
    if (DATA_DOCUMENTATION.has(type)) {
      report(element, `${tag(type)} is documentation only and has no effect at run time`, 'warning');
      return;
    }
    if (!FLOW_ELEMENTS.has(type) && !STRUCTURE.has(type)) {
      report(element, `${tag(type)} is not supported`);
      return;
    }
    if (type === 'bpmn:StartEvent' && isEventSubProcessStart(element)) {
      const kinds = eventDefinitionsOf(element).map((d) => d.$type);
      for (const kind of kinds) {
        if (!['bpmn:MessageEventDefinition', 'bpmn:TimerEventDefinition', 'bpmn:ErrorEventDefinition'].includes(kind)) {
          report(element, `${tag(kind)} is not supported on the start event of an event subprocess`);
        }
      }
      return;
    }
    const allowed = EVENT_KINDS[type];
    if (allowed) {
      const definitions = eventDefinitionsOf(element);
      if (definitions.length > 1) report(element, `${tag(type)} with several event definitions is not supported`);
      const kind = definitions[0]?.$type ?? 'none';
      if (!allowed.includes(kind)) {
        report(element, kind === 'none' ? `${tag(type)} without an event definition is not supported` : `${tag(kind)} is not supported on ${tag(type)}`);
      }
    }
    const loop = element.get('loopCharacteristics');
    if (isElement(loop) && loop.$type !== 'bpmn:MultiInstanceLoopCharacteristics') {
      report(element, `${tag(loop.$type)} is not supported; use multi-instance`);
    }
    if (type === 'bpmn:SendTask' || type === 'bpmn:ReceiveTask' || is(element, 'bpmn:Task')) {
      if (typeof element.get('script') === 'string') report(element, `a script on ${tag(type)} is not supported`);
    }
  },
};
