import { Parser } from 'saxen';
import type { Finding } from './finding';

/** The BPMN 2.0 model namespace every definition's root must be in. */
export const BPMN_NAMESPACE = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

/** What a raw pass over the XML learns before the model is built. */
export interface XmlScan {
  /** 1-based source line of the first element carrying each id. */
  lines: Map<string, number>;
  /** 1-based source line of each diagram interchange element's id (kept apart: DI ids are not BPMN ids). */
  diagramLines: Map<string, number>;
  findings: Finding[];
  /** Whether the text may be handed to the model parser (well-formed, safe, BPMN root). */
  parseable: boolean;
}

function finding(rule: string, message: string, line: number | null, elementId: string | null = null, elementType: string | null = null): Finding {
  return { rule, severity: 'error', elementId, elementType, message, line };
}

/**
 * One streaming pass over the text: refuses DTDs (and with them entity expansion), checks
 * well-formedness and the BPMN root, finds duplicate ids, and records each id's line.
 */
export function scanXml(xml: string): XmlScan {
  const lines = new Map<string, number>();
  const diagramLines = new Map<string, number>();
  const findings: Finding[] = [];
  const parser = new Parser({ proxy: false });
  parser.ns({ [BPMN_NAMESPACE]: 'bpmn' });
  let root: string | undefined;
  let depth = 0;
  let fatal = false;

  parser.on('attention', (value: string, _decode: unknown, context: () => { line: number }) => {
    if (/^<!(DOCTYPE|ENTITY)/i.test(value)) {
      findings.push(
        finding('xml-safety', 'Document type declarations and entities are not allowed in a BPMN definition', context().line + 1),
      );
      fatal = true;
    }
  });
  parser.on(
    'openTag',
    (name: string, attributes: () => Record<string, string>, _decode: unknown, _selfClosing: boolean, context: () => { line: number }) => {
      const line = context().line + 1;
      if (depth === 0 && root === undefined) root = name;
      // saxen reports a closeTag for self-closing elements too, so every open counts.
      depth += 1;
      const id = attributes().id;
      if (typeof id !== 'string') return;
      if (name.startsWith('bpmndi:') || name.includes('BPMNShape') || name.includes('BPMNEdge')) {
        if (!diagramLines.has(id)) diagramLines.set(id, line);
        return;
      }
      const first = lines.get(id);
      if (first === undefined) {
        lines.set(id, line);
      } else if (!name.endsWith('BPMNDiagram') && !name.endsWith('BPMNPlane')) {
        findings.push(
          finding('no-duplicate-ids', `The id "${id}" is used more than once (first on line ${first})`, line, id, `<${name}>`),
        );
      }
    },
  );
  parser.on('closeTag', () => {
    depth -= 1;
  });
  // saxen calls some violations (bad attribute syntax, text outside the root) warnings; XML calls them errors.
  for (const event of ['error', 'warn']) {
    parser.on(event, (error: Error, context: () => { line: number }) => {
      findings.push(finding('xml-well-formed', `The XML is not well-formed: ${error.message}`, context().line + 1));
      fatal = true;
    });
  }

  try {
    parser.parse(xml);
  } catch (error) {
    findings.push(finding('xml-well-formed', `The XML is not well-formed: ${error instanceof Error ? error.message : String(error)}`, null));
    fatal = true;
  }
  if (!fatal && depth !== 0) {
    findings.push(finding('xml-well-formed', 'The XML is not well-formed: the document ends inside an element', null));
    fatal = true;
  }
  if (!fatal && root !== 'bpmn:definitions') {
    findings.push(
      finding(
        'bpmn-namespace',
        `The root element must be <definitions> in the BPMN 2.0 namespace ${BPMN_NAMESPACE}, not <${root ?? 'nothing'}>`,
        1,
      ),
    );
    fatal = true;
  }
  return { lines, diagramLines, findings, parseable: !fatal };
}
