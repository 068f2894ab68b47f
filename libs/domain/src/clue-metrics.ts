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
/** The rules above, for people: what GET /metrics/clues answers beside its figures. */
export const CLUE_METRIC_RULES =
  '统计范围：所选轮次、承办部门，且收到日期在起止日期内、本人可见的线索。受理数：上述全部线索；办结数：其中已销号的（给定截止日期时，截至该日）；' +
  '立案数：办结线索中已立案的；办结率 = 办结数 ÷ 受理数；成案率 = 立案数 ÷ 办结数；处理人次：办结线索结案时按人计；反馈逾期：在办且反馈期限已过的线索。比率保留一位小数，分母为零时不计算。';

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
