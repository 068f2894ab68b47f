import { Parser } from 'saxen';
import type { Finding } from './finding';
import { MAX_XML_DEPTH, MAX_UNREADABLE_ELEMENTS } from './limits';

/** The BPMN 2.0 model namespace every definition's root must be in. */
export const BPMN_NAMESPACE = 'http://www.omg.org/spec/BPMN/20100524/MODEL';

/** The namespace the `xml` prefix is bound to in every XML document, declared or not (`xml:lang`). */
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';

/**
 * Namespaces whose elements carry ids that count (BPMN, zeebe, diagram interchange), with the
 * prefix the scan sees them under whatever the file calls them. Ids of elements in any other
 * namespace belong to a foreign extension and are not BPMN ids.
 */
const KNOWN_NAMESPACES: Record<string, string> = {
  [BPMN_NAMESPACE]: 'bpmn',
  'http://camunda.org/schema/zeebe/1.0': 'zeebe',
  'http://www.omg.org/spec/BPMN/20100524/DI': 'bpmndi',
  'http://www.omg.org/spec/DD/20100524/DC': 'dc',
  'http://www.omg.org/spec/DD/20100524/DI': 'di',
  [XML_NAMESPACE]: 'xml',
};

const DIAGRAM_PREFIXES = ['bpmndi:', 'dc:', 'di:'];
const MODEL_PREFIXES = ['bpmn:', 'zeebe:'];

/**
 * The element names the model parser knows, per prefix (bpmn, zeebe, bpmndi, dc, di): its types
 * and the names of properties written as elements. The scan uses them to count elements the
 * parser would complain about before it runs.
 */
export type XmlVocabulary = ReadonlyMap<string, ReadonlySet<string>>;

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

/** Line breaks in `text` between `from` and `to`, counting CR LF, CR and LF as one each, as XML does. */
function lineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k += 1) {
    const c = text.charCodeAt(k);
    if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) count += 1;
  }
  return count;
}

/**
 * The 1-based line of every start tag, in document order, in one pass. The parser can tell the
 * line of an element only by counting from the start of the text each time it is asked, which
 * is quadratic over a large file; this pass counts each character once. It relies on what
 * well-formedness guarantees: a `<` outside comments, CDATA and processing instructions starts
 * markup, and attribute values contain none.
 */
export function startTagLines(xml: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let at = 0;
  while (at < xml.length) {
    const open = xml.indexOf('<', at);
    if (open === -1) break;
    line += lineBreaks(xml, at, open);
    let end: number;
    if (xml.startsWith('<!--', open)) end = xml.indexOf('-->', open + 4) + 3;
    else if (xml.startsWith('<![CDATA[', open)) end = xml.indexOf(']]>', open + 9) + 3;
    else if (xml.startsWith('<?', open)) end = xml.indexOf('?>', open + 2) + 2;
    else if (xml.startsWith('<!', open) || xml.startsWith('</', open)) end = xml.indexOf('>', open + 2) + 1;
    else {
      lines.push(line);
      end = open + 1;
    }
    if (end <= open) break;
    line += lineBreaks(xml, open, end);
    at = end;
  }
  return lines;
}

/** One start tag as the parser reported it: its namespace-normalised name and id attribute. */
interface StartTag {
  name: string;
  id: string | undefined;
  /** Inside a foreign (non-BPMN, non-zeebe, non-DI) element, where ids are the extension's own. */
  foreign: boolean;
}

/**
 * One streaming pass over the text: refuses DTDs (and with them entity expansion), checks
 * well-formedness and the BPMN root, finds duplicate ids, and records each id's line. The work
 * is linear in the size of the text.
 *
 * The model parser locates each unknown element and duplicate id by counting lines from the
 * start of the text, so thousands of them would make it quadratic. With a `vocabulary`, the scan
 * counts them first and, past {@link MAX_UNREADABLE_ELEMENTS}, refuses the text itself, listing
 * the first ones, so the parser never sees it.
 */
