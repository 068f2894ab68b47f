// Adds a diagram (BPMN DI) to a model written without one, so that Camunda Modeler opens it
// readable: `node scripts/layout-bpmn.js source.bpmn target.bpmn`. The shipped processes are
// kept in their laid-out form; run this when a process is written by hand, then adjust the
// drawing in the Modeler where it helps.
const { readFile, writeFile } = require('node:fs/promises');

async function main() {
  const [source, target] = process.argv.slice(2);
  if (!source || !target) {
    console.error('usage: node scripts/layout-bpmn.js <source.bpmn> <target.bpmn>');
    process.exit(2);
  }
  /** @type {{ layoutProcess(xml: string): Promise<string> }} */
  const layout = await import('bpmn-auto-layout');
  const laidOut = await layout.layoutProcess(await readFile(source, 'utf8'));
  await writeFile(target, laidOut.endsWith('\n') ? laidOut : `${laidOut}\n`);
  console.log(`${target}: laid out`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
