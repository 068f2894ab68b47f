/** Dates and durations as people read them: 2026年10月16日, 剩余 3 个工作日. */

const DATE = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: 'long', day: 'numeric' });
const DATE_TIME = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: 'long',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function formatDate(iso: string | null): string {
  return iso ? DATE.format(new Date(iso)) : '—';
}

export function formatDateTime(iso: string | null): string {
  return iso ? DATE_TIME.format(new Date(iso)) : '—';
}

/** The urgency of a due date: overdue red, within three working days amber. */
export type Urgency = 'overdue' | 'soon' | 'normal' | 'none';

export function urgencyOf(overdue: boolean, workingDaysLeft: number | null): Urgency {
  if (overdue) return 'overdue';
  if (workingDaysLeft === null) return 'none';
  return workingDaysLeft <= 3 ? 'soon' : 'normal';
}

export function workingDaysText(overdue: boolean, workingDaysLeft: number | null): string {
  if (workingDaysLeft === null) return overdue ? '已逾期' : '无期限';
  if (overdue || workingDaysLeft < 0) return `逾期 ${Math.abs(workingDaysLeft)} 个工作日`;
  if (workingDaysLeft === 0) return '今日到期';
  return `剩余 ${workingDaysLeft} 个工作日`;
}
