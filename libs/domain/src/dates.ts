import { addDuration, formatDateTime, parseDateTime, parseDuration } from '@xuncha/bpmn-engine';

const ZONE = 'Asia/Shanghai';

/** A calendar date (YYYY-MM-DD) moved by an ISO-8601 duration (P1M, P3M, P15D): months end-clamped, as FEEL does. */
export function addToDate(date: string, duration: string): string {
  return formatDateTime(addDuration(parseDateTime(`${date}T12:00:00+08:00`, ZONE), parseDuration(duration), ZONE), ZONE).slice(0, 10);
}

const DIGITS = ['〇', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

function smallNumber(n: number): string {
  if (n <= 10) return n === 10 ? '十' : DIGITS[n]!;
  if (n < 20) return `十${DIGITS[n - 10]}`;
  const tens = Math.floor(n / 10);
  return `${DIGITS[tens]}十${n % 10 === 0 ? '' : DIGITS[n % 10]}`;
}

/** A date in Chinese numerals, as official documents date themselves: 2026-10-16 → 二〇二六年十月十六日. */
export function chineseDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${[...year!].map((digit) => DIGITS[Number(digit)]).join('')}年${smallNumber(Number(month))}月${smallNumber(Number(day))}日`;
}

/** A date as people read it in running text: 2026-03-02 → 2026年3月2日. */
export function plainChineseDate(date: string): string {
  const [year, month, day] = date.split('-');
  return `${year}年${Number(month)}月${Number(day)}日`;
}
