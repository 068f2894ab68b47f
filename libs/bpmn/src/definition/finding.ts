/** How bad a finding is: errors refuse the definition, warnings are reported with it. */
export type Severity = 'error' | 'warning';

/** One problem found in a definition, named by rule and element, with its source line. */
export interface Finding {
  rule: string;
  severity: Severity;
  elementId: string | null;
  elementType: string | null;
  message: string;
  line: number | null;
}

/** Whether a list of findings refuses the definition. */
export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((finding) => finding.severity === 'error');
}

/** Stable order for reports: by line, then rule, then element. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) ||
      a.rule.localeCompare(b.rule) ||
      (a.elementId ?? '').localeCompare(b.elementId ?? ''),
  );
}
