import { addToDate } from './dates';

/** A letter about a slow clue the monthly review knows of. */
export interface KnownLetter {
  kind: 'reminder' | 'supervision';
  cause: string;
  status: 'draft' | 'issued' | 'withdrawn';
  issuedOn: string | null;
}

/** What the monthly review looks at, all on the process's clock. */
export interface ReviewInput {
  /** The day of the review. */
  today: string;
  /** When the pending feedback is due (null when none is planned). */
  feedbackDue: string | null;
  /** The last day something happened: a recorded step, feedback given, or receipt. */
  lastChange: string;
  /** No change and no feedback for this many months counts as stalled (default 3). */
  staleMonths: number;
  /** How long after a reminder a cause still there gets a supervision letter (default P1M). */
  reminderPeriod: string;
  letters: KnownLetter[];
}

/** The letter the review drafts, and why. */
export interface ReviewDecision {
  kind: 'reminder' | 'supervision';
  /** What it is about: "feedback:<due date>" (an overdue feedback) or "stall:<last change>". */
  cause: string;
  reason: 'feedback-overdue' | 'stalled';
}

/**
 * The monthly review of one open clue (the rules, written once):
 * - a feedback past its due date, or no change of state and no feedback for `staleMonths`
 *   months, is a cause; an overdue feedback comes first when both hold;
 * - a cause with no letter yet gets a 提醒函 (reminder);
 * - a cause whose reminder was issued at least `reminderPeriod` ago, and is still there, gets a
 *   督办函 (supervision letter), once;
 * - a draft waiting for approval, or a withdrawn one, waits for the next review (a withdrawn
 *   draft is drafted again then: the leader declined that letter, not the rule).
 */
export function reviewClue(input: ReviewInput): ReviewDecision | null {
  let cause: Omit<ReviewDecision, 'kind'> | null = null;
  if (input.feedbackDue !== null && input.today > input.feedbackDue) cause = { cause: `feedback:${input.feedbackDue}`, reason: 'feedback-overdue' };
  else if (addToDate(input.lastChange, `P${input.staleMonths}M`) <= input.today) cause = { cause: `stall:${input.lastChange}`, reason: 'stalled' };
  if (!cause) return null;
  const live = input.letters.filter((letter) => letter.cause === cause.cause && letter.status !== 'withdrawn');
  if (live.some((letter) => letter.status === 'draft')) return null;
  const reminder = live.find((letter) => letter.kind === 'reminder');
  if (!reminder) return { kind: 'reminder', ...cause };
  if (live.some((letter) => letter.kind === 'supervision')) return null;
  if (reminder.issuedOn !== null && addToDate(reminder.issuedOn, input.reminderPeriod) <= input.today) return { kind: 'supervision', ...cause };
  return null;
}
