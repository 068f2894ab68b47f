// Adds a diagram (BPMN DI) to a model drawn without one, so that Camunda Modeler opens it
// readable: `node scripts/layout-bpmn.mjs source.bpmn target.bpmn`. The shipped processes are
// kept in their laid-out form; run this when a process is written by hand, then adjust in the
// Modeler if needed.
import { readFile, writeFile } from 'node:fs/promises';
import { layoutProcess } from 'bpmn-auto-layout';

const [source, target] = process.argv.slice(2);
if (!source || !target) {
  console.error('usage: node scripts/layout-bpmn.mjs <source.bpmn> <target.bpmn>');
  process.exit(2);
}
const laidOut = await layoutProcess(await readFile(source, 'utf8'));
await writeFile(target, laidOut.endsWith('\n') ? laidOut : `${laidOut}\n`);
console.log(`${target}: laid out`);