export function scanXml(xml: string, vocabulary?: XmlVocabulary): XmlScan {
  const lines = new Map<string, number>();
  const diagramLines = new Map<string, number>();
  const findings: Finding[] = [];
  const parser = new Parser({ proxy: false });
  parser.ns(KNOWN_NAMESPACES);
  const tags: StartTag[] = [];
  let root: string | undefined;
  let depth = 0;
  // Depth at which the outermost foreign element was opened; 0 when outside foreign content.
  let foreignFrom = 0;
  let fatal = false;
  const stop = (): void => {
    fatal = true;
    parser.stop();
  };

  parser.on('attention', (value: string, _decode: unknown, context: () => { line: number }) => {
    if (/^<!(DOCTYPE|ENTITY)/i.test(value)) {
      findings.push(
        finding('xml-safety', 'Document type declarations and entities are not allowed in a BPMN definition', context().line + 1),
      );
      stop();
    }
  });
  parser.on(
    'openTag',
    (name: string, attributes: () => Record<string, string>, _decode: unknown, _selfClosing: boolean, context: () => { line: number }) => {
      if (depth === 0 && root === undefined) root = name;
      // saxen reports a closeTag for self-closing elements too, so every open counts.
      depth += 1;
      if (depth > MAX_XML_DEPTH) {
        findings.push(finding('xml-safety', `Elements are nested more than ${MAX_XML_DEPTH} levels deep; that is not a BPMN definition`, context().line + 1));
        stop();
        return;
      }
      const known = MODEL_PREFIXES.some((p) => name.startsWith(p)) || DIAGRAM_PREFIXES.some((p) => name.startsWith(p));
      if (!known && foreignFrom === 0) foreignFrom = depth;
      const id = attributes().id;
      tags.push({ name, id: typeof id === 'string' ? id : undefined, foreign: foreignFrom !== 0 });
    },
  );
  parser.on('closeTag', () => {
    if (depth === foreignFrom) foreignFrom = 0;
    depth -= 1;
  });
  // saxen calls some violations (bad attribute syntax, text outside the root) warnings; XML calls them errors.
  for (const event of ['error', 'warn']) {
    parser.on(event, (error: Error, context: () => { line: number }) => {
      findings.push(finding('xml-well-formed', `The XML is not well-formed: ${error.message}`, context().line + 1));
      stop();
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
  if (fatal) return { lines, diagramLines, findings, parseable: false };

  const tagLines = startTagLines(xml);
  const unknown: Finding[] = [];
  let duplicates = 0;
  tags.forEach((tag, index) => {
    const line = tagLines[index] ?? 0;
    if (vocabulary && !tag.foreign) {
      const colon = tag.name.indexOf(':');
      const known = vocabulary.get(tag.name.slice(0, colon));
      if (known && !known.has(tag.name.slice(colon + 1))) {
        unknown.push(finding('supported-elements', `<${tag.name}> is not a BPMN 2.0 element`, line, null, `<${tag.name}>`));
      }
    }
    if (tag.id === undefined || tag.foreign) return;
    if (DIAGRAM_PREFIXES.some((p) => tag.name.startsWith(p))) {
      if (!diagramLines.has(tag.id)) diagramLines.set(tag.id, line);
      return;
    }
    const first = lines.get(tag.id);
    if (first === undefined) lines.set(tag.id, line);
    else {
      duplicates += 1;
      if (duplicates <= MAX_UNREADABLE_ELEMENTS) {
        findings.push(finding('no-duplicate-ids', `The id "${tag.id}" is used more than once (first on line ${first})`, line, tag.id, `<${tag.name}>`));
      }
    }
  });
  if (unknown.length > MAX_UNREADABLE_ELEMENTS || duplicates > MAX_UNREADABLE_ELEMENTS) {
    findings.push(...unknown.slice(0, MAX_UNREADABLE_ELEMENTS));
    const unlisted = Math.max(0, unknown.length - MAX_UNREADABLE_ELEMENTS) + Math.max(0, duplicates - MAX_UNREADABLE_ELEMENTS);
    findings.push(
      finding('xml-well-formed', `The document has ${unknown.length} unknown elements and ${duplicates} duplicate ids; ${unlisted} of them are not listed, and it is not read further`, null),
    );
    return { lines, diagramLines, findings, parseable: false };
  }
  return { lines, diagramLines, findings, parseable: true };
}
