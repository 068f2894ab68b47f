import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { ApplicationFailure } from '@temporalio/activity';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import type { JobRequest } from '@xuncha/contracts';
import { isQuarter, quarterBefore, quarterNamed, summaryFigures, summaryWorkbook } from '@xuncha/domain';
import type { ClueCategory, ClueDisposition, ClueStatus, CloseOutcome } from '@xuncha/persistence';
import { CLOSE_OUTCOME_LABELS, CLUE_CATEGORY_LABELS, CLUE_DISPOSITION_LABELS, CLUE_STATUS_LABELS, ClueSummaryRepository } from '@xuncha/persistence';
import { JobHandlerRegistry } from './job-handlers';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function invalid(job: JobRequest, message: string): never {
  throw ApplicationFailure.nonRetryable(`${job.taskType} at ${job.elementId}: ${message}`, 'InvalidJobVariables');
}

/**
 * The quarterly summary's job handlers: clue.quarterly-summary makes one workbook per round with
 * clues in play that quarter (answering their ids, in the rounds' order) and clue.summary-sent
 * records that one was sent. Both are idempotent: a summary is stored once per round and
 * summarising instance, and a retried job answers the ids stored the first time.
 */
@Injectable()
export class ClueSummaryHandlers implements OnModuleInit {
  constructor(
    private readonly registry: JobHandlerRegistry,
    private readonly summaries: ClueSummaryRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register('clue.quarterly-summary', (job) => this.summarise(job));
    this.registry.register('clue.summary-sent', (job) => this.sent(job));
  }

  private async summarise(job: JobRequest): Promise<Record<string, unknown>> {
    const onDate = job.variables.onDate;
    if (typeof onDate !== 'string' || !DATE.test(onDate)) invalid(job, `needs onDate as a date (YYYY-MM-DD), got ${JSON.stringify(onDate ?? null)}`);
    const named = job.variables.quarter;
    if (named !== null && named !== undefined && (typeof named !== 'string' || !isQuarter(named))) invalid(job, `quarter must name a quarter such as 2026Q3, got ${JSON.stringify(named)}`);
    const quarter = typeof named === 'string' ? quarterNamed(named) : quarterBefore(onDate);
    if (quarter.start > onDate) invalid(job, `quarter ${quarter.quarter} has not begun on ${onDate}`);
    const made = await this.summaries.ofInstance(job.processInstanceId);
    const done = new Map(made.map((summary) => [summary.roundId, summary.id]));
    const rounds = await this.summaries.roundsOf(quarter.start, quarter.end);
    // A retried job answers every summary an earlier attempt stored, even for a round that has
    // since left the quarter's rounds (a corrected date): none is left without its send task.
    const listed = new Set(rounds.map((round) => round.id));
    const ids: string[] = made.filter((summary) => !listed.has(summary.roundId)).map((summary) => summary.id);
    for (const round of rounds) {
      const known = done.get(round.id);
      if (known) {
        ids.push(known);
        continue;
      }
      const counts = await this.summaries.counts(round.id, quarter.start, quarter.end, onDate);
      const lines = (await this.summaries.lines(round.id, quarter.end)).map((line) => ({
        number: line.number,
        unit: line.unitName,
        office: line.officeName,
        category: CLUE_CATEGORY_LABELS[line.category as ClueCategory] ?? line.category,
        receivedOn: line.receivedOn,
        status: CLUE_STATUS_LABELS[line.status as ClueStatus] ?? line.status,
        disposition: line.disposition ? (CLUE_DISPOSITION_LABELS[line.disposition as ClueDisposition] ?? line.disposition) : '',
        feedbackCount: Number(line.feedbackCount),
        feedbackDue: line.closedOn ? null : line.feedbackDue,
        filedOn: line.filedOn,
        closedOn: line.closedOn,
        closeOutcome: line.closeOutcome ? (CLOSE_OUTCOME_LABELS[line.closeOutcome as CloseOutcome] ?? line.closeOutcome) : '',
      }));
      const workbook = await summaryWorkbook({ authority: this.config.letterAuthority, roundName: round.name, quarter, asOf: onDate, figures: counts, lines });
      ids.push(
        await this.summaries.save({
          id: randomUUID(),
          instanceId: job.processInstanceId,
          roundId: round.id,
          quarter: quarter.quarter,
          periodStart: quarter.start,
          periodEnd: quarter.end,
          asOf: onDate,
          figures: summaryFigures(counts),
          workbook,
        }),
      );
    }
    return { quarter: quarter.quarter, summaryIds: ids };
  }

  private async sent(job: JobRequest): Promise<void> {
    const id = job.variables.summaryId;
    const on = job.variables.sentOn;
    if (typeof id !== 'string' || id === '') invalid(job, `needs the variable summaryId, got ${JSON.stringify(id ?? null)}`);
    if (typeof on !== 'string' || !DATE.test(on.slice(0, 10))) invalid(job, `needs sentOn as a date (YYYY-MM-DD), got ${JSON.stringify(on ?? null)}`);
    if (!(await this.summaries.sent(id, on.slice(0, 10)))) throw ApplicationFailure.nonRetryable(`no quarterly summary ${id}`, 'UnknownSummary', { summaryId: id });
  }
}
