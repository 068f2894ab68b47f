import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateCondition, evaluateValue } from '../engine/feel-runtime';
import { checkDefinition } from './check';
import { feelSyntaxError, normalizeFeel } from './feel';

const MULTILINE = path.resolve(__dirname, '../../../../test/fixtures/bpmn/rules/feel-syntax/valid-multiline-string.bpmn');
const env = { now: Date.parse('2026-10-01T09:00:00+08:00'), calendar: null, zone: 'Asia/Shanghai' };

describe('FEEL strings that span lines, as in Camunda 8', () => {
  it('escapes line breaks inside string literals only, leaving escapes, comments and other line breaks alone', () => {
    expect(normalizeFeel('"a\nb" +\n"c\\"\r\nd"')).toBe('"a\\nb" +\n"c\\"\\r\\nd"');
    expect(normalizeFeel('1 // "not a string\n+ 2 /* "nor\n this" */')).toBe('1 // "not a string\n+ 2 /* "nor\n this" */');
    expect(normalizeFeel('x + 1')).toBe('x + 1');
  });

  it('parses them', () => {
    expect(feelSyntaxError('"line one\nline two"')).toBeUndefined();
    expect(feelSyntaxError('"unterminated\n')).toMatch(/syntax error at position 1/);
  });

  it('compiles them so that the engine evaluates the same string', async () => {
    const graph = (await checkDefinition(fs.readFileSync(MULTILINE))).graph!;
    const source = graph.nodes['Task_letter']!.inputs![0]!.source;
    expect(evaluateValue(source, { unit: '某局' }, env)).toBe('致 某局：\n\n请于十个工作日内反馈。\n// 这不是注释');
    expect(evaluateCondition(graph.flows['Flow_reply']!.condition!, { reply: '已阅\n同意' }, env)).toBe(true);
  });
});
