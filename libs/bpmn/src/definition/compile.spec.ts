import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDefinition } from './check';
import { definitionChecksum } from './compile';

const MODELER_DIR = path.resolve(__dirname, '../../../../test/fixtures/bpmn/modeler');
const MODELER = path.join(MODELER_DIR, 'clue-feedback.bpmn');

describe('compile', () => {
  it('is deterministic and plain data: the same XML gives an equal graph that survives JSON', async () => {
    const xml = fs.readFileSync(MODELER, 'utf8');
    const first = (await checkDefinition(xml)).graph;
    const second = (await checkDefinition(xml)).graph;
    expect(first?.processId).toBe('clue-feedback');
    expect(JSON.stringify(second)).toBe(JSON.stringify(first));
    expect(JSON.parse(JSON.stringify(first))).toEqual(first);
  });

  it('identifies a version by the SHA-256 of its XML', async () => {
    const xml = fs.readFileSync(MODELER, 'utf8');
    const graph = (await checkDefinition(xml)).graph!;
    expect(graph.checksum).toMatch(/^[0-9a-f]{64}$/);
    const changed = (await checkDefinition(xml.replace('研究处置方式', '研究处置意见'))).graph!;
    expect(changed.checksum).not.toBe(graph.checksum);
  });

  it('carries what the engine needs from a Camunda Modeler file', async () => {
    const graph = (await checkDefinition(fs.readFileSync(MODELER))).graph!;
    expect(graph).toMatchObject({ formatVersion: 1, processId: 'clue-feedback', name: '问题线索处置与反馈' });
    expect(graph.children).toEqual([
      'StartEvent_1',
      'Activity_register',
      'Activity_dispose',
      'Event_feedback_due',
      'Activity_feedback',
      'Event_feedback_sent',
      'Gateway_disposition',
      'Activity_file_case',
      'Event_closed',
    ]);
    expect(graph.nodes['Activity_register']).toMatchObject({
      type: 'serviceTask',
      task: { type: 'ledger.record-clue', retries: '5' },
      inputs: [{ source: '=clue.id', target: 'clueId' }],
      outputs: [{ source: '=ledgerEntryId', target: 'ledgerEntryId' }],
    });
    expect(graph.nodes['Activity_dispose']).toMatchObject({
      type: 'userTask',
      assignment: { assignee: null, candidateGroups: 'commission-case-office', candidateUsers: null },
      schedule: { dueDate: '=add working days(today(), 10)', followUpDate: null },
      form: { formId: 'clue-disposition', formKey: null },
      priority: '60',
    });
    expect(graph.nodes['Event_feedback_due']).toMatchObject({
      type: 'boundaryEvent',
      attachedTo: 'Activity_dispose',
      interrupting: false,
      trigger: { kind: 'timer', timer: { kind: 'cycle', value: 'R/P6M' } },
    });
    expect(graph.nodes['Gateway_disposition']).toMatchObject({ defaultFlow: 'Flow_close', outgoing: ['Flow_verify', 'Flow_close'] });
    expect(graph.flows['Flow_verify']).toEqual({
      id: 'Flow_verify',
      name: '初步核实',
      source: 'Gateway_disposition',
      target: 'Activity_file_case',
      condition: '=disposition = "preliminary-verification"',
    });
    expect(graph.nodes['Event_closed']?.incoming).toEqual(['Flow_close', 'Flow_0e1e']);
  });

  it('keeps timer start events, beside a none start event, with their timers', async () => {
    const xml = fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/bpmn/rules/none-start-event/valid-timer-and-none-start.bpmn'));
    const graph = (await checkDefinition(xml)).graph!;
    expect(graph.nodes['StartEvent_manual']).toMatchObject({ type: 'startEvent', trigger: { kind: 'none' } });
    expect(graph.nodes['StartEvent_monthly']).toMatchObject({
      type: 'startEvent',
      trigger: { kind: 'timer', timer: { kind: 'cycle', value: 'R/2026-01-01T09:00:00+08:00/P1M' } },
    });
    expect(graph.nodes['StartEvent_once']).toMatchObject({ type: 'startEvent', trigger: { kind: 'timer', timer: { kind: 'date', value: '2026-10-01T09:00:00+08:00' } } });
  });

  it('compiles an error catch whose error has no code, or that names no error, as catching every error', async () => {
    const xml = fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/bpmn/rules/error-code/valid-catch-all.bpmn'));
    const graph = (await checkDefinition(xml)).graph!;
    expect(graph.nodes['Boundary_any_error']?.trigger).toEqual({ kind: 'error', errorCode: null });
    expect(graph.nodes['EventSub_start']?.trigger).toEqual({ kind: 'error', errorCode: null });
  });

  it('compiles every executable process of a file to its own graph, in document order, each with the file checksum', async () => {
    const xml = fs.readFileSync(path.resolve(__dirname, '../../../../test/fixtures/bpmn/rules/executable-process/valid-two-executable.bpmn'), 'utf8');
    const { graphs, graph } = await checkDefinition(xml);
    expect(graphs.map((g) => g.processId)).toEqual(['Process_1', 'Process_2']);
    expect(graph).toBe(graphs[0]);
    expect(Object.keys(graphs[0]!.nodes)).toEqual(['StartEvent_1', 'Task_1', 'EndEvent_1']);
    expect(Object.keys(graphs[1]!.nodes)).toEqual(['Other_start', 'Other_end']);
    expect(graphs.map((g) => g.checksum)).toEqual([definitionChecksum(xml), definitionChecksum(xml)]);
  });
});

