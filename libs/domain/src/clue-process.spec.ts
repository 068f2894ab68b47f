import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkDefinition, Simulator, formatDateTime } from '@xuncha/bpmn';
import { WorkingCalendar } from '@xuncha/calendar';
import { chineseDaysCalendar } from '@xuncha/calendar-data';

const MODEL = path.resolve(__dirname, '../../../processes/clue.bpmn');

/** What the job handlers answer here: the model's own logic is under test, not theirs. */
function drain(sim: Simulator, answers: Record<string, () => Record<string, unknown>> = {}): void {
  for (let i = 0; i < 50; i++) {
    const waiting = Object.values(sim.state.elements).filter((element) => element.wait === 'job');
    if (waiting.length === 0) return;
    for (const element of waiting) {
      const answer = answers[element.elementId]?.() ?? (element.elementId === 'PlanFeedback' ? { feedbackDue: lastJobInput(sim, 'PlanFeedback', 'dueOn') } : element.elementId === 'Review' ? { letterId: null } : {});
      sim.apply({ complete: element.elementId, variables: answer });
    }
  }
  throw new Error('jobs kept coming');
}

function lastJobInput(sim: Simulator, elementId: string, name: string): unknown {
  const job = [...sim.commands].reverse().find((command) => command.type === 'runJob' && command.elementId === elementId);
  return job && job.type === 'runJob' ? job.variables[name] : undefined;
}

function openTasks(sim: Simulator): Array<{ elementId: string; dueDate: string | null; assignee: string | null }> {
  return sim.result().openUserTasks.map((task) => ({ elementId: task.elementId, dueDate: task.dueDate, assignee: task.assignee }));
}

const START = { clueId: 'c-1', clueNumber: '巡移〔2026〕1号', route: 'commission', receivedOn: '2026-03-02', category: 'discipline' };

async function started(variables: Record<string, unknown> = START): Promise<Simulator> {
  const { graph, findings } = await checkDefinition(fs.readFileSync(MODEL));
  expect(findings.filter((finding) => finding.severity === 'error')).toEqual([]);
  const sim = new Simulator(graph!, '2026-03-02T09:00:00+08:00', {}, chineseDaysCalendar());
  sim.start(variables);
  drain(sim);
  sim.apply({ complete: 'AssignOwner', variables: { owner: 'li.ming' }, by: 'case.officer' });
  drain(sim);
  return sim;
}

describe('the clue process (processes/clue.bpmn)', () => {
  it('is valid, and a study that closes the clue strikes it off and ends every track', async () => {
    const sim = await started();
    expect(openTasks(sim).map((task) => task.elementId)).toEqual(['Study']);
    expect(openTasks(sim)[0]!.assignee).toBe('li.ming');
    sim.apply({ complete: 'Study', variables: { disposition: 'close', fourForms: 1, studiedOn: '2026-03-10' } });
    drain(sim);
    expect(sim.state.status).toBe('completed');
    expect(sim.result().lines).toContain('completed Close');
  });

  it('inquiry → verification → case filed → concluded', async () => {
    const sim = await started();
    sim.apply({ complete: 'Study', variables: { disposition: 'talk-inquiry', fourForms: 1, studiedOn: '2026-03-10' } });
    drain(sim);
    sim.apply({ complete: 'Inquiry', variables: { inquiryResult: 'verify' } });
    drain(sim);
    sim.apply({ complete: 'Verify', variables: { verificationResult: 'file' } });
    drain(sim);
    expect(openTasks(sim).map((task) => task.elementId)).toEqual(['Conclude']);
    sim.apply({ complete: 'Conclude', variables: { concludedOn: '2026-05-01', partyDiscipline: 1, governmentSanction: 0, organisational: 0, detention: 0, judicial: 0 } });
    drain(sim);
    expect(sim.state.status).toBe('completed');
    const lines = sim.result().lines.filter((line) => line.startsWith('completed '));
    expect(lines).toEqual(expect.arrayContaining(['completed RecordToVerify', 'completed RecordFiling', 'completed Conclude', 'completed Close']));
  });

  it('holds a clue and studies it again after the hold period', async () => {
    const sim = await started();
    sim.apply({ complete: 'Study', variables: { disposition: 'hold', fourForms: 1, studiedOn: '2026-03-10' } });
    drain(sim);
    expect(openTasks(sim)).toEqual([]);
    sim.apply({ advance: 'P3M' });
    drain(sim);
    expect(openTasks(sim).map((task) => task.elementId)).toContain('Study');
  });

  it('sends department clues down their own path', async () => {
    const sim = await started({ ...START, route: 'propaganda', category: 'ideology' });
    expect(openTasks(sim).map((task) => task.elementId)).toEqual(['PropagandaHandling']);
    sim.apply({ complete: 'PropagandaHandling', variables: { organisational: 0 } });
    drain(sim);
    expect(sim.state.status).toBe('completed');
  });

  it('asks for feedback at 6, 12, 18 and 24 months after receipt, each due on a working day', async () => {
    const sim = await started({ ...START, receivedOn: '2026-04-04' });
    sim.apply({ complete: 'Study', variables: { disposition: 'hold', fourForms: 2, studiedOn: '2026-04-10' } });
    drain(sim);
    const dues: string[] = [];
    // Two years after receipt (the instance started a month earlier).
    for (let month = 0; month < 25; month++) {
      sim.apply({ advance: 'P1M' });
      drain(sim);
      for (const task of openTasks(sim)) {
        if (task.elementId === 'Study') sim.apply({ complete: 'Study', variables: { disposition: 'hold', fourForms: 2, studiedOn: formatDateTime(sim.now).slice(0, 10) } });
        if (task.elementId === 'GiveFeedback') {
          dues.push(task.dueDate!.slice(0, 10));
          sim.apply({ complete: 'GiveFeedback', variables: { stage: 'held' } });
        }
        drain(sim);
      }
    }
    // 2026-10-04 falls in the National Day holiday: the first feedback is due on 2026-10-08, the
    // first working day after it; 2027 and 2028 have no official data yet (Monday to Friday).
    expect(dues).toEqual(['2026-10-08', '2027-04-05', '2027-10-04', '2028-04-04']);
    const calendar = new WorkingCalendar(chineseDaysCalendar());
    for (const due of dues) expect(calendar.isWorkingDay(due)).toBe(true);
  });
});
