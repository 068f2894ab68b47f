import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ConformanceCase } from '@xuncha/bpmn-engine';

/** Where the conformance suite lives: `<feature>/<case>.bpmn` beside `<case>.json`. */
export const CONFORMANCE_DIR = path.resolve(__dirname, '../conformance');

/** One case of the suite, as both tiers read it. */
export interface LoadedCase {
  /** "feature/case". */
  name: string;
  bpmnPath: string;
  /** BPMN files the case's call activities start, as absolute paths. */
  callPaths: string[];
  case: ConformanceCase;
}

/** Every case of the suite, in a stable order. */
export function conformanceCases(root: string = CONFORMANCE_DIR): LoadedCase[] {
  return fs
    .readdirSync(root)
    .sort()
    .flatMap((feature) =>
      fs
        .readdirSync(path.join(root, feature))
        .filter((file) => file.endsWith('.json'))
        .sort()
        .map((file): LoadedCase => {
          const conformance = JSON.parse(fs.readFileSync(path.join(root, feature, file), 'utf8')) as ConformanceCase;
          return {
            name: `${feature}/${file.replace(/\.json$/, '')}`,
            bpmnPath: path.join(root, feature, file.replace(/\.json$/, '.bpmn')),
            callPaths: (conformance.calls ?? []).map((call) => path.join(root, feature, call)),
            case: conformance,
          };
        }),
    );
}
