import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';
import type { ClueOutcomes, ClueStatus, CloseOutcome, LetterKind } from '../entities/clue.entity';
import { Clue, ClueFeedback, ClueLetter } from '../entities/clue.entity';

/** Thrown when a job names a clue the ledger does not hold (a broken start, not a retryable hiccup). */
export class UnknownClueError extends Error {
  constructor(readonly clueId: string) {
    super(`no clue ${clueId} in the ledger`);
    this.name = 'UnknownClueError';
  }
}

/** One recorded step: `key` (instance and job) makes a retried job record it once. */
export interface ClueStep {
  key: string;
  clueId: string;
  onDate: string;
  by?: string | null;
}

/** How each closing status maps to the outcome of the clue. */
const OUTCOME_BY_STATUS: Partial<Record<ClueStatus, CloseOutcome>> = {
  studied: 'closed-after-study',
  inquiry: 'closed-after-inquiry',
  verification: 'closed-after-verification',
  filed: 'case-concluded',
  department: 'handled-by-department',
};

/**
 * What the clue process's jobs record. Each write happens with its history row in one
 * transaction, and is skipped when that row (keyed by instance and job) exists: a job Temporal
 * runs again changes nothing the second time.
 */
@Injectable()
export class ClueProcessRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `write` with the clue locked, unless the step was recorded before; answers whether it ran. */
  private async once(step: ClueStep, kind: string, data: Record<string, unknown>, write: (manager: EntityManager, clue: Clue) => Promise<void>): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const clue = await manager.getRepository(Clue).findOne({ where: { id: step.clueId }, lock: { mode: 'pessimistic_write' } });
      if (!clue) throw new UnknownClueError(step.clueId);
      const inserted: unknown[] = await manager.query(
        `INSERT INTO clue_event (clue_id, event_key, kind, "by", on_date, data) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (event_key) DO NOTHING RETURNING id`,
        [step.clueId, step.key, kind, step.by ?? null, step.onDate, JSON.stringify(data)],
      );
      if (inserted.length === 0) return false;
      await write(manager, clue);
      return true;
    });
  }

  async clue(id: string): Promise<Clue> {
    const clue = await this.dataSource.getRepository(Clue).findOneBy({ id });
    if (!clue) throw new UnknownClueError(id);
    return clue;
  }

  /** The process took the clue on. */
  async registered(step: ClueStep): Promise<void> {
    await this.once(step, 'process-started', {}, async (manager) => {
      await manager.update(Clue, { id: step.clueId }, { changedOn: step.onDate });
    });
  }

  /** The case office named the owner. */
  async ownerAssigned(step: ClueStep, owner: string): Promise<void> {
    await this.once(step, 'owner-assigned', { owner }, async (manager, clue) => {
      await manager.update(Clue, { id: clue.id }, { owner, status: clue.status === 'registered' ? 'assigned' : clue.status, changedOn: step.onDate });
    });
  }

  /** The owner handed the clue to someone else. */
  async handedOver(step: ClueStep, from: string, to: string, reason: string): Promise<void> {
    await this.once(step, 'handed-over', { from, to, reason }, async (manager) => {
      await manager.update(Clue, { id: step.clueId }, { owner: to });
      // The former owner keeps reading what they handled, as a grant the new owner may revoke.
      await manager.query(
        `INSERT INTO clue_grant (clue_id, grantee, reason, granted_by) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`,
        [step.clueId, from, `原承办人（${reason}）`.slice(0, 200), from],
      );
      await manager.query(`UPDATE clue_grant SET revoked_at = now(), revoked_by = $3 WHERE clue_id = $1 AND grantee = $2 AND revoked_at IS NULL`, [step.clueId, to, from]);
    });
  }

  /** A step of the handling: the status it leads to, and what it decided. */
  async progressed(step: ClueStep, status: ClueStatus, facts: { disposition?: string | null; fourForms?: number | null; filedOn?: string | null }): Promise<void> {
    await this.once(step, 'progress', { status, ...facts }, async (manager) => {
      await manager.update(Clue, { id: step.clueId }, {
        status,
        changedOn: step.onDate,
        ...(facts.disposition ? { disposition: facts.disposition as Clue['disposition'] } : {}),
        ...(facts.fourForms ? { fourForms: facts.fourForms } : {}),
        ...(facts.filedOn ? { filedOn: facts.filedOn } : {}),
      });
    });
  }

  /** The next feedback to the inspection office is due on `dueOn`. */
  async feedbackPlanned(step: ClueStep, dueOn: string): Promise<void> {
    await this.once(step, 'feedback-planned', { dueOn }, async (manager) => {
      await manager.update(Clue, { id: step.clueId }, { feedbackDue: dueOn });
    });
  }

  /** Feedback for a period was given. */
  async feedbackGiven(step: ClueStep, feedback: { period: number; dueOn: string; stage: string | null; contentRef: string | null }): Promise<void> {
    await this.once(step, 'feedback', { period: feedback.period, dueOn: feedback.dueOn, stage: feedback.stage }, async (manager) => {
      await manager.query(
        `INSERT INTO clue_feedback (clue_id, period, due_on, given_on, given_by, stage, content_ref) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (clue_id, period) DO NOTHING`,
        [step.clueId, feedback.period, feedback.dueOn, step.onDate, step.by ?? null, feedback.stage, feedback.contentRef],
      );
      await manager.query(`UPDATE clue SET feedback_count = (SELECT count(*) FROM clue_feedback f WHERE f.clue_id = $1), feedback_due = NULL WHERE id = $1`, [step.clueId]);
    });
  }

  /** Struck off (销号): the outcome follows from where the handling stood. */
  async closed(step: ClueStep, outcomes: ClueOutcomes | null): Promise<void> {
    await this.once(step, 'closed', { outcomes }, async (manager, clue) => {
      if (clue.closedOn !== null) return;
      await manager.update(Clue, { id: clue.id }, {
        status: 'closed',
        closedOn: step.onDate,
        changedOn: step.onDate,
        closeOutcome: OUTCOME_BY_STATUS[clue.status as ClueStatus] ?? 'closed-after-study',
        outcomes: clue.status === 'filed' || clue.status === 'department' ? outcomes : null,
        feedbackDue: null,
      });
    });
  }

  /** What the monthly review reads: the clue, its letters, and the last day feedback was given. */
  async reviewFacts(clueId: string): Promise<{ clue: Clue; letters: ClueLetter[]; lastFeedbackOn: string | null }> {
    const clue = await this.clue(clueId);
    const letters = await this.dataSource.getRepository(ClueLetter).find({ where: { clueId }, order: { draftedOn: 'ASC' } });
    const [last] = await this.dataSource.getRepository(ClueFeedback).find({ where: { clueId }, order: { givenOn: 'DESC' }, take: 1 });
    return { clue, letters, lastFeedbackOn: last?.givenOn ?? null };
  }

  /** Drafts a letter once per job (the same key answers the letter drafted before). */
  async draftLetter(key: string, letter: Pick<ClueLetter, 'clueId' | 'kind' | 'cause' | 'addressee' | 'title' | 'body' | 'draftedOn'>): Promise<ClueLetter> {
    const known = await this.dataSource.getRepository(ClueLetter).findOneBy({ draftKey: key });
    if (known) return known;
    await this.dataSource.createQueryBuilder().insert().into(ClueLetter).values({ ...letter, id: randomUUID(), draftKey: key, status: 'draft' }).orIgnore().execute();
    const stored = await this.dataSource.getRepository(ClueLetter).findOneBy({ draftKey: key });
    if (!stored) throw new Error(`a ${letter.kind} letter for ${letter.cause} of clue ${letter.clueId} exists already`);
    return stored;
  }

  /** Issues a draft with the next number of its kind and year; an issued letter is answered as it is. */
  async issueLetter(letterId: string, onDate: string, prefixes: Record<LetterKind, string>): Promise<ClueLetter> {
    return this.dataSource.transaction(async (manager) => {
      const letter = await manager.getRepository(ClueLetter).findOne({ where: { id: letterId }, lock: { mode: 'pessimistic_write' } });
      if (!letter) throw new Error(`no letter ${letterId}`);
      if (letter.status !== 'draft') return letter;
      const year = Number(onDate.slice(0, 4));
      const [{ last }] = (await manager.query(
        `INSERT INTO letter_number (kind, year, last) VALUES ($1, $2, 1) ON CONFLICT (kind, year) DO UPDATE SET last = letter_number.last + 1 RETURNING last`,
        [letter.kind, year],
      )) as [{ last: number }];
      await manager.update(ClueLetter, { id: letterId }, { status: 'issued', number: `${prefixes[letter.kind]}〔${year}〕${last}号`, issuedOn: onDate });
      await manager.query(`INSERT INTO clue_event (clue_id, event_key, kind, on_date, data) VALUES ($1, $2, 'letter-issued', $3, $4) ON CONFLICT (event_key) DO NOTHING`, [
        letter.clueId,
        `letter-issued:${letterId}`,
        onDate,
        JSON.stringify({ letterId, kind: letter.kind }),
      ]);
      return manager.getRepository(ClueLetter).findOneByOrFail({ id: letterId });
    });
  }

  /** The leader declined a draft. */
  async withdrawLetter(letterId: string): Promise<void> {
    await this.dataSource.getRepository(ClueLetter).update({ id: letterId, status: 'draft' }, { status: 'withdrawn' });
  }

  letters(clueId: string): Promise<ClueLetter[]> {
    return this.dataSource.getRepository(ClueLetter).find({ where: { clueId }, order: { draftedOn: 'ASC', id: 'ASC' } });
  }

  letter(clueId: string, letterId: string): Promise<ClueLetter | null> {
    return this.dataSource.getRepository(ClueLetter).findOneBy({ clueId, id: letterId });
  }

  feedback(clueId: string): Promise<ClueFeedback[]> {
    return this.dataSource.getRepository(ClueFeedback).find({ where: { clueId }, order: { period: 'ASC' } });
  }

  history(clueId: string): Promise<Array<{ kind: string; by: string | null; onDate: string; data: Record<string, unknown> }>> {
    return this.dataSource.query(`SELECT kind, "by", to_char(on_date, 'YYYY-MM-DD') AS "onDate", data FROM clue_event WHERE clue_id = $1 ORDER BY id`, [clueId]);
  }
}

