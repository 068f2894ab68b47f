import { RULES } from '../rules';
import type { BpmnRule, RuleContext } from '../rules';
import type { Finding, Severity } from './finding';
import type { ModdleElement } from './moddle';
import { allElements, isNonExecutableProcess } from './moddle';
import { tag } from './names';

/**
 * Runs every rule on every element; a rule that throws becomes a finding, never a crash.
 * Processes not marked executable are skipped whole, as Camunda 8 skips them: they are
 * drawings (other parties' pools) that never run.
 */
export function validateModel(definitions: ModdleElement, lines: Map<string, number>, rules: readonly BpmnRule[] = RULES): Finding[] {
  const context: RuleContext = { definitions, elements: allElements(definitions, isNonExecutableProcess) };
  const findings: Finding[] = [];
  const seen = new Set<string>();
  const toFinding = (rule: BpmnRule, element: ModdleElement, message: string, severity: Severity): Finding => ({
    rule: rule.name,
    severity,
    elementId: element.id ?? null,
    elementType: tag(element.$type),
    message,
    line: element.id ? (lines.get(element.id) ?? null) : null,
  });
  for (const rule of rules) {
    for (const element of context.elements) {
      try {
        rule.check(
          element,
          (target, message, severity = rule.severity) => {
            const finding = toFinding(rule, target, message, severity);
            const key = `${finding.rule}|${finding.elementId ?? ''}|${finding.message}`;
            if (!seen.has(key)) {
              seen.add(key);
              findings.push(finding);
            }
          },
          context,
        );
      } catch (error) {
        findings.push(
          toFinding(rule, element, `The rule failed on this element: ${error instanceof Error ? error.message : String(error)}`, 'error'),
        );
      }
    }
  }
  return findings;
}
