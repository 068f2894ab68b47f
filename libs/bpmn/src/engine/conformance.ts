import type { Scenario, SimulationResult } from './simulator';

/** What a conformance case expects; every field is optional and checked when present. */
export interface CaseExpectation {
  status: 'active' | 'completed' | 'cancelled';
  /** The whole trace, exactly ("entered X", "completed X", …). */
  trace?: string[];
  contains?: string[];
  excludes?: string[];
  /** How often a trace line occurs. */
  count?: Record<string, number>;
  /** Lines "YYYY-MM-DDTHH:mm kind element" that must occur in this order (others may come between). */
  timeline?: string[];
  /** Process variables at the end (subset match on the named ones). */
  variables?: Record<string, unknown>;
  absentVariables?: string[];
  /** Elements with an open incident. */
  incidents?: string[];
  /** Elements waiting for a job, task, timer or message. */
  waitingAt?: string[];
}

/** A conformance case file: BPMN beside it, this JSON describing the script and the expectation. */
export interface ConformanceCase {
  description: string;
  /** BPMN files beside the case that call activities may start (deployed before the case runs). */
  calls?: string[];
  scenario: Scenario;
  expect: CaseExpectation;
}

/** The process variables at the end of a simulation: the completed variables, or the live root scope. */
export function finalVariables(result: SimulationResult): Record<string, unknown> {
  const completed = [...result.commands].reverse().find((c) => c.type === 'completeInstance');
  if (completed?.type === 'completeInstance') return completed.variables;
  return result.state.elements[result.state.rootId]?.variables ?? {};
}

/** Compares a result with an expectation; returns the differences, empty when it conforms. */
export function conformanceProblems(result: SimulationResult, expected: CaseExpectation): string[] {
  const problems: string[] = [];
  const lines = result.lines;
  if (result.state.status !== expected.status) problems.push(`status is ${result.state.status}, expected ${expected.status}`);
  if (expected.trace && JSON.stringify(lines) !== JSON.stringify(expected.trace)) {
    problems.push(`trace differs:\n  got      ${JSON.stringify(lines)}\n  expected ${JSON.stringify(expected.trace)}`);
  }
  for (const line of expected.contains ?? []) if (!lines.includes(line)) problems.push(`trace lacks "${line}"`);
  for (const line of expected.excludes ?? []) if (lines.includes(line)) problems.push(`trace has "${line}"`);
  for (const [line, count] of Object.entries(expected.count ?? {})) {
    const actual = lines.filter((l) => l === line).length;
    if (actual !== count) problems.push(`"${line}" occurs ${actual} time(s), expected ${count}`);
  }
  let cursor = 0;
  for (const line of expected.timeline ?? []) {
    const index = result.timeline.indexOf(line, cursor);
    if (index < 0) problems.push(`timeline lacks "${line}" (in order) in ${JSON.stringify(result.timeline)}`);
    else cursor = index + 1;
  }
  const variables = finalVariables(result);
  for (const [name, value] of Object.entries(expected.variables ?? {})) {
    if (JSON.stringify(variables[name]) !== JSON.stringify(value)) {
      problems.push(`variable ${name} is ${JSON.stringify(variables[name])}, expected ${JSON.stringify(value)}`);
    }
  }
  for (const name of expected.absentVariables ?? []) if (name in variables) problems.push(`variable ${name} should not be set`);
  if (expected.incidents) {
    const incidents = Object.values(result.state.incidents).map((i) => i.elementId).sort();
    if (JSON.stringify(incidents) !== JSON.stringify([...expected.incidents].sort())) problems.push(`incidents at ${JSON.stringify(incidents)}`);
  }
  if (expected.waitingAt) {
    const waiting = Object.values(result.state.elements).filter((e) => e.wait).map((e) => e.elementId).sort();
    if (JSON.stringify(waiting) !== JSON.stringify([...expected.waitingAt].sort())) problems.push(`waiting at ${JSON.stringify(waiting)}`);
  }
  return problems;
}
