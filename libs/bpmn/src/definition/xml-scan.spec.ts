import * as fs from 'node:fs';
import * as path from 'node:path';
import { Parser } from 'saxen';
import { checkDefinition } from './check';
import { scanXml, startTagLines } from './xml-scan';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/bpmn');

/** Every .bpmn fixture that is well-formed text. */
function wellFormedFixtures(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== 'broken') walk(full);
      else if (entry.name.endsWith('.bpmn')) files.push(full);
    }
  };
  walk(FIXTURES);
  return files.sort();
}

/** Lines of start tags as the parser itself tells them (slow: it counts from the start each time). */
function parserLines(xml: string): number[] {
  const lines: number[] = [];
  const parser = new Parser({ proxy: false });
  parser.on('openTag', (_name: string, _attrs: unknown, _decode: unknown, _selfClosing: boolean, context: () => { line: number }) => {
    lines.push(context().line + 1);
  });
  parser.parse(xml);
  return lines;
}

describe('startTagLines', () => {
  it('agrees with the parser on every fixture', () => {
    for (const file of wellFormedFixtures()) {
      const xml = fs.readFileSync(file, 'utf8');
      expect({ file: path.relative(FIXTURES, file), lines: startTagLines(xml) }).toEqual({ file: path.relative(FIXTURES, file), lines: parserLines(xml) });
    }
  });

  it('skips markup-like text in comments, CDATA and processing instructions, and counts CR LF and CR as one break', () => {
    const xml = [
      '<?xml version="1.0"?>',
      '<a',
      '  x="1 > 0">',
      '<!-- <b> is not a tag',
      '-->',
      '<![CDATA[ <c> neither',
      ']]><?pi <d> ?>',
      '<e/></a>',
    ].join('\r\n');
    expect(startTagLines(xml)).toEqual([2, 8]);
    expect(startTagLines('<a>\r<b/>\n<c/></a>')).toEqual([1, 2, 3]);
  });
});

describe('scanXml', () => {
  it('binds the xml prefix without a declaration', () => {
    const scan = scanXml('<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xml:lang="zh" id="D"><bpmn:process id="P" /></bpmn:definitions>');
    expect(scan.findings).toEqual([]);
    expect(scan.parseable).toBe(true);
  });

  it('does not count ids of foreign extension elements, nor of what they contain, as BPMN ids', () => {
    const scan = scanXml(
      '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:x="http://example.com/x" id="D">\n' +
        '<bpmn:process id="P"><x:a id="P"><bpmn:task id="D" /><x:b id="dup" /><x:b id="dup" /></x:a></bpmn:process>\n' +
        '<bpmn:task id="T" />\n' +
        '</bpmn:definitions>',
    );
    expect(scan.findings).toEqual([]);
    expect([...scan.lines]).toEqual([
      ['D', 1],
      ['P', 2],
      ['T', 3],
    ]);
  });
});

describe('a definition the model parser would spend a pass over the text on, element by element', () => {
  const definition = (body: string): string =>
    `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="D"><bpmn:process id="P" isExecutable="true">${body}</bpmn:process></bpmn:definitions>`;

  it('is refused by the scan past 50 unknown elements, listing the first 50 with their lines', async () => {
    const result = await checkDefinition(definition('<bpmn:startEvent id="S" />' + '\n<bpmn:notAThing />'.repeat(60)));
    expect(result.graph).toBeUndefined();
    expect(result.findings.filter((f) => f.rule === 'supported-elements')).toHaveLength(50);
    expect(result.findings[0]).toMatchObject({ rule: 'supported-elements', message: '<bpmn:notAThing> is not a BPMN 2.0 element', line: 2 });
    expect(result.findings.at(-1)).toMatchObject({ rule: 'xml-well-formed', message: 'The document has 60 unknown elements and 0 duplicate ids; 10 of them are not listed, and it is not read further' });
  });

  it('is refused by the scan past 50 duplicate ids', async () => {
    const result = await checkDefinition(definition('<bpmn:startEvent id="S" />' + '<bpmn:endEvent id="S" />'.repeat(60)));
    expect(result.findings.filter((f) => f.rule === 'no-duplicate-ids')).toHaveLength(50);
    expect(result.findings.at(-1)?.message).toMatch(/0 unknown elements and 60 duplicate ids; 10 of them are not listed/);
  });

  it('lists at most 50 problems the model parser finds, and says how many more there are', async () => {
    const attributes = Array.from({ length: 70 }, (_, i) => ` a${i}="${i}"`).join('');
    const result = await checkDefinition(definition(`<bpmn:startEvent id="S"${attributes} />`));
    expect(result.findings.filter((f) => f.message.includes('unknown attribute'))).toHaveLength(50);
    expect(result.findings).toContainEqual(expect.objectContaining({ rule: 'xml-well-formed', severity: 'error', message: '20 more problems reading the document as BPMN are not listed' }));
  });

  it('is read as before with fewer: the model parser names each unknown element', async () => {
    const result = await checkDefinition(definition('<bpmn:startEvent id="S" /><bpmn:notAThing />'));
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([
      expect.objectContaining({ rule: 'supported-elements', message: '<bpmn:notAThing> is not a BPMN 2.0 element' }),
    ]);
  });
});

