import * as fs from 'node:fs';
import * as path from 'node:path';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import { checkDefinition } from '../definition/check';
import { forecast } from './forecast';
import { Simulator } from './simulator';
import { formatDateTime, parseDateTime } from './time';

const FIXTURE = path.resolve(__dirname, '../../../../test/fixtures/bpmn/modeler/clue-feedback.bpmn');

describe('forecast', () => {
  it('predicts the coming deadlines of a clue: the disposal due date, then the six-month feedback', async () => {
    const { graph } = await checkDefinition(fs.readFileSync(FIXTURE));
    const sim = new Simulator(graph!, '2026-09-28T09:00:00+08:00', {}, chineseDaysCalendar());
    sim.start({ clue: { id: 'XC-1' } });
    sim.apply({ complete: 'Activity_register', variables: { ledgerEntryId: 7 } });
    const before = JSON.stringify(sim.state);
    const open = sim.result().openUserTasks.map((t) => ({ taskId: t.taskId, elementId: t.elementId, name: t.name, dueDate: t.dueDate }));
    const result = forecast(sim.state, open, sim.now, { horizon: parseDateTime('2027-12-31T00:00:00+08:00') });
    // The real state is untouched.
    expect(JSON.stringify(sim.state)).toBe(before);
    const lines = result.items.map((item) => `${formatDateTime(item.at).slice(0, 10)} ${item.kind} ${item.elementId} ${item.predicted ? 'predicted' : 'now'}`);
    expect(lines[0]).toBe('2026-10-16 task-due Activity_dispose now');
    expect(lines).toContain('2027-03-28 timer Event_feedback_due now');
    // Completing the disposal on its due date ends the wait for it; the forecast says why it stops.
    expect(result.stoppedBecause).not.toBeNull();
  });

  it('stops at the horizon and at tasks without a due date, saying so', async () => {
    const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="D">
      <bpmn:process id="P" isExecutable="true">
        <bpmn:startEvent id="S" />
        <bpmn:userTask id="Plan" name="制定整改方案"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspected-unit" /><zeebe:taskSchedule dueDate="=add working days(today(), 5)" /></bpmn:extensionElements></bpmn:userTask>
        <bpmn:userTask id="Report" name="报送整改报告"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspected-unit" /><zeebe:taskSchedule dueDate="=add working days(today(), 60)" /></bpmn:extensionElements></bpmn:userTask>
        <bpmn:userTask id="Archive" name="归档"><bpmn:extensionElements><zeebe:assignmentDefinition candidateGroups="inspection-office" /></bpmn:extensionElements></bpmn:userTask>
        <bpmn:endEvent id="E" />
        <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="Plan" />
        <bpmn:sequenceFlow id="F2" sourceRef="Plan" targetRef="Report" />
        <bpmn:sequenceFlow id="F3" sourceRef="Report" targetRef="Archive" />
        <bpmn:sequenceFlow id="F4" sourceRef="Archive" targetRef="E" />
      </bpmn:process>
    </bpmn:definitions>`;
    const { graph, findings } = await checkDefinition(xml);
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
    const sim = new Simulator(graph!, '2026-09-28T09:00:00+08:00', {}, chineseDaysCalendar());
    sim.start();
    const open = sim.result().openUserTasks.map((t) => ({ taskId: t.taskId, elementId: t.elementId, name: t.name, dueDate: t.dueDate }));
    const full = forecast(sim.state, open, sim.now, { horizon: parseDateTime('2027-12-31T00:00:00+08:00') });
    expect(full.items.map((i) => [i.elementId, formatDateTime(i.at).slice(0, 10), i.predicted])).toEqual([
      // Five working days after Monday 2026-09-28 end on the working Saturday 10-10.
      ['Plan', '2026-10-10', false],
      // 60 working days after the plan's due date; 2027 has no official data, so New Year's Day counts (and is flagged on the task).
      ['Report', '2027-01-01', true],
    ]);
    expect(full.stoppedBecause).toBe('the task Archive has no due date');
    const near = forecast(sim.state, open, sim.now, { horizon: parseDateTime('2026-11-01T00:00:00+08:00') });
    expect(near.items.map((i) => i.elementId)).toEqual(['Plan']);
    expect(near.stoppedBecause).toBeNull();
  });
});
