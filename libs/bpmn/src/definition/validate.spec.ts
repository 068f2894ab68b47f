import * as fs from 'node:fs';
import * as path from 'node:path';
import type { BpmnRule } from '../rules';
import { RULES } from '../rules';
import { parseDefinition } from './parse';
import { validateModel } from './validate';

const MODELER = path.resolve(__dirname, '../../../../test/fixtures/bpmn/modeler/clue-feedback.bpmn');

describe('validateModel', () => {
  it('turns a rule that throws into a finding naming the rule and element, and still runs the other rules', async () => {
    const parsed = await parseDefinition(fs.readFileSync(MODELER, 'utf8'));
    const exploding: BpmnRule = {
      name: 'exploding-rule',
      severity: 'error',
      description: 'throws on user tasks',
      check(element) {
        if (element.$type === 'bpmn:UserTask') throw new Error('boom');
      },
    };
    const reporting: BpmnRule = {
      name: 'reporting-rule',
      severity: 'warning',
      description: 'reports every end event',
      check(element, report) {
        if (element.$type === 'bpmn:EndEvent') report(element, 'an end event');
      },
    };
    const findings = validateModel(parsed.definitions!, parsed.lines, [exploding, reporting]);
    expect(findings).toContainEqual({
      rule: 'exploding-rule',
      severity: 'error',
      elementId: 'Activity_dispose',
      elementType: '<bpmn:userTask>',
      message: 'The rule failed on this element: boom',
      line: 18,
    });
    expect(findings.filter((f) => f.rule === 'reporting-rule').map((f) => f.elementId)).toEqual(['Event_feedback_sent', 'Event_closed']);
  });

  it('finds nothing wrong with a correct Camunda Modeler file', async () => {
    const parsed = await parseDefinition(fs.readFileSync(MODELER, 'utf8'));
    expect(validateModel(parsed.definitions!, parsed.lines, RULES)).toEqual([]);
  });

  it('does not check processes that are not marked executable, and says so once', async () => {
    const pools = path.resolve(__dirname, '../../../../test/fixtures/bpmn/rules/executable-process/warning-non-executable-pool.bpmn');
    const parsed = await parseDefinition(fs.readFileSync(pools, 'utf8'));
    expect(validateModel(parsed.definitions!, parsed.lines, RULES)).toEqual([
      expect.objectContaining({ rule: 'executable-process', severity: 'warning', elementId: 'Process_unit', line: 20 }),
    ]);
  });

  it('ignores BPMN elements nested in a foreign extension, with a warning that names them', async () => {
    const file = path.resolve(__dirname, '../../../../test/fixtures/bpmn/rules/supported-elements/warning-bpmn-inside-foreign-extension.bpmn');
    const parsed = await parseDefinition(fs.readFileSync(file, 'utf8'));
    expect(validateModel(parsed.definitions!, parsed.lines, RULES).map((f) => `${f.severity} ${f.elementId}: ${f.message}`)).toEqual([
      'warning Task_1: <acme:template> is a foreign extension and is ignored at run time',
      'warning Task_1: <acme:template> contains BPMN elements (<bpmn:documentation>, <bpmn:task>); they are part of the extension and ignored',
    ]);
  });
});
