import type { ModdleElement } from '../definition/moddle';
import { expressionBody, flowsOf } from '../definition/moddle';
import { tag } from '../definition/names';
import type { BpmnRule } from './rule';

const CONDITIONAL_GATEWAYS = ['bpmn:ExclusiveGateway', 'bpmn:InclusiveGateway'];

/**
 * Where exclusive and inclusive gateways split, every outgoing flow has a condition except one
 * default; conditions elsewhere are refused because nothing would evaluate them. A condition on
 * the default flow is ignored, as in Camunda 8, with a warning.
 */
export const gatewayConditions: BpmnRule = {
  name: 'gateway-conditions',
  severity: 'error',
  description: 'Splitting exclusive/inclusive gateways have a condition on every flow but the default',
  check(element, report) {
    if (element.$type === 'bpmn:SequenceFlow') {
      const source = element.get('sourceRef') as ModdleElement | undefined;
      const condition = expressionBody(element, 'conditionExpression');
      if (condition && source && !CONDITIONAL_GATEWAYS.includes(source.$type)) {
        report(element, `Conditions are evaluated only on flows leaving exclusive or inclusive gateways, not ${tag(source.$type)}`);
      }
      return;
    }
    if (!CONDITIONAL_GATEWAYS.includes(element.$type)) return;
    const outgoing = flowsOf(element, 'outgoing');
    if (outgoing.length < 2) return;
    const defaultFlow = element.get('default') as ModdleElement | undefined;
    if (defaultFlow && !outgoing.includes(defaultFlow)) {
      report(element, `The default flow "${defaultFlow.id ?? ''}" does not leave this gateway`);
    }
    for (const flow of outgoing) {
      const condition = expressionBody(flow, 'conditionExpression');
      if (flow === defaultFlow) {
        // Camunda 8 takes the default flow only when no other condition holds and never evaluates its own.
        if (condition) report(flow, `The default flow "${flow.name ?? flow.id ?? ''}" has a condition, which is never evaluated`, 'warning');
      } else if (!condition) {
        report(flow, `The flow "${flow.name ?? flow.id ?? ''}" leaves ${tag(element.$type)} "${element.name ?? element.id ?? ''}" without a condition and is not its default`);
      }
    }
  },
};
