import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDefinition } from '@xuncha/bpmn';
import { ProcessDefinitionRepository } from '@xuncha/persistence';
import { createTestDatabase, type TestDatabase } from './support/database';
import { ROOT } from './support/processes';
import { startTestApp, type TestApp } from './support/test-app';

const FIXTURES = path.join(ROOT, 'test/fixtures/bpmn');
const MODELER_FILE = path.join(FIXTURES, 'modeler/clue-feedback.bpmn');
const modelerXml = fs.readFileSync(MODELER_FILE, 'utf8');

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

async function send(api: TestApp, body: RequestInit['body'], contentType?: string): Promise<Answer> {
  const response = await fetch(`${api.url}/definitions`, {
    method: 'POST',
    headers: contentType ? { ...api.auth(), 'content-type': contentType } : api.auth(),
    body,
  });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

const deployXml = (api: TestApp, xml: string | Buffer, type = 'application/xml'): Promise<Answer> => send(api, xml, type);

function deployMultipart(api: TestApp, content: string | Buffer, field = 'file'): Promise<Answer> {
  const form = new FormData();
  form.append(field, new Blob([content]), 'process.bpmn');
  return send(api, form);
}

describe('definitions API', () => {
  let database: TestDatabase;
  let api: TestApp;
  const storedRows = async (): Promise<number> => Number((await database.query<{ n: string }>('SELECT count(*) AS n FROM process_definition'))[0]?.n);

  beforeAll(async () => {
    database = await createTestDatabase();
    api = await startTestApp({ database: { kind: 'postgres', url: database.url }, worker: false });
  });

  afterAll(async () => {
    await api?.close();
    await database?.drop();
  });

  describe('deploy and versioning', () => {
    it('deploys a Camunda Modeler file with zeebe extensions and diagram interchange unchanged: 201, version 1', async () => {
      const answer = await deployXml(api, modelerXml);
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ key: 'clue-feedback', version: 1, name: '问题线索处置与反馈', warnings: [] });
      expect(answer.body.checksum).toMatch(/^[0-9a-f]{64}$/);
      const [row] = await database.query<{ xml: string }>("SELECT xml FROM process_definition WHERE key = 'clue-feedback'");
      expect(row?.xml).toBe(modelerXml);
    });

    it.each(['rectification.bpmn', 'information-request.bpmn'])('deploys %s (full diagram interchange) unchanged', async (file) => {
      const xml = fs.readFileSync(path.join(FIXTURES, 'modeler', file), 'utf8');
      const answer = await deployXml(api, xml);
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ version: 1, warnings: [] });
      const [row] = await database.query<{ xml: string }>('SELECT xml FROM process_definition WHERE key = $1', [answer.body.key]);
      expect(row?.xml).toBe(xml);
    });

    it('redeploying the same file returns the same version with 200 and stores nothing', async () => {
      const before = await storedRows();
      const answer = await deployXml(api, modelerXml, 'text/xml');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ key: 'clue-feedback', version: 1 });
      expect(await storedRows()).toBe(before);
    });

    it('accepts the same file as a multipart upload in field "file"', async () => {
      const answer = await deployMultipart(api, modelerXml);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ key: 'clue-feedback', version: 1 });
    });

    it('a changed file becomes version 2', async () => {
      const answer = await deployXml(api, modelerXml.replace('研究处置方式', '集体研究处置方式'));
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ key: 'clue-feedback', version: 2 });
    });

    it('concurrent deployments of one new file store exactly one version', async () => {
      const changed = modelerXml.replace('登记线索台账', '登记问题线索台账');
      const answers = await Promise.all(Array.from({ length: 6 }, () => deployXml(api, changed)));
      expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 201]);
      expect(new Set(answers.map((a) => a.body.version))).toEqual(new Set([3]));
    });

    it('returns warnings with the deployment', async () => {
      const withDataStore = modelerXml.replace(
        '<bpmn:startEvent id="StartEvent_1" name="线索移交">',
        '<bpmn:dataStoreReference id="DataStore_ledger" name="线索台账" />\n    <bpmn:startEvent id="StartEvent_1" name="线索移交">',
      );
      const answer = await deployXml(api, withDataStore);
      expect(answer.status).toBe(201);
      expect(answer.body.warnings).toEqual([
        expect.objectContaining({ rule: 'supported-elements', severity: 'warning', elementId: 'DataStore_ledger', line: expect.any(Number) }),
      ]);
    });
  });

  describe('reading versions', () => {
    it('lists the latest version of each key', async () => {
      await deployXml(api, fs.readFileSync(path.join(FIXTURES, 'rules/gateway-conditions/valid.bpmn')));
      const answer = await api.get('/definitions');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual([
        expect.objectContaining({ key: 'Process_1', version: 1 }),
        // Shipped with the product (processes/clue.bpmn, processes/clue-summary.bpmn), deployed at start.
        expect.objectContaining({ key: 'clue', version: 1, name: '问题线索处置' }),
        expect.objectContaining({ key: 'clue-feedback', version: 4 }),
        expect.objectContaining({ key: 'clue-summary', version: 1, name: '问题线索办理情况季度汇总' }),
        expect.objectContaining({ key: 'information-request', version: 1 }),
        expect.objectContaining({ key: 'rectification', version: 1 }),
      ]);
    });

    it('lists every version of a key, newest first', async () => {
      const answer = await api.get('/definitions/clue-feedback/versions');
      expect(answer.status).toBe(200);
      expect((answer.body as Array<{ version: number }>).map((v) => v.version)).toEqual([4, 3, 2, 1]);
    });

    it('shows one version with its summary and XML, and its compiled graph', async () => {
      const detail = await api.get('/definitions/clue-feedback/versions/1');
      expect(detail.status).toBe(200);
      expect(detail.body).toMatchObject({
        key: 'clue-feedback',
        version: 1,
        xml: modelerXml,
        summary: { flowNodes: 9, sequenceFlows: 8, byType: { serviceTask: 2, userTask: 1, sendTask: 1, boundaryEvent: 1 } },
      });
      const graph = await api.get('/definitions/clue-feedback/versions/1/graph');
      expect(graph.status).toBe(200);
      expect(graph.body).toMatchObject({ processId: 'clue-feedback', formatVersion: 1, nodes: { Activity_dispose: { type: 'userTask' } } });
    });

    it('answers 404 for an unknown key or version, and 400 for a version that is not a number', async () => {
      expect((await api.get('/definitions/nope/versions')).status).toBe(404);
      const missing = await api.get('/definitions/clue-feedback/versions/99');
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ error: 'not-found', message: 'process definition version "clue-feedback v99" was not found' });
      expect((await api.get('/definitions/clue-feedback/versions/99/graph')).status).toBe(404);
      expect((await api.get('/definitions/clue-feedback/versions/latest')).status).toBe(400);
    });
  });

  describe('refusals store nothing and are never 5xx', () => {
    it('refuses an invalid definition with 422 and every finding', async () => {
      const before = await storedRows();
      const answer = await deployXml(api, fs.readFileSync(path.join(FIXTURES, 'rules/gateway-conditions/invalid-missing-condition.bpmn')));
      expect(answer.status).toBe(422);
      expect(answer.body).toMatchObject({ error: 'invalid-definition', message: 'The definition has 1 error(s); nothing was stored' });
      expect(answer.body.findings).toEqual([
        { rule: 'gateway-conditions', severity: 'error', elementId: 'Flow_b', elementType: '<bpmn:sequenceFlow>', message: expect.any(String), line: 12 },
      ]);
      expect(await storedRows()).toBe(before);
    });

    it('reports several problems at once', async () => {
      const broken = modelerXml
        .replace('<zeebe:taskDefinition type="ledger.record-clue" retries="5" />', '')
        .replace('<zeebe:assignmentDefinition candidateGroups="commission-case-office" />', '')
        .replace('R/P6M', 'every six months');
      const answer = await deployXml(api, broken);
      expect(answer.status).toBe(422);
      const rules = (answer.body.findings as Array<{ rule: string; severity: string; elementId: string }>).map((f) => `${f.severity}:${f.rule}:${f.elementId}`);
      expect(rules).toEqual(
        expect.arrayContaining([
          'error:service-task-type:Activity_register',
          'warning:user-task-assignment:Activity_dispose',
          'error:timer-definition:Event_feedback_due',
        ]),
      );
    });

    it('refuses a file that is not XML with 400 and a clear message', async () => {
      const answer = await deployXml(api, fs.readFileSync(path.join(FIXTURES, 'broken/binary.bpmn')));
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({ error: 'not-xml', message: 'The upload is not a BPMN XML document: it contains NUL bytes (a binary file?)' });
      const empty = await deployXml(api, '');
      expect(empty.status).toBe(400);
      expect(empty.body).toEqual({ error: 'not-xml', message: 'The upload is not a BPMN XML document: it is empty' });
    });

    it('refuses more than 5 MB with 413, as XML body and as multipart upload', async () => {
      const big = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">${' '.repeat(5 * 1024 * 1024 + 1)}</bpmn:definitions>`;
      const raw = await deployXml(api, big);
      expect(raw.status).toBe(413);
      expect(raw.body).toMatchObject({ error: 'payload-too-large' });
      const multipart = await deployMultipart(api, big);
      expect(multipart.status).toBe(413);
      expect(multipart.body).toMatchObject({ error: 'payload-too-large' });
    });

    it('refuses other content types and multipart without a "file" field with 415', async () => {
      const plain = await send(api, modelerXml, 'text/plain');
      expect(plain.status).toBe(415);
      expect(plain.body).toMatchObject({ error: 'unsupported-media-type', message: expect.stringContaining('application/xml') });
      const wrongField = await deployMultipart(api, modelerXml, 'definition');
      expect(wrongField.status).toBe(400);
      const noFile = await send(api, new FormData());
      expect(noFile.status).toBe(415);
      expect(noFile.body).toMatchObject({ message: 'The multipart upload has no field named "file"' });
    });

    it.each(fs.readdirSync(path.join(FIXTURES, 'broken')).sort())('broken/%s is refused with a 4xx and nothing is stored', async (file) => {
      const before = await storedRows();
      const answer = await deployXml(api, fs.readFileSync(path.join(FIXTURES, 'broken', file)));
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(typeof answer.body.error).toBe('string');
      expect(await storedRows()).toBe(before);
    });

    it('every invalid rule fixture is refused with 422 and nothing is stored', async () => {
      const before = await storedRows();
      const rulesDir = path.join(FIXTURES, 'rules');
      for (const rule of fs.readdirSync(rulesDir)) {
        for (const file of fs.readdirSync(path.join(rulesDir, rule)).filter((f) => f.startsWith('invalid'))) {
          const answer = await deployXml(api, fs.readFileSync(path.join(rulesDir, rule, file)));
          expect({ file: `${rule}/${file}`, status: answer.status }).toEqual({ file: `${rule}/${file}`, status: 422 });
        }
      }
      expect(await storedRows()).toBe(before);
    });
  });
  describe('a file with several executable processes', () => {
    const twoProcesses = (followUpName: string, formId?: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_pair" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:collaboration id="Collaboration_pair">
    <bpmn:participant id="Participant_office" name="巡察办" processRef="pair-intake" />
    <bpmn:participant id="Participant_group" name="巡察组" processRef="pair-follow-up" />
  </bpmn:collaboration>
  <bpmn:process id="pair-intake" name="线索受理" isExecutable="true">
    <bpmn:startEvent id="Intake_start" />
    <bpmn:endEvent id="Intake_end" />
    <bpmn:sequenceFlow id="Intake_flow" sourceRef="Intake_start" targetRef="Intake_end" />
  </bpmn:process>
  <bpmn:process id="pair-follow-up" name="${followUpName}" isExecutable="true">
    <bpmn:startEvent id="FollowUp_start" />
    <bpmn:userTask id="FollowUp_task">
      <bpmn:extensionElements>${formId ? `<zeebe:formDefinition formId="${formId}" />` : ''}</bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:endEvent id="FollowUp_end" />
    <bpmn:sequenceFlow id="FollowUp_flow_1" sourceRef="FollowUp_start" targetRef="FollowUp_task" />
    <bpmn:sequenceFlow id="FollowUp_flow_2" sourceRef="FollowUp_task" targetRef="FollowUp_end" />
  </bpmn:process>
</bpmn:definitions>`;
    const processesOf = (answer: Answer): unknown => answer.body.processes;

    it('deploys each executable process under its own key and lists every key and version', async () => {
      const answer = await deployXml(api, twoProcesses('回头看'));
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ key: 'pair-intake', version: 1, name: '线索受理' });
      expect(processesOf(answer)).toEqual([
        { key: 'pair-intake', version: 1, checksum: answer.body.checksum, name: '线索受理', created: true },
        { key: 'pair-follow-up', version: 1, checksum: answer.body.checksum, name: '回头看', created: true },
      ]);
      expect(answer.body.warnings).toEqual([expect.objectContaining({ rule: 'user-task-assignment', severity: 'warning', elementId: 'FollowUp_task' })]);
      const graph = await api.get('/definitions/pair-follow-up/versions/1/graph');
      expect((graph.body as { children: string[] }).children).toEqual(['FollowUp_start', 'FollowUp_task', 'FollowUp_end']);
      expect(Object.keys((graph.body as { nodes: Record<string, unknown> }).nodes).sort()).toEqual(['FollowUp_end', 'FollowUp_start', 'FollowUp_task']);
    });

    it('redeploying the unchanged file stores nothing and answers 200 with the same versions and checksums', async () => {
      const before = await storedRows();
      const first = await deployXml(api, twoProcesses('回头看'));
      expect(first.status).toBe(200);
      expect(processesOf(first)).toEqual([
        expect.objectContaining({ key: 'pair-intake', version: 1, created: false }),
        expect.objectContaining({ key: 'pair-follow-up', version: 1, created: false }),
      ]);
      expect(await storedRows()).toBe(before);
    });

    it('a changed file gives each of its processes a new version, as in Camunda 8', async () => {
      const answer = await deployXml(api, twoProcesses('整改回头看'));
      expect(answer.status).toBe(201);
      expect((processesOf(answer) as Array<{ key: string; version: number }>).map((p) => `${p.key} v${p.version}`)).toEqual(['pair-intake v2', 'pair-follow-up v2']);
    });

    it('stores all processes or none: a missing form of the second process refuses the whole file', async () => {
      const before = await storedRows();
      const answer = await deployXml(api, twoProcesses('复查', 'no-such-form'));
      expect(answer.status).toBe(422);
      expect(answer.body.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'form-definition', elementId: 'FollowUp_task' })]));
      expect(await storedRows()).toBe(before);
    });

    it('stores all processes or none when the database refuses one of them', async () => {
      const repository = api.app.get(ProcessDefinitionRepository);
      const { graphs } = await checkDefinition(twoProcesses('再次复查'));
      const before = await storedRows();
      // A name longer than its column makes the second insert fail after the first succeeded.
      const unstorable = { ...graphs[1]!, name: '长'.repeat(600) };
      await expect(repository.deployAll([graphs[0]!, unstorable], twoProcesses('再次复查'), [])).rejects.toThrow();
      expect(await storedRows()).toBe(before);
    });
  });
});
