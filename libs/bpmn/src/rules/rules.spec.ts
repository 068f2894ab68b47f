import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDefinition } from '../definition/check';
import { RULES } from './index';

const FIXTURES = path.resolve(__dirname, '../../../../test/fixtures/bpmn/rules');

/**
 * For each invalid fixture: the element the rule must name (null when the element has no id).
 * Every error in an invalid fixture must come from its folder's rule, so each fixture tests one thing.
 */
const INVALID: Record<string, Record<string, string | null>> = {
  'supported-elements': {
    'invalid-complex-gateway': 'Gateway_complex',
    'invalid-script-task': 'Task_script',
    'invalid-business-rule-task': 'Task_rule',
    'invalid-signal-intermediate-throw': 'Event_throw',
    'invalid-signal-start': 'StartEvent_signal',
    'invalid-escalation-boundary': 'Boundary_escalation',
    'invalid-conditional-catch': 'Event_conditional',
    'invalid-transaction': 'Transaction_1',
    'invalid-standard-loop': 'Task_loop',
    'invalid-zeebe-execution-listeners': 'Task_listener',
    'invalid-unknown-bpmn-element': null,
    'invalid-none-intermediate-catch': 'Event_catch',
  },
  'executable-process': {
    'invalid-not-executable': 'Definitions_1',
    'invalid-no-process': 'Definitions_1',
  },
  'none-start-event': {
    'invalid-no-start-event': 'Process_1',
    'invalid-two-none-starts': 'Process_1',
    'invalid-subprocess-without-start': 'SubProcess_1',
  },
  'reachable-flow-nodes': {
    'invalid-orphan-task': 'Task_orphan',
    'invalid-orphan-in-subprocess': 'Inner_orphan',
  },
  'gateway-conditions': {
    'invalid-missing-condition': 'Flow_b',
    'invalid-inclusive-missing-condition': 'Flow_a',
    'invalid-condition-on-task-flow': 'Flow_2',
  },
  'feel-syntax': {
    'invalid-condition': 'Flow_a',
    'invalid-io-mapping': 'Task_1',
    'invalid-due-date': 'Task_user',
    'invalid-completion-condition': 'Task_sign',
    'invalid-timer-expression': 'Event_wait',
  },
  'feel-required': {
    'invalid-static-condition': 'Flow_yes',
    'invalid-static-correlation-key': 'Message_reply',
    'invalid-static-output-source': 'Task_ask',
    'invalid-static-input-collection': 'Task_ask',
  },
  'timer-definition': {
    'invalid-duration': 'Event_wait',
    'invalid-cycle': 'Boundary_timer',
    'invalid-date': 'Event_wait',
    'invalid-date-without-offset': 'Event_wait',
    'invalid-empty': 'Event_wait',
    'invalid-cycle-on-interrupting-boundary': 'Boundary_timer',
    'invalid-duration-on-start': 'StartEvent_timer',
  },
  'service-task-type': {
    'invalid-no-task-definition': 'Task_1',
    'invalid-empty-type': 'Task_1',
    'invalid-send-task-without-type': 'Task_send',
    'invalid-retries': 'Task_1',
  },
  'call-activity-process': {
    'invalid-no-called-element': 'Call_1',
    'invalid-empty-process-id': 'Call_1',
    'invalid-version-tag-missing': 'Call_1',
    'invalid-unknown-binding': 'Call_1',
  },
  'multi-instance-collection': {
    'invalid-no-input-collection': 'Task_sign',
    'invalid-output-without-element': 'Task_sign',
  },
  'message-reference': {
    'invalid-catch-without-message': 'Event_message',
    'invalid-message-without-name': 'Event_message',
    'invalid-catch-without-correlation-key': 'Event_message',
    'invalid-receive-task-without-message': 'Task_receive',
    'invalid-boundary-without-correlation-key': 'Boundary_message',
  },
  'boundary-attachment': {
    'invalid-on-gateway': 'Boundary_timer',
    'invalid-with-incoming': 'Boundary_timer',
    'invalid-unattached': 'Boundary_timer',
    'invalid-without-outgoing': 'Boundary_timer',
  },
  'event-subprocess-start': {
    'invalid-none-start': 'EventSub_start',
    'invalid-two-starts': 'EventSub_1',
    'invalid-with-outgoing-flow': 'EventSub_1',
  },
  'event-based-gateway': {
    'invalid-task-after-gateway': 'Flow_to_Task_1',
    'invalid-single-event': 'Gateway_wait',
  },
  'error-code': {
    'invalid-end-without-error': 'EndEvent_x',
    'invalid-error-without-code': 'EndEvent_error',
    'invalid-catch-code-expression': 'Boundary_any_error',
  },
  // Its invalid case is generated below: 5,001 flow elements make too large a fixture to keep.
  'flow-element-limit': {},
  'bpmn-references': {
    'invalid-flow-to-nothing': 'Flow_2',
  },
  'xml-well-formed': {
    'invalid-iso-8859-1-beyond-ascii': null,
  },
  'no-duplicate-ids': {
    'invalid-duplicate-task': 'Task_a',
    'invalid-duplicate-flow': 'Flow_1',
  },
};

