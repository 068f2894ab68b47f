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
  /** Open incidents in child instances, "processId/elementId", as the root instance shows them. */
  childIncidents?: string[];
  /** Elements waiting for a job, task, timer or message. */
  waitingAt?: string[];
}

/** A conformance case file: BPMN beside it, this JSON describing the script and the expectation. */
export interface ConformanceCase {
  description: string;
  /** BPMN files beside the case that call activities may start (deployed before the case runs). */
  calls?: string[];
  /**
   * Why the case runs on the simulator's virtual clock only: a message's time-to-live is real
   * time in the product, so its expiry is tested there against the real clock instead.
   */
  simulatorOnly?: string;
  scenario: Scenario;
  expect: CaseExpectation;
}

/** What a run of a case shows, however it ran (simulator or Temporal): the material expectations check. */
export interface ObservedRun {
  status: 'active' | 'completed' | 'cancelled';
  /** Trace lines "kind elementId" (child elements as "processId/elementId"). */
  lines: string[];
  /** Trace lines "YYYY-MM-DDTHH:mm kind elementId". */
  timeline: string[];
  /** Process variables at the end, or the live root scope. */
  variables: Record<string, unknown>;
  /** Element ids with an open incident (in the root instance). */
  incidents: string[];
  /** "processId/elementId" of open incidents in running child instances and their descendants. */
  childIncidents: string[];
  /** Element ids waiting for a job, task, timer, message or child (in the root instance). */
  waitingAt: string[];
}

/** The process variables at the end of a simulation: the completed variables, or the live root scope. */
export function finalVariables(result: SimulationResult): Record<string, unknown> {
  const completed = [...result.commands].reverse().find((c) => c.type === 'completeInstance');
  if (completed?.type === 'completeInstance') return completed.variables;
  return result.state.elements[result.state.rootId]?.variables ?? {};
}

/** A simulation as an observed run. */
export function observeSimulation(result: SimulationResult): ObservedRun {
  return {
    status: result.state.status,
    lines: result.lines,
    timeline: result.timeline,
    variables: finalVariables(result),
    incidents: Object.values(result.state.incidents).map((i) => i.elementId),
    childIncidents: result.children
      .filter((child) => child.status === 'active')
      .flatMap((child) => Object.values(child.incidents).map((i) => `${child.graph.processId}/${i.elementId}`)),
    waitingAt: Object.values(result.state.elements).filter((e) => e.wait).map((e) => e.elementId),
  };
}

/** Compares a run with an expectation; returns the differences, empty when it conforms. */
export function conformanceProblems(run: ObservedRun, expected: CaseExpectation): string[] {
  const problems: string[] = [];
  const lines = run.lines;
  if (run.status !== expected.status) problems.push(`status is ${run.status}, expected ${expected.status}`);
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
    const index = run.timeline.indexOf(line, cursor);
    if (index < 0) problems.push(`timeline lacks "${line}" (in order) in ${JSON.stringify(run.timeline)}`);
    else cursor = index + 1;
  }
  const variables = run.variables;
  for (const [name, value] of Object.entries(expected.variables ?? {})) {
    if (JSON.stringify(variables[name]) !== JSON.stringify(value)) {
      problems.push(`variable ${name} is ${JSON.stringify(variables[name])}, expected ${JSON.stringify(value)}`);
    }
  }
  for (const name of expected.absentVariables ?? []) if (name in variables) problems.push(`variable ${name} should not be set`);
  if (expected.incidents) {
    const incidents = [...run.incidents].sort();
    if (JSON.stringify(incidents) !== JSON.stringify([...expected.incidents].sort())) problems.push(`incidents at ${JSON.stringify(incidents)}`);
  }
  if (expected.childIncidents) {
    const childIncidents = [...run.childIncidents].sort();
    if (JSON.stringify(childIncidents) !== JSON.stringify([...expected.childIncidents].sort())) problems.push(`child incidents at ${JSON.stringify(childIncidents)}`);
  }
  if (expected.waitingAt) {
    const waiting = [...run.waitingAt].sort();
    if (JSON.stringify(waiting) !== JSON.stringify([...expected.waitingAt].sort())) problems.push(`waiting at ${JSON.stringify(waiting)}`);
  }
  return problems;
}
