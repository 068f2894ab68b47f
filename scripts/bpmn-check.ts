import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Finding } from '@xuncha/bpmn';
import { checkDefinition, DefinitionTooLargeError, NotXmlError } from '@xuncha/bpmn';

/** One line per finding, compiler style: file:line  severity  rule  element  message. */
function format(file: string, finding: Finding): string {
  const where = finding.line === null ? file : `${file}:${finding.line}`;
  const element = finding.elementId ?? finding.elementType ?? '-';
  return `${where}  ${finding.severity}  ${finding.rule}  ${element}  ${finding.message}`;
}

/**
 * `npm run bpmn:check -- FILE...`: the deploy-time checks, offline. Prints every finding and
 * exits 1 when any file has an error (2 when a file cannot be read at all).
 */
async function main(files: string[]): Promise<number> {
  if (files.length === 0) {
    console.error('usage: npm run bpmn:check -- FILE.bpmn [FILE.bpmn ...]');
    return 2;
  }
  let errors = 0;
  let warnings = 0;
  let unreadable = 0;
  for (const file of files) {
    const shown = path.relative(process.cwd(), path.resolve(file)) || file;
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (error) {
      console.log(`${shown}  error  read  -  ${error instanceof Error ? error.message : String(error)}`);
      unreadable += 1;
      continue;
    }
    try {
      const result = await checkDefinition(bytes);
      for (const finding of result.findings) console.log(format(shown, finding));
      errors += result.findings.filter((f) => f.severity === 'error').length;
      warnings += result.findings.filter((f) => f.severity === 'warning').length;
      for (const graph of result.graphs) {
        const nodes = Object.keys(graph.nodes).length;
        console.log(`${shown}  ok  process "${graph.processId}", ${nodes} flow nodes, checksum ${graph.checksum.slice(0, 12)}`);
      }
    } catch (error) {
      if (!(error instanceof NotXmlError || error instanceof DefinitionTooLargeError)) throw error;
      console.log(`${shown}  error  input  -  ${error.message}`);
      errors += 1;
    }
  }
  console.log(`${files.length} file(s): ${errors} error(s), ${warnings} warning(s)`);
  if (unreadable > 0) return 2;
  return errors > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(2);
  },
);
