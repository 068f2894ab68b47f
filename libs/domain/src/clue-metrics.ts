/**
 * How the clue metrics count (the rules, written once; the SQL in ClueRepository.metrics follows them):
 * - the clues counted are those matching the round and office asked for and received within
 *   [from, to] (by the day received; either end may be open);
 * - **received**: all of them;
 * - **closed**: those struck off (销号), on or before `to` when it is given;
 * - **filed**: of the closed, those on which a case was filed (立案), so that
 * - **办结率** = closed / received and **成案率** = filed / closed (as the seeds count it:
 *   37 of 152 closed clues were filed, 24.3 %);
 * - **outcomes**: per-person counts of the closed clues' concluded cases, summed;
 * - **feedback overdue**: those still open whose feedback to the inspection office is past due today.
 * A rate is a percentage with one decimal, rounded half up; it is null when nothing is divided.
 */
export interface ClueCounts {
  received: number;
  closed: number;
  filed: number;
}

/** A percentage with one decimal (38 of 69 → 55.1), null when the whole is zero. */
export function percentage(part: number, whole: number): number | null {
  if (whole === 0) return null;
  return Math.round((part * 1000) / whole) / 10;
}

export function clueRates(counts: ClueCounts): { completionRate: number | null; filingRate: number | null } {
  return { completionRate: percentage(counts.closed, counts.received), filingRate: percentage(counts.filed, counts.closed) };
}