/**
 * For each warning fixture: the element the rule must warn about. The definition deploys
 * (no errors, a graph), and the warning carries the element's line.
 */
const WARNING: Record<string, Record<string, string>> = {
  'user-task-assignment': {
    'warning-no-assignment': 'Task_user',
    'warning-empty-assignment': 'Task_user',
  },
  'supported-elements': {
    'warning-bpmn-inside-foreign-extension': 'Task_1',
  },
  'bpmn-references': {
    'warning-plane-of-nothing': 'BPMNPlane_1',
    'warning-shape-of-nothing': 'Task_deleted_di',
  },
  'executable-process': {
    'warning-non-executable-pool': 'Process_unit',
  },
  'gateway-conditions': {
    'warning-default-with-condition': 'Flow_b',
  },
  'no-dead-end': {
    'warning-task-without-outgoing': 'Task_1',
    'warning-gateway-without-outgoing': 'Gateway_1',
  },
};

function fixturesOf(rule: string, prefix: 'valid' | 'invalid' | 'warning'): string[] {
  return fs
    .readdirSync(path.join(FIXTURES, rule))
    .filter((file) => file.startsWith(prefix) && file.endsWith('.bpmn'))
    .map((file) => file.replace(/\.bpmn$/, ''))
    .sort();
}

const folders = fs.readdirSync(FIXTURES).sort();

describe('rule fixtures', () => {
  it('cover every model rule, and every fixture on disk is in the table', () => {
    for (const rule of RULES) expect(folders).toContain(rule.name);
    for (const folder of folders) {
      expect(Object.keys(INVALID[folder] ?? {}).sort()).toEqual(fixturesOf(folder, 'invalid'));
      expect(Object.keys(WARNING[folder] ?? {}).sort()).toEqual(fixturesOf(folder, 'warning'));
      expect(fixturesOf(folder, 'valid').length).toBeGreaterThan(0);
    }
    const invalidCount = Object.values(INVALID).reduce((n, table) => n + Object.keys(table).length, 0);
    expect(invalidCount).toBeGreaterThanOrEqual(40);
  });

  describe.each(folders)('%s', (rule) => {
    it.each(fixturesOf(rule, 'valid'))('%s has no errors and compiles', async (name) => {
      const result = await checkDefinition(fs.readFileSync(path.join(FIXTURES, rule, `${name}.bpmn`)));
      expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
      expect(result.graph?.processId).toBe('Process_1');
    });

    const warning = Object.entries(WARNING[rule] ?? {});
    if (warning.length > 0) {
      it.each(warning)('%s deploys with a warning on %s', async (name, elementId) => {
        const result = await checkDefinition(fs.readFileSync(path.join(FIXTURES, rule, `${name}.bpmn`)));
        expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
        expect(result.graph?.processId).toBe('Process_1');
        const warnings = result.findings.filter((f) => f.rule === rule);
        expect(warnings).toContainEqual(expect.objectContaining({ severity: 'warning', elementId, line: expect.any(Number) }));
      });
    }

    const invalid = Object.entries(INVALID[rule] ?? {});
    if (invalid.length === 0) return;
    it.each(invalid)('%s is refused on %s', async (name, elementId) => {
      const result = await checkDefinition(fs.readFileSync(path.join(FIXTURES, rule, `${name}.bpmn`)));
      const errors = result.findings.filter((f) => f.severity === 'error');
      expect(errors.map((f) => f.rule)).toEqual(errors.map(() => rule));
      expect(errors.map((f) => f.elementId)).toContain(elementId);
      expect(result.graph).toBeUndefined();
      for (const finding of errors) {
        expect(finding.message.length).toBeGreaterThan(10);
        if (finding.elementId !== null) expect(finding.line).toEqual(expect.any(Number));
      }
    });
  });
});

describe('flow-element-limit', () => {
  it('refuses a definition with more flow elements than the limit, naming the count', async () => {
    const tasks = Array.from({ length: 2_500 }, (_, i) => `<bpmn:serviceTask id="T${i}"><bpmn:extensionElements><zeebe:taskDefinition type="t" /></bpmn:extensionElements></bpmn:serviceTask>`);
    const flows = Array.from({ length: 2_501 }, (_, i) => `<bpmn:sequenceFlow id="F${i}" sourceRef="${i === 0 ? 'S' : `T${i - 1}`}" targetRef="${i === 2_500 ? 'E' : `T${i}`}" />`);
    const xml =
      '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D">' +
      `<bpmn:process id="P" isExecutable="true"><bpmn:startEvent id="S" />${tasks.join('')}<bpmn:endEvent id="E" />${flows.join('')}</bpmn:process></bpmn:definitions>`;
    const result = await checkDefinition(xml);
    const errors = result.findings.filter((f) => f.severity === 'error');
    expect(errors).toEqual([expect.objectContaining({ rule: 'flow-element-limit', elementId: 'D', message: expect.stringContaining('5003 flow elements; the limit is 5000') })]);
  });
});
