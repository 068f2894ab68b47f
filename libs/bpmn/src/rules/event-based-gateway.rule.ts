import type { ModdleElement } from '../definition/moddle';
import { eventDefinitionsOf, flowsOf } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';

/** An event-based gateway waits for the first of several events, so it must be followed by catch events only. */
export const eventBasedGateway: BpmnRule = {
  name: 'event-based-gateway',
  severity: 'error',
  description: 'Event-based gateways lead to two or more timer or message intermediate catch events',
  check(element, report) {
    if (element.$type !== 'bpmn:EventBasedGateway') return;
    const outgoing = flowsOf(element, 'outgoing');
    const label = `The event-based gateway "${element.name ?? element.id ?? ''}"`;
    if (outgoing.length < 2) report(element, `${label} needs at least two outgoing flows, one per event it waits for`);
    for (const flow of outgoing) {
      const target = flow.get('targetRef') as ModdleElement | undefined;
      if (!target) continue;
      const kinds = eventDefinitionsOf(target).map((d) => d.$type);
      const isCatch =
        target.$type === 'bpmn:IntermediateCatchEvent' && (kinds.includes('bpmn:TimerEventDefinition') || kinds.includes('bpmn:MessageEventDefinition'));
      if (!isCatch) report(flow, `${label} leads to ${tag(target.$type)} "${target.name ?? target.id ?? ''}"; it may lead only to timer or message catch events`);
      if (flow.get('conditionExpression')) report(flow, 'Flows leaving an event-based gateway cannot have conditions');
    }
  },
};
