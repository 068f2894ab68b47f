// Shared steps of the API e2e specs: inline BPMN, deployment, starting instances, waiting for tasks.
import type { Principal } from '@xuncha/contracts';
import type { TestApp } from './test-app';
import { waitFor } from './wait';

/** The opening of an inline BPMN file, with the zeebe and xsi namespaces. */
export const BPMN_HEADER = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D" targetNamespace="http://bpmn.io/schema/bpmn">`;

/** Deploys each definition through the API; throws with the answer when one is refused. */
export async function deployAll(api: TestApp, definitions: string[]): Promise<void> {
  for (const xml of definitions) {
    const response = await fetch(`${api.url}/definitions`, { method: 'POST', headers: { ...api.auth(), 'content-type': 'application/xml' }, body: xml });
    if (response.status !== 201) throw new Error(`deploy refused: ${await response.text()}`);
  }
}

/** Starts an instance of the latest version through the API and answers its id. */
export async function startInstance(api: TestApp, key: string, options: { variables?: Record<string, unknown>; businessKey?: string } = {}): Promise<string> {
  const started = await api.post('/process-instances', { definitionKey: key, variables: options.variables ?? {}, ...(options.businessKey ? { businessKey: options.businessKey } : {}) });
  if (started.status !== 201) throw new Error(`start of ${key} refused: ${JSON.stringify(started.body)}`);
  return (started.body as { id: string }).id;
}

/** The instance's task at `elementId` (in any state), once the read model has it and `as` may see it. */
export function taskOf<T extends { elementId: string }>(api: TestApp, instanceId: string, elementId: string, as?: Principal): Promise<T> {
  return waitFor(`task ${elementId} of ${instanceId} in the inbox`, async () => {
    const page = (await api.get(`/tasks?processInstanceId=${encodeURIComponent(instanceId)}&state=all`, as)).body as { items?: T[] };
    return page.items?.find((task) => task.elementId === elementId);
  });
}

/** A process that starts and ends at once: enough to prove the path API → Temporal → worker → read model. */
export function straightThroughProcess(key: string): string {
  return `${BPMN_HEADER}
  <bpmn:process id="${key}" name="直通流程" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>Flow_1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="Flow_1" sourceRef="Start" targetRef="End" />
    <bpmn:endEvent id="End"><bpmn:incoming>Flow_1</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
}

/** A process that waits at one user task, `Check` (核实), offered to `candidateGroup`. */
export function oneTaskProcess(key: string, name: string, candidateGroup: string): string {
  return `${BPMN_HEADER}
  <bpmn:process id="${key}" name="${name}" isExecutable="true">
    <bpmn:startEvent id="Start"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="Start" targetRef="Check" />
    <bpmn:userTask id="Check" name="核实"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="${candidateGroup}" /></bpmn:extensionElements><bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing></bpmn:userTask>
    <bpmn:sequenceFlow id="F2" sourceRef="Check" targetRef="End" />
    <bpmn:endEvent id="End"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
  </bpmn:process>
</bpmn:definitions>`;
}
