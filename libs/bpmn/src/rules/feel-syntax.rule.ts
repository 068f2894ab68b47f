import { feelSyntaxError, feelText, isFeelExpression } from '../definition/feel';
import { xmlName } from '../definition/names';
import type { BpmnRule } from './rule';
import { ownerOf } from './owner';

/** Expressions are parsed at deploy time, so a typo is a finding, not an incident months later. */
export const feelSyntax: BpmnRule = {
  name: 'feel-syntax',
  severity: 'error',
  description: 'Every FEEL expression ("=…") parses',
  check(element, report) {
    const isFormal = element.$type === 'bpmn:FormalExpression' || element.$type === 'bpmn:Expression';
    if (!isFormal && !element.$type.startsWith('zeebe:') && element.$type !== 'bpmn:Message') return;
    for (const property of element.$descriptor?.properties ?? []) {
      if (!(property.isAttr || property.isBody) || property.type !== 'String') continue;
      const value = element.get(property.name);
      if (typeof value !== 'string' || !isFeelExpression(value)) continue;
      const problem = feelSyntaxError(feelText(value));
      if (problem === undefined) continue;
      const owner = ownerOf(element);
      const where = isFormal ? (findPropertyName(element) ?? 'an expression') : `${xmlName(element.$type)} ${property.name}`;
      report(owner, `The FEEL expression in ${where} does not parse (${problem}): ${value.trim()}`);
    }
  },
};

/** Name of the parent property holding this expression, e.g. conditionExpression or timeCycle. */
function findPropertyName(expression: { $parent?: { $descriptor?: { properties: Array<{ name: string }> }; get(n: string): unknown } }): string | undefined {
  const parent = expression.$parent;
  return parent?.$descriptor?.properties.find((p) => parent.get(p.name) === expression)?.name;
}