describe('Camunda Modeler files', () => {
  it.each(fs.readdirSync(MODELER_DIR).sort())('%s has no findings and compiles', async (file) => {
    const result = await checkDefinition(fs.readFileSync(path.join(MODELER_DIR, file)));
    expect(result.findings).toEqual([]);
    expect(result.graph?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('compiles countersign multi-instance, a call activity with an error boundary, and a message event subprocess', async () => {
    const graph = (await checkDefinition(fs.readFileSync(path.join(MODELER_DIR, 'rectification.bpmn')))).graph!;
    expect(graph.nodes['Activity_review']?.multiInstance).toEqual({
      sequential: false,
      inputCollection: '=reviewers',
      inputElement: 'reviewer',
      outputCollection: 'opinions',
      outputElement: '=opinion',
      completionCondition: '=nrOfCompletedInstances >= 2',
    });
    expect(graph.nodes['Activity_items']).toMatchObject({
      type: 'callActivity',
      calledElement: {
        processId: 'rectification-item',
        propagateAllChildVariables: false,
        propagateAllParentVariables: true,
        bindingType: 'latest',
        versionTag: null,
      },
      inputs: [{ source: '=unitId', target: 'unitId' }],
    });
    expect(graph.nodes['Event_item_failed']).toMatchObject({
      attachedTo: 'Activity_items',
      interrupting: true,
      trigger: { kind: 'error', errorCode: 'RECTIFICATION_FAILED' },
    });
    expect(graph.nodes['Event_sub_check']).toMatchObject({ type: 'subProcess', triggeredByEvent: true, children: ['Event_check_start', 'Activity_check', 'Event_check_end'] });
    expect(graph.nodes['Event_check_start']).toMatchObject({
      scopeId: 'Event_sub_check',
      interrupting: false,
      trigger: { kind: 'message', messageName: 'special-check', correlationKey: '=unitId' },
    });
  });

  it('compiles an event-based gateway, a multi-instance send task with headers, and an inclusive split with default', async () => {
    const graph = (await checkDefinition(fs.readFileSync(path.join(MODELER_DIR, 'information-request.bpmn')))).graph!;
    expect(graph.nodes['Gateway_wait']).toMatchObject({ type: 'eventBasedGateway', outgoing: ['Flow_3', 'Flow_4'] });
    expect(graph.nodes['Event_overdue']?.trigger).toEqual({ kind: 'timer', timer: { kind: 'duration', value: 'P10D' } });
    expect(graph.nodes['Activity_send_letters']).toMatchObject({
      type: 'sendTask',
      task: { type: 'letter.send-information-request', retries: '3' },
      headers: { template: '征询函' },
      multiInstance: { sequential: false, inputCollection: '=coordinatingUnits', inputElement: 'unit' },
    });
    expect(graph.nodes['Gateway_transfer']).toMatchObject({ type: 'inclusiveGateway', defaultFlow: 'Flow_no_transfer' });
    expect(graph.flows['Flow_commission']?.condition).toBe('=count(disciplineClues) > 0');
    expect(graph.nodes['Activity_triage']?.children).toEqual(['Event_triage_start', 'Activity_sort', 'Event_triage_end']);
  });

  it('keeps the version binding of a call activity and the version tag of a process', async () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="caller" isExecutable="true">
    <bpmn:extensionElements><zeebe:versionTag value="2026-rev1" /></bpmn:extensionElements>
    <bpmn:startEvent id="Start" />
    <bpmn:callActivity id="Call"><bpmn:extensionElements><zeebe:calledElement processId="verify-clue" bindingType="versionTag" versionTag="v2" /></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Call" />
    <bpmn:sequenceFlow id="F2" sourceRef="Call" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
    const { graph, findings } = await checkDefinition(xml);
    expect(findings).toEqual([]);
    expect(graph?.versionTag).toBe('2026-rev1');
    expect(graph?.nodes['Call']?.calledElement).toMatchObject({ processId: 'verify-clue', bindingType: 'versionTag', versionTag: 'v2' });
  });

  it('keeps the variables a process marks as sensitive in its zeebe:properties, and none when it marks none', async () => {
    const model = (extension: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="sensitive" isExecutable="true">
    ${extension}
    <bpmn:startEvent id="Start" />
    <bpmn:endEvent id="End" />
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="End" />
  </bpmn:process>
</bpmn:definitions>`;
    const marked = await checkDefinition(
      model('<bpmn:extensionElements><zeebe:properties><zeebe:property name="owner" value="x" /><zeebe:property name="sensitive" value="suspect, amount,suspect" /></zeebe:properties></bpmn:extensionElements>'),
    );
    expect(marked.findings).toEqual([]);
    expect(marked.graph?.sensitive).toEqual(['suspect', 'amount']);
    expect((await checkDefinition(model(''))).graph).not.toHaveProperty('sensitive');
  });
});
