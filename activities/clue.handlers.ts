import { Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/activity';
import type { JobRequest } from '@xuncha/contracts';
import { draftLetter, LETTERS, reviewClue } from '@xuncha/domain';
import type { ClueOutcomes, ClueStatus, ClueStep } from '@xuncha/persistence';
import { CLUE_DISPOSITIONS, ClueProcessRepository, OrganisationRepository, OUTCOME_KINDS, UnknownClueError } from '@xuncha/persistence';
import { JobHandlerRegistry } from './job-handlers';

/** Working days a letter gives its addressee to answer. */
const ANSWER_WITHIN_WORKING_DAYS = 10;

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(job: JobRequest, name: string): string {
  const value = job.variables[name];
  if (typeof value !== 'string' || value === '') {
    throw ApplicationFailure.nonRetryable(`${job.taskType} at ${job.elementId} needs the variable ${name} (text), got ${JSON.stringify(value ?? null)}`, 'InvalidJobVariables');
  }
  return value;
}

function date(job: JobRequest, name: string): string {
  const value = text(job, name);
  if (!DATE.test(value)) throw ApplicationFailure.nonRetryable(`${job.taskType} at ${job.elementId} needs ${name} as a date (YYYY-MM-DD), got "${value}"`, 'InvalidJobVariables');
  return value;
}

function count(job: JobRequest, name: string): number {
  const value = job.variables[name];
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : 0;
}

/** The step a job records, keyed by instance and job so a retried job records it once. */
function stepOf(job: JobRequest, by: string | null = null): ClueStep {
  return { key: `${job.processInstanceId}:${job.jobId}`, clueId: text(job, 'clueId'), onDate: date(job, 'onDate'), by };
}

/** Where each recorded step leaves the clue. */
function statusAfter(step: string, disposition: unknown): ClueStatus {
  switch (step) {
    case 'studied':
      return disposition === 'talk-inquiry' ? 'inquiry' : disposition === 'preliminary-verification' ? 'verification' : disposition === 'hold' ? 'held' : 'studied';
    case 'verification':
    case 'filed':
    case 'held':
    case 'department':
      return step;
    default:
      throw ApplicationFailure.nonRetryable(`clue.record-progress does not know the step "${step}"`, 'InvalidJobVariables');
  }
}

/**
 * The clue process's job handlers (task types clue.* and letter.*). Each reads ids and routing
 * fields from the instance and keeps what it records in Postgres; each is idempotent: a job
 * Temporal runs again records nothing twice and answers the same.
 */
@Injectable()
export class ClueJobHandlers implements OnModuleInit {
  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly clues: ClueProcessRepository,
    private readonly organisation: OrganisationRepository,
  ) {}

  onModuleInit(): void {
    const handlers: Record<string, (job: JobRequest) => Promise<Record<string, unknown> | void>> = {
      'clue.register': (job) => this.guard(job, () => this.register(job)),
      'clue.assign-owner': (job) => this.guard(job, () => this.clues.ownerAssigned(stepOf(job), text(job, 'owner'))),
      'clue.record-progress': (job) => this.guard(job, () => this.progress(job)),
      'clue.plan-feedback': (job) => this.guard(job, () => this.planFeedback(job)),
      'clue.record-feedback': (job) => this.guard(job, () => this.recordFeedback(job)),
      'clue.review': (job) => this.guard(job, () => this.review(job)),
      'clue.close': (job) => this.guard(job, () => this.close(job)),
      'letter.issue': (job) => this.guard(job, () => this.issue(job)),
      'letter.withdraw': (job) => this.guard(job, () => this.clues.withdrawLetter(text(job, 'letterId'))),
    };
    for (const [type, handler] of Object.entries(handlers)) this.registry.register(type, handler);
  }

  /** A clue the ledger does not hold will not appear by retrying: an incident names it at once. */
  private async guard<T>(job: JobRequest, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof UnknownClueError) throw ApplicationFailure.nonRetryable(error.message, 'UnknownClue', { clueId: error.clueId, elementId: job.elementId });
      throw error;
    }
  }

  private async register(job: JobRequest): Promise<void> {
    const clue = await this.clues.clue(text(job, 'clueId'));
    await this.clues.registered({ key: `${job.processInstanceId}:${job.jobId}`, clueId: clue.id, onDate: clue.receivedOn });
  }

  private async progress(job: JobRequest): Promise<void> {
    const step = text(job, 'step');
    const disposition = job.variables.disposition;
    const status = statusAfter(step, disposition);
    const fourForms = job.variables.fourForms;
    await this.clues.progressed(stepOf(job), status, {
      ...(step === 'studied' && CLUE_DISPOSITIONS.includes(disposition as never) ? { disposition: disposition as string } : {}),
      ...(step === 'studied' && typeof fourForms === 'number' && fourForms >= 1 && fourForms <= 4 ? { fourForms } : {}),
      ...(step === 'filed' ? { filedOn: date(job, 'onDate') } : {}),
    });
  }

  private async planFeedback(job: JobRequest): Promise<Record<string, unknown>> {
    const dueOn = date(job, 'dueOn');
    await this.clues.feedbackPlanned(stepOf(job), dueOn);
    return { feedbackDue: dueOn };
  }

  private async recordFeedback(job: JobRequest): Promise<void> {
    const content = job.variables.feedbackText;
    const stage = job.variables.stage;
    await this.clues.feedbackGiven(stepOf(job, typeof job.variables.owner === 'string' ? job.variables.owner : null), {
      period: count(job, 'feedbackPeriod'),
      dueOn: date(job, 'feedbackDue'),
      stage: typeof stage === 'string' ? stage.slice(0, 32) : null,
      contentRef: typeof content === 'string' && content.startsWith('content:') ? content : null,
    });
  }

  private async review(job: JobRequest): Promise<Record<string, unknown>> {
    const clueId = text(job, 'clueId');
    const today = date(job, 'onDate');
    const { clue, letters, lastFeedbackOn } = await this.clues.reviewFacts(clueId);
    if (clue.closedOn !== null) return { letterId: null, letterKind: null };
    // The ledger's due date, not the variable: between giving a feedback and planning the next
    // one the variable still holds the date just met, and a late feedback would read as overdue.
    const feedbackDue = clue.feedbackDue;
    const lastChange = [clue.receivedOn, clue.changedOn, lastFeedbackOn].filter((day): day is string => day !== null).sort().at(-1)!;
    const decision = reviewClue({
      today,
      feedbackDue,
      lastChange,
      staleMonths: typeof job.variables.staleMonths === 'number' ? job.variables.staleMonths : 3,
      reminderPeriod: typeof job.variables.reminderPeriod === 'string' ? job.variables.reminderPeriod : 'P1M',
      letters,
    });
    if (!decision) return { letterId: null, letterKind: null };
    const [office] = await this.organisation.unitsByIds([clue.officeId]);
    const round = await this.organisation.round(clue.roundId);
    const reminder = letters.find((letter) => letter.kind === 'reminder' && letter.cause === decision.cause && letter.status === 'issued');
    const drafted = draftLetter({
      kind: decision.kind,
      reason: decision.reason,
      clueNumber: clue.number,
      roundName: round?.round.name ?? '',
      receivedOn: clue.receivedOn,
      officeName: office?.name ?? clue.officeId,
      since: decision.cause.slice(decision.cause.indexOf(':') + 1),
      reminderNumber: reminder?.number ?? null,
      answerWithin: ANSWER_WITHIN_WORKING_DAYS,
    });
    const letter = await this.clues.draftLetter(`${job.processInstanceId}:${job.jobId}`, {
      clueId,
      kind: decision.kind,
      cause: decision.cause,
      addressee: drafted.addressee,
      title: drafted.title,
      body: drafted.body.join('\n'),
      draftedOn: today,
    });
    return { letterId: letter.id, letterKind: letter.kind };
  }

  private async close(job: JobRequest): Promise<void> {
    const outcomes = Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, count(job, kind)])) as ClueOutcomes;
    await this.clues.closed(stepOf(job), outcomes);
  }

  private async issue(job: JobRequest): Promise<void> {
    await this.clues.issueLetter(text(job, 'letterId'), date(job, 'onDate'), { reminder: LETTERS.reminder.prefix, supervision: LETTERS.supervision.prefix });
  }
}
