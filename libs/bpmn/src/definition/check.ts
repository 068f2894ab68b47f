import { compileDefinition } from './compile';
import type { Finding } from './finding';
import { hasErrors, sortFindings } from './finding';
import type { ProcessGraph } from './graph';
import { parseDefinition } from './parse';
import { decodeDefinitionSource } from './source';
import { validateModel } from './validate';

/** The outcome of checking one definition: every finding, and the graph when there were no errors. */
export interface CheckResult {
  findings: Finding[];
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
  if (hasErrors(sorted) || !parsed.definitions) return { findings: sorted, graph: undefined };
  return { findings: sorted, graph: compileDefinition(parsed.definitions, xml) };
}
