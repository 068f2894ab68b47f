import * as fs from 'node:fs';
import * as path from 'node:path';
import { withOverrides } from '@xuncha/calendar';
import { chineseDaysCalendar } from '@xuncha/calendar-data';
import { checkDefinition } from '../definition/check';
import type { ProcessGraph } from '../definition/graph';
import { Simulator } from './simulator';
import { createInstanceState, InvalidEventError, step, upgradeState } from './step';
import { parseDateTime } from './time';
import type { EngineState } from './types';
import { ENGINE_SEMANTICS, ENGINE_STATE_VERSION } from './types';

const FIXTURES = path.resolve(__dirname, '../../../../test');

async function graphOf(relative: string): Promise<ProcessGraph> {
  const { graph, findings } = await checkDefinition(fs.readFileSync(path.join(FIXTURES, relative)));
  if (!graph) throw new Error(JSON.stringify(findings));
  return graph;
}

const T0 = parseDateTime('2026-09-28T09:00:00+08:00');

describe('step', () => {
  it('never mutates the state it is given and shares the graph', async () => {
    const graph = await graphOf('fixtures/bpmn/modeler/clue-feedback.bpmn');
    const initial = createInstanceState(graph, T0);
    const snapshot = JSON.stringify(initial);
    const { state } = step(initial, { type: 'start', variables: { clue: { id: 'XC-1' } } }, T0);
    expect(JSON.stringify(initial)).toBe(snapshot);
    expect(state.graph).toBe(graph);
    expect(state).not.toBe(initial);
  });

  it('copies only what a step changes: untouched element instances, the calendar and the graph are shared', async () => {
    const graph = await graphOf('conformance/parallel-gateway/fork-and-join.bpmn');
    const calendar = chineseDaysCalendar();
    const started = step(createInstanceState(graph, T0, calendar), { type: 'start', variables: { clue: { id: 'XC-1' } } }, T0);
    const jobs = started.commands.flatMap((c) => (c.type === 'runJob' || c.type === 'openUserTask' ? [c] : []));
    expect(jobs.map((job) => job.elementId).sort()).toEqual(['ReviewA', 'ReviewB']);
    const reviewA = jobs.find((job) => job.elementId === 'ReviewA')!;
    const reviewB = jobs.find((job) => job.elementId === 'ReviewB')!;
    const completeA = reviewA.type === 'runJob' ? { type: 'jobCompleted' as const, jobId: reviewA.jobId } : { type: 'userTaskCompleted' as const, taskId: reviewA.taskId };
    const before = JSON.stringify(started.state);
    const next = step(started.state, completeA, T0 + 1000);
    expect(JSON.stringify(started.state)).toBe(before);
    const idB = reviewB.type === 'runJob' ? reviewB.jobId : reviewB.taskId;
    const idA = reviewA.type === 'runJob' ? reviewA.jobId : reviewA.taskId;
    // The branch the event did not touch is the very same object; the calendar is not copied.
    expect(next.state.elements[idB]).toBe(started.state.elements[idB]);
    expect(next.state.elements[idA]).toBeUndefined();
    expect(next.state.calendar).toBe(calendar);
    expect(next.state.graph).toBe(graph);
    expect(next.state.elements).not.toBe(started.state.elements);
  });

  it('is deterministic: the same events at the same times give the same state and commands', async () => {
    const graph = await graphOf('fixtures/bpmn/modeler/clue-feedback.bpmn');
    const run = () => {
      const first = step(createInstanceState(graph, T0), { type: 'start', variables: { clue: { id: 'XC-1' } } }, T0);
      const job = first.commands.find((c) => c.type === 'runJob');
      const second = step(first.state, { type: 'jobCompleted', jobId: job?.type === 'runJob' ? job.jobId : '', variables: { ledgerEntryId: 1 } }, T0 + 1000);
      return JSON.stringify([first.commands, second.commands, second.state]);
    };
    expect(run()).toBe(run());
  });

  it('upgrades a state of the first release (no version, no terminated count) and runs it on', async () => {
    const graph = await graphOf('conformance/multi-instance/parallel-countersign-two-of-three.bpmn');
    const sim = new Simulator(graph, '2026-01-31T09:00:00+08:00');
    sim.start({ signers: ['zhang.wei', 'li.na', 'wang.fang'] });
    // The shape the first release carried across continueAsNew.
    const old = JSON.parse(JSON.stringify({ ...sim.state, graph: undefined })) as EngineState;
    delete old.version;
    delete old.semantics;
    delete old.zone;
    for (const element of Object.values(old.elements)) if (element.multi) delete element.multi.terminated;
    const upgraded = upgradeState({ ...old, graph });
    expect(upgraded.version).toBe(ENGINE_STATE_VERSION);
    // The shape is upgraded; the rules the instance started with are not.
    expect(upgraded.semantics).toBeUndefined();
    expect(upgraded.zone).toBe('Asia/Shanghai');
    expect(Object.values(upgraded.elements).find((element) => element.multi)?.multi?.terminated).toBe(0);
    sim.state = upgraded;
    sim.apply({ complete: 'Countersign', variables: { opinion: '同意' } });
    sim.apply({ complete: 'Countersign', variables: { opinion: '同意' } });
    expect(sim.state.status).toBe('completed');
    expect(() => upgradeState({ ...upgraded, version: ENGINE_STATE_VERSION + 1 })).toThrow(/reads states up to version/);
  });

  it('offers a user task that names nobody to the default group the instance started with, and only such a task', async () => {
    const graph = await graphOf('fixtures/bpmn/rules/user-task-assignment/warning-no-assignment.bpmn');
    const opened = (groups: string | null) =>
      step(createInstanceState(graph, T0, null, { defaultCandidateGroup: groups }), { type: 'start' }, T0).commands.find((c) => c.type === 'openUserTask');
    expect(opened('supervisor')).toMatchObject({ assignee: null, candidateGroups: ['supervisor'], candidateUsers: [] });
    expect(opened(null)).toMatchObject({ assignee: null, candidateGroups: [] });
    const named = await graphOf('conformance/sequence/service-then-user-task.bpmn');
    const started = step(createInstanceState(named, T0, null, { defaultCandidateGroup: 'supervisor' }), { type: 'start' }, T0);
    const job = started.commands.find((c) => c.type === 'runJob');
    const next = step(started.state, { type: 'jobCompleted', jobId: job?.type === 'runJob' ? job.jobId : '' }, T0);
    expect(next.commands.find((c) => c.type === 'openUserTask')).toMatchObject({ candidateGroups: ['inspection-office'] });
  });

  it('keeps the first release\'s rules for its instances: a single conditional flow out of a gateway is taken unevaluated', async () => {
    const graph = await graphOf('conformance/implicit-end/single-conditional-flow-is-evaluated.bpmn');
    const run = (semantics: number | undefined) => {
      const initial = createInstanceState(graph, T0);
      if (semantics === undefined) delete initial.semantics;
      const started = step(initial, { type: 'start', variables: { approved: false } }, T0);
      const job = started.commands.find((c) => c.type === 'runJob');
      return step(started.state, { type: 'jobCompleted', jobId: job?.type === 'runJob' ? job.jobId : '' }, T0).state;
    };
    expect(run(ENGINE_SEMANTICS).status).toBe('active');
    expect(Object.values(run(ENGINE_SEMANTICS).incidents).map((i) => i.elementId)).toEqual(['Check']);
    expect(run(undefined).status).toBe('completed');
  });

  it('continues identically from a state that went through JSON (as across continueAsNew)', async () => {
    const graph = await graphOf('conformance/timer/six-month-feedback-for-five-years.bpmn');
    const direct = new Simulator(graph, '2026-01-31T09:00:00+08:00');
    const resumed = new Simulator(graph, '2026-01-31T09:00:00+08:00');
    for (const sim of [direct, resumed]) {
      sim.start();
      sim.apply({ advance: 'P6M' });
      sim.apply({ complete: 'SendFeedback' });
    }
    const { graph: _shared, ...runtime } = resumed.state;
    resumed.state = { graph, ...(JSON.parse(JSON.stringify(runtime)) as Omit<EngineState, 'graph'>) };
    for (const sim of [direct, resumed]) {
      sim.apply({ advance: 'P6M' });
      sim.apply({ complete: 'SendFeedback' });
      sim.apply({ complete: 'Dispose' });
    }
    expect(resumed.result().timeline).toEqual(direct.result().timeline);
    expect(resumed.state.status).toBe('completed');
  });

  it('opens a user task with its evaluated assignment, due date, priority and form', async () => {
    const xml = `<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D">
      <bpmn:process id="P" isExecutable="true">
        <bpmn:startEvent id="S" />
        <bpmn:userTask id="Sign" name="签批">
          <bpmn:extensionElements>
            <zeebe:assignmentDefinition assignee="=owner" candidateGroups="=[&quot;leading-group&quot;, unit]" candidateUsers="li.na, wang.fang" />
            <zeebe:taskSchedule dueDate="=string(today() + duration(&quot;P10D&quot;))" />
            <zeebe:priorityDefinition priority="=urgency * 10" />
            <zeebe:formDefinition formId="sign-off" />
          </bpmn:extensionElements>
        </bpmn:userTask>
        <bpmn:endEvent id="E" />
        <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="Sign" />
        <bpmn:sequenceFlow id="F2" sourceRef="Sign" targetRef="E" />
      </bpmn:process>
    </bpmn:definitions>`;
    const { graph } = await checkDefinition(xml);
    const sim = new Simulator(graph!, '2026-09-28T09:00:00+08:00');
    sim.start({ owner: 'zhang.wei', unit: 'inspection-office', urgency: 8 });
    expect(sim.result().openUserTasks).toEqual([
      expect.objectContaining({
        elementId: 'Sign',
        name: '签批',
        assignee: 'zhang.wei',
        candidateGroups: ['leading-group', 'inspection-office'],
        candidateUsers: ['li.na', 'wang.fang'],
        // A date alone is due at the end of that day, China time.
        dueDate: '2026-10-08T23:59:59+08:00',
        priority: 80,
        formId: 'sign-off',
      }),
    ]);
  });

  it('turns an expression it cannot evaluate into an incident that names it (a working-day function without a calendar)', async () => {
    const graph = await graphOf('fixtures/bpmn/modeler/clue-feedback.bpmn');
    const sim = new Simulator(graph, '2026-09-28T09:00:00+08:00');
    sim.start({ clue: { id: 'XC-1' } });
    sim.apply({ complete: 'Activity_register', variables: { ledgerEntryId: 7 } });
    const incidents = Object.values(sim.state.incidents);
    expect(incidents.map((i) => [i.elementId, i.type])).toEqual([['Activity_dispose', 'expression']]);
    expect(incidents[0]?.message).toContain('add working days(today(), 10)');
    expect(incidents[0]?.message).toContain('this instance has no working-day calendar');
  });

  it('counts a due date of add working days(today(), 10) on the Chinese calendar: 2026-09-28 → 2026-10-16', async () => {
    const graph = await graphOf('fixtures/bpmn/modeler/clue-feedback.bpmn');
    const sim = new Simulator(graph, '2026-09-28T09:00:00+08:00', {}, chineseDaysCalendar());
    sim.start({ clue: { id: 'XC-1' } });
    sim.apply({ complete: 'Activity_register', variables: { ledgerEntryId: 7 } });
    const task = sim.result().openUserTasks.find((t) => t.elementId === 'Activity_dispose');
    expect(task).toMatchObject({ dueDate: '2026-10-16T23:59:59+08:00', warnings: [] });
  });

  it('warns on a due date counted across a year the calendar has no data for, and uses an override once entered', async () => {
    const graph = await graphOf('fixtures/bpmn/modeler/clue-feedback.bpmn');
    const guessed = new Simulator(graph, '2026-12-28T09:00:00+08:00', {}, chineseDaysCalendar());
    guessed.start({ clue: { id: 'XC-2' } });
    guessed.apply({ complete: 'Activity_register', variables: { ledgerEntryId: 8 } });
    const task = guessed.result().openUserTasks.find((t) => t.elementId === 'Activity_dispose');
    // 2026-12-31 and 2027-01-01..01-08 by the weekday rule: but flagged.
    expect(task?.dueDate).toBe('2027-01-11T23:59:59+08:00');
    expect(task?.warnings).toEqual([expect.stringContaining('no official working-day calendar for 2027')]);

    const published = withOverrides(chineseDaysCalendar(), [{ date: '2027-01-01', kind: 'holiday', note: '元旦' }], [2027]);
    const known = new Simulator(graph, '2026-12-28T09:00:00+08:00', {}, published);
    known.start({ clue: { id: 'XC-3' } });
    known.apply({ complete: 'Activity_register', variables: { ledgerEntryId: 8 } });
    const knownTask = known.result().openUserTasks.find((t) => t.elementId === 'Activity_dispose');
    expect(knownTask).toMatchObject({ dueDate: '2027-01-12T23:59:59+08:00', warnings: [] });
  });

  it('takes a changed calendar for expressions evaluated after the change', async () => {
    const graph = await graphOf('fixtures/bpmn/modeler/clue-feedback.bpmn');
    const started = step(createInstanceState(graph, T0, null), { type: 'start', variables: { clue: { id: 'XC-4' } } }, T0);
    const changed = step(started.state, { type: 'calendarChanged', calendar: chineseDaysCalendar() }, T0);
    expect(changed.commands).toEqual([]);
    expect(changed.state.calendar?.years).toContain(2026);
    const register = Object.values(changed.state.elements).find((e) => e.elementId === 'Activity_register')!;
    const opened = step(changed.state, { type: 'jobCompleted', jobId: register.id, variables: { ledgerEntryId: 9 } }, T0);
    const command = opened.commands.find((c) => c.type === 'openUserTask');
    expect(command).toMatchObject({ elementId: 'Activity_dispose', dueDate: '2026-10-16T23:59:59+08:00' });
  });

  it('starts at a named message start event when asked, and refuses a start event that does not exist', async () => {
    const graph = await graphOf('fixtures/bpmn/rules/none-start-event/valid.bpmn');
    const started = step(createInstanceState(graph, T0), { type: 'start', startEventId: 'StartEvent_message', variables: { clueId: 'M-1' } }, T0);
    expect(started.trace.map((t) => `${t.kind} ${t.elementId}`).slice(0, 3)).toEqual(['entered Process_1', 'entered StartEvent_message', 'completed StartEvent_message']);
    expect(() => step(createInstanceState(graph, T0), { type: 'start', startEventId: 'Task_1' }, T0)).toThrow(/"Task_1" is not a start event of process "Process_1"/);
  });

  it('refuses events that do not fit the state, without changing it', async () => {
    const graph = await graphOf('fixtures/bpmn/modeler/clue-feedback.bpmn');
    const { state } = step(createInstanceState(graph, T0), { type: 'start' }, T0);
    expect(() => step(state, { type: 'start' }, T0)).toThrow(InvalidEventError);
    expect(() => step(state, { type: 'jobCompleted', jobId: 'element-999' }, T0)).toThrow(/no job "element-999" is waiting/);
    expect(() => step(state, { type: 'timerFired', timerId: 'timer-999' }, T0)).toThrow(/not scheduled/);
    expect(() => step(state, { type: 'retryIncident', incidentId: 'incident-1' }, T0)).toThrow(/not open/);
    const cancelled = step(state, { type: 'cancel' }, T0).state;
    expect(() => step(cancelled, { type: 'cancel' }, T0)).toThrow(/the instance is cancelled/);
    expect(step(cancelled, { type: 'messageReceived', name: 'x', correlationKey: 'y' }, T0).correlated).toBe(0);
  });

  it('raises a child-failed incident when a call activity names a process that is not deployed', async () => {
    const { graph: withCall } = await checkDefinition(`<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="D">
      <bpmn:process id="P" isExecutable="true">
        <bpmn:startEvent id="S" />
        <bpmn:callActivity id="Call"><bpmn:extensionElements><zeebe:calledElement processId="child" /></bpmn:extensionElements></bpmn:callActivity>
        <bpmn:endEvent id="E" />
        <bpmn:sequenceFlow id="F1" sourceRef="S" targetRef="Call" />
        <bpmn:sequenceFlow id="F2" sourceRef="Call" targetRef="E" />
      </bpmn:process>
    </bpmn:definitions>`);
    const other = new Simulator(withCall!);
    other.start();
    expect(Object.values(other.state.incidents).map((i) => [i.elementId, i.type, i.message])).toEqual([
      ['Call', 'child-failed', 'no process "child" is deployed'],
    ]);
  });
});
