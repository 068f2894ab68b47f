import { BpmnModdle } from 'bpmn-moddle';
import zeebe from 'zeebe-bpmn-moddle/resources/zeebe.json';
import type { Finding } from './finding';
import type { ModdleElement } from './moddle';
import { MAX_UNREADABLE_ELEMENTS } from './limits';
import { isElement } from './moddle';
import { tag } from './names';
import type { XmlVocabulary } from './xml-scan';
import { scanXml } from './xml-scan';

/** A definition parsed into bpmn-moddle's model, with each id's source line. */
export interface ParsedDefinition {
  definitions: ModdleElement | undefined;
  lines: Map<string, number>;
  findings: Finding[];
}

/**
 * Encodings a file may declare and still be read as UTF-8 when it is plain ASCII: the bytes are
 * the same in all of them. Older tools write such declarations; Camunda 8 reads these files.
 */
const ASCII_COMPATIBLE_ENCODINGS = /^(iso-8859-1|iso_8859-1|latin1|l1|windows-1252|cp1252|us-ascii|ascii)$/i;

/** The encoding the XML declaration names, if any. */
function declaredEncoding(xml: string): string | undefined {
  return /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']+)["']/.exec(xml.slice(0, 300))?.[1];
}

let vocabulary: XmlVocabulary | undefined;

/** The element names bpmn-moddle (with zeebe) reads, per prefix: type names as written in XML, and property elements. */
function moddleVocabulary(): XmlVocabulary {
  if (vocabulary) return vocabulary;
  const registry = (new BpmnModdle({ zeebe }) as unknown as {
    registry: { packageMap: Record<string, { prefix: string; xml?: { tagAlias?: string }; types: Array<{ name: string; properties?: Array<{ name: string; isAttr?: boolean; ns?: { localName: string } }> }> }> };
  }).registry;
  const names = new Map<string, Set<string>>();
  for (const pkg of Object.values(registry.packageMap)) {
    if (!['bpmn', 'zeebe', 'bpmndi', 'dc', 'di'].includes(pkg.prefix) || names.has(pkg.prefix)) continue;
    const known = new Set<string>();
    for (const type of pkg.types) {
      known.add(pkg.xml?.tagAlias === 'lowerCase' ? type.name.charAt(0).toLowerCase() + type.name.slice(1) : type.name);
      for (const property of type.properties ?? []) if (!property.isAttr) known.add(property.ns?.localName ?? property.name);
    }
    names.set(pkg.prefix, known);
  }
  vocabulary = names;
  return names;
}

/** moddle reports 0-based lines inside its messages; pull out a 1-based one. */
function lineFromMessage(message: string): number | null {
  const match = /line: (\d+)/.exec(message);
  return match ? Number(match[1]) + 1 : null;
}

/** moddle's messages end in "nested error: X"; keep X, which is the readable part. */
function nestedReason(message: string): string {
  const match = /nested error: (.*)$/s.exec(message);
  return (match?.[1] ?? message).trim();
}

/**
 * Parses XML (already decoded and size-checked) with bpmn-moddle and the zeebe extension.
 * Never throws for bad input: every problem is a finding.
 */
export async function parseDefinition(xml: string): Promise<ParsedDefinition> {
  const scan = scanXml(xml, moddleVocabulary());
  if (!scan.parseable) return { definitions: undefined, lines: scan.lines, findings: scan.findings };

  const findings = [...scan.findings];
  let result;
  try {
    result = await new BpmnModdle({ zeebe }).fromXML(xml, 'bpmn:Definitions');
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    findings.push({
      rule: 'xml-well-formed',
      severity: 'error',
      elementId: null,
      elementType: null,
      message: `The document cannot be read as BPMN: ${nestedReason(message)}`,
      line: lineFromMessage(message),
    });
    return { definitions: undefined, lines: scan.lines, findings };
  }

  const fromScan = findings.length;
  for (const warning of result.warnings) {
    const reason = nestedReason(warning.message);
    // Duplicate ids are already reported by the scan, with both lines.
    if (reason.startsWith('duplicate ID')) continue;
    if (reason.startsWith('unsupported document encoding')) {
      const encoding = declaredEncoding(xml) ?? '';
      // The text was decoded as UTF-8; for plain ASCII that is what the declared encoding means too.
      if (ASCII_COMPATIBLE_ENCODINGS.test(encoding) && !/[^\t\n\r -~]/.test(xml)) continue;
      findings.push({
        rule: 'xml-well-formed',
        severity: 'error',
        elementId: null,
        elementType: null,
        message: `The file declares encoding "${encoding}" and contains characters beyond ASCII; save it as UTF-8 (as Camunda Modeler does)`,
        line: 1,
      });
      continue;
    }
    const element = isElement(warning.element) ? warning.element : undefined;
    const line = lineFromMessage(warning.message) ?? (element?.id ? (scan.lines.get(element.id) ?? null) : null);
    const unknownType = /^unknown type <(.+)>$/.exec(reason);
    const unresolved = /^unresolved reference <(.+)>$/.exec(reason);
    if (unknownType) {
      const name = tag(unknownType[1] ?? '');
      findings.push({ rule: 'supported-elements', severity: 'error', elementId: null, elementType: name, message: `${name} is not a BPMN 2.0 element`, line });
    } else if (unresolved && element?.$type.startsWith('bpmndi:')) {
      // A drawing of nothing (left over after renaming or deleting an element) does not change what runs.
      findings.push({
        rule: 'bpmn-references',
        severity: 'warning',
        elementId: element.id ?? null,
        elementType: tag(element.$type),
        message: `The diagram element points to "${unresolved[1] ?? ''}", which does not exist; it is not drawn`,
        line: element.id ? (scan.diagramLines.get(element.id) ?? null) : null,
      });
    } else if (unresolved) {
      findings.push({
        rule: 'bpmn-references',
        severity: 'error',
        elementId: element?.id ?? null,
        elementType: element ? tag(element.$type) : null,
        message: `The reference "${unresolved[1] ?? ''}" points to no element`,
        line,
      });
    } else {
      findings.push({ rule: 'xml-well-formed', severity: 'error', elementId: element?.id ?? null, elementType: element ? tag(element.$type) : null, message: `The document cannot be read as BPMN: ${reason}`, line });
    }
  }
  // Thousands of unknown attributes would make an answer many times the size of the upload.
  const fromParser = findings.splice(fromScan);
  findings.push(...fromParser.slice(0, MAX_UNREADABLE_ELEMENTS));
  const unlisted = fromParser.slice(MAX_UNREADABLE_ELEMENTS);
  if (unlisted.length > 0) {
    findings.push({
      rule: 'xml-well-formed',
      severity: unlisted.some((f) => f.severity === 'error') ? 'error' : 'warning',
      elementId: null,
      elementType: null,
      message: `${unlisted.length} more problems reading the document as BPMN are not listed`,
      line: null,
    });
  }
  const root = result.rootElement;
  return { definitions: isElement(root) ? root : undefined, lines: scan.lines, findings };
}
