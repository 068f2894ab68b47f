import * as fs from 'node:fs';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import { conformanceCases } from '../../../../test/support/conformance-cases';
import { checkDefinition } from '../definition/check';
import type { ProcessGraph } from '../definition/graph';
import { conformanceProblems, observeSimulation } from './conformance';
import { simulate } from './simulator';

describe('conformance suite (simulator tier)', () => {
  const cases = conformanceCases();

  it('has at least 40 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(40);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, loaded) => {
    const { findings, graph } = await checkDefinition(fs.readFileSync(loaded.bpmnPath));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    const processes: Record<string, ProcessGraph> = {};
    for (const file of loaded.callPaths) {
      const called = await checkDefinition(fs.readFileSync(file));
      expect(called.findings.filter((f) => f.severity === 'error')).toEqual([]);
      processes[called.graph!.processId] = called.graph!;
    }
    const result = simulate(graph!, loaded.case.scenario, processes, chineseDaysCalendar());
    expect(conformanceProblems(observeSimulation(result), loaded.case.expect)).toEqual([]);
  });
});
