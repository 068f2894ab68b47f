import { compileDefinition } from './compile';
import type { Finding } from './finding';
import { hasErrors, sortFindings } from './finding';
import type { ProcessGraph } from './graph';
import { parseDefinition } from './parse';
import { decodeDefinitionSource } from './source';
import { validateModel } from './validate';

/** The outcome of checking one definition: every finding, and the graphs when there were no errors. */
export interface CheckResult {
  findings: Finding[];
  /** One graph per executable process, in document order; empty when there were errors. */
  graphs: ProcessGraph[];
  /** The first of {@link graphs}, for callers that deploy single-process files. */
  graph: ProcessGraph | undefined;
}

/**
 * The whole pipeline: decode (size, binary), scan (safety, well-formedness), parse, validate
 * every rule, and compile only when nothing is an error. Throws only for input that is not a
 * document at all (NotXmlError, DefinitionTooLargeError).
 */
export async function checkDefinition(input: Uint8Array | string): Promise<CheckResult> {
  const xml = decodeDefinitionSource(input);
  const parsed = await parseDefinition(xml);
  const findings = [...parsed.findings];
  if (parsed.definitions) findings.push(...validateModel(parsed.definitions, parsed.lines));
  const sorted = sortFindings(findings);
  if (hasErrors(sorted) || !parsed.definitions) return { findings: sorted, graphs: [], graph: undefined };
  const graphs = compileDefinition(parsed.definitions, xml);
  return { findings: sorted, graphs, graph: graphs[0] };
}
