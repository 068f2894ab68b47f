import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDefinition } from '../definition/check';
import type { ProcessGraph } from '../definition/graph';
import type { ConformanceCase } from './conformance';
import { conformanceProblems } from './conformance';
import { simulate } from './simulator';

const ROOT = path.resolve(__dirname, '../../../../test/conformance');

/** Every case as [feature/name, bpmn path, case]. */
function cases(): Array<[string, string, ConformanceCase]> {
  return fs
    .readdirSync(ROOT)
    .sort()
    .flatMap((feature) =>
      fs
        .readdirSync(path.join(ROOT, feature))
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file): [string, string, ConformanceCase] => [
          `${feature}/${file.replace(/\.json$/, '')}`,
          path.join(ROOT, feature, file.replace(/\.json$/, '.bpmn')),
          JSON.parse(fs.readFileSync(path.join(ROOT, feature, file), 'utf8')) as ConformanceCase,
        ]),
    );
}

describe('conformance suite (simulator tier)', () => {
  it.each(cases())('%s', async (_name, bpmnPath, conformance) => {
    const { findings, graph } = await checkDefinition(fs.readFileSync(bpmnPath));
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    const processes: Record<string, ProcessGraph> = {};
    for (const file of conformance.calls ?? []) {
      const called = await checkDefinition(fs.readFileSync(path.join(path.dirname(bpmnPath), file)));
      expect(called.findings.filter((f) => f.severity === 'error')).toEqual([]);
      processes[called.graph!.processId] = called.graph!;
    }
    const result = simulate(graph!, conformance.scenario, processes);
    expect(conformanceProblems(result, conformance.expect)).toEqual([]);
  });
});
