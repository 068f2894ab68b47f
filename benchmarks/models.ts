// The shapes measured, as BPMN: once for this engine (zeebe extensions, FEEL) and once for the
// JavaScript peer (bpmn-engine: service implementations by expression, loop cardinality).
const HEAD = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="Definitions_bench" targetNamespace="http://bpmn.io/schema/bpmn">`;

export type Flavour = 'zeebe' | 'peer';

function serviceTask(id: string, flavour: Flavour, inner = ''): string {
  return flavour === 'zeebe'
    ? `<bpmn:serviceTask id="${id}"><bpmn:extensionElements><zeebe:taskDefinition type="bench" /></bpmn:extensionElements>${inner}</bpmn:serviceTask>`
    : `<bpmn:serviceTask id="${id}" implementation="\${environment.services.bench}">${inner}</bpmn:serviceTask>`;
}

/** A straight line of `count` service tasks. */
export function sequenceModel(count: number, flavour: Flavour, processId = `bench-sequence-${count}`): string {
  const parts: string[] = [`<bpmn:process id="${processId}" isExecutable="true">`, `<bpmn:startEvent id="start" />`];
  let previous = 'start';
  for (let i = 1; i <= count; i++) {
    parts.push(serviceTask(`task_${i}`, flavour));
    parts.push(`<bpmn:sequenceFlow id="flow_${i}" sourceRef="${previous}" targetRef="task_${i}" />`);
    previous = `task_${i}`;
  }
  parts.push(`<bpmn:endEvent id="end" />`, `<bpmn:sequenceFlow id="flow_end" sourceRef="${previous}" targetRef="end" />`, `</bpmn:process>`);
  return `${HEAD}${parts.join('')}</bpmn:definitions>`;
}

/** One service task run in parallel for each of `items` items. */
export function parallelModel(items: number, flavour: Flavour): string {
  const loop =
    flavour === 'zeebe'
      ? `<bpmn:multiInstanceLoopCharacteristics><bpmn:extensionElements><zeebe:loopCharacteristics inputCollection="=for i in 1..${items} return i" inputElement="item" /></bpmn:extensionElements></bpmn:multiInstanceLoopCharacteristics>`
      : `<bpmn:multiInstanceLoopCharacteristics isSequential="false"><bpmn:loopCardinality>${items}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>`;
  return `${HEAD}<bpmn:process id="bench-parallel-${items}" isExecutable="true"><bpmn:startEvent id="start" />${serviceTask('each', flavour, loop)}<bpmn:endEvent id="end" />
<bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="each" /><bpmn:sequenceFlow id="f2" sourceRef="each" targetRef="end" /></bpmn:process></bpmn:definitions>`;
}
