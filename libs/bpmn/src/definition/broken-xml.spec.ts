import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDefinition } from './check';
import { DefinitionTooLargeError, NotXmlError } from './errors';

const BROKEN = path.resolve(__dirname, '../../../../test/fixtures/bpmn/broken');

/** Each broken file: refused before parsing (NotXmlError), or the rule of its first finding. */
const EXPECTED: Record<string, { notXml: RegExp } | { rule: string; message: RegExp }> = {
  'binary.bpmn': { notXml: /NUL bytes/ },
  'invalid-utf8.bpmn': { notXml: /not valid UTF-8/ },
  'latin1-bytes.bpmn': { notXml: /not valid UTF-8 text: it declares encoding "ISO-8859-1", which is read only when the file is plain ASCII; save it as UTF-8/ },
  'empty.bpmn': { notXml: /empty/ },
  'plain-text.bpmn': { notXml: /does not start with an XML declaration or element/ },
  'json.bpmn': { notXml: /does not start with an XML declaration or element/ },
  'truncated.bpmn': { rule: 'xml-well-formed', message: /not well-formed/ },
  'mismatched-tags.bpmn': { rule: 'xml-well-formed', message: /not well-formed/ },
  'unclosed-attribute.bpmn': { rule: 'xml-well-formed', message: /not well-formed|cannot be read/ },
  'wrong-namespace.bpmn': { rule: 'bpmn-namespace', message: /BPMN 2\.0 namespace/ },
  'no-namespace.bpmn': { rule: 'bpmn-namespace', message: /BPMN 2\.0 namespace/ },
  'entity-expansion.bpmn': { rule: 'xml-safety', message: /Document type declarations and entities are not allowed/ },
  'external-entity.bpmn': { rule: 'xml-safety', message: /Document type declarations and entities are not allowed/ },
  'deep-nesting.bpmn': { rule: 'xml-safety', message: /nested more than 256 levels deep/ },
};

describe('broken and hostile XML', () => {
  it('has an expectation for every file in the folder', () => {
    expect(fs.readdirSync(BROKEN).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it.each(Object.entries(EXPECTED))('%s is refused', async (file, expected) => {
    const bytes = fs.readFileSync(path.join(BROKEN, file));
    if ('notXml' in expected) {
      const error: unknown = await checkDefinition(bytes).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotXmlError);
      expect((error as Error).message).toMatch(expected.notXml);
      return;
    }
    const result = await checkDefinition(bytes);
    expect(result.graph).toBeUndefined();
    expect(result.findings[0]).toMatchObject({ rule: expected.rule, severity: 'error', message: expect.stringMatching(expected.message) });
  });

  it('never expands entities: the refusal does not contain the expanded or external text', async () => {
    for (const file of ['entity-expansion.bpmn', 'external-entity.bpmn']) {
      const result = await checkDefinition(fs.readFileSync(path.join(BROKEN, file)));
      expect(JSON.stringify(result)).not.toMatch(/lollol|root:/);
      expect(result.findings[0]?.rule).toBe('xml-safety');
    }
  });

  it('refuses more than 5 MB before parsing', async () => {
    const big = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">${' '.repeat(5 * 1024 * 1024)}</bpmn:definitions>`;
    await expect(checkDefinition(big)).rejects.toThrow(DefinitionTooLargeError);
    await expect(checkDefinition(big)).rejects.toThrow(/limit is 5242880 bytes/);
  });

  it('reports the line of a well-formedness error', async () => {
    const result = await checkDefinition(fs.readFileSync(path.join(BROKEN, 'mismatched-tags.bpmn')));
    expect(result.findings[0]?.line).toBe(4);
  });
});
