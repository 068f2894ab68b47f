import { Injectable } from '@nestjs/common';
import { formatDateTime } from '@xuncha/bpmn-engine';
import type { Principal } from '@xuncha/contracts';
import { holds } from '@xuncha/contracts';
import { plainChineseDate } from '@xuncha/domain';
import { ClueRepository, LETTER_KIND_LABELS, NoticeRepository } from '@xuncha/persistence';
import type { MarkedNoticesDto, NoticeDto, NoticeFeedDto } from './notices.dto';

const DAY_MS = 86_400_000;
/** How far back each kind of notice reaches. */
const TASKS_WITHIN_DAYS = 30;
const REMINDERS_WITHIN_DAYS = 30;
const LETTERS_WITHIN_DAYS = 90;
/** At most this many of each kind, and in all. */
const PER_KIND = 20;
const FEED_SIZE = 50;

function named(name: string | null, businessKey: string | null): string {
  return `${name ?? '（未命名任务）'}${businessKey ? `（${businessKey}）` : ''}`;
}

/** The Beijing calendar date of an instant. */
function dateOf(at: Date): string {
  return formatDateTime(at.getTime()).slice(0, 10);
}

/**
 * The notice bell: tasks that became the caller's, reminders fired on them, their overdue work,
 * and 提醒函/督办函 about clues they handle. Notices are derived from the read models when asked,
 * so they are never out of step with the work; only which ones the caller has read is stored.
 */
@Injectable()
export class NoticesService {
  constructor(
    private readonly notices: NoticeRepository,
    private readonly clues: ClueRepository,
  ) {}

  async feed(caller: Principal): Promise<NoticeFeedDto> {
    const items = await this.items(caller, new Date());
    const read = await this.notices.readAmong(caller.sub, items.map((item) => item.key));
    const marked = items.map((item) => ({ ...item, read: read.has(item.key) }));
    return { items: marked, unread: marked.filter((item) => !item.read).length };
  }

  /** Marks notices of the caller's feed read; keys not in it are named back, not stored. */
  async markRead(caller: Principal, keys: string[]): Promise<MarkedNoticesDto> {
    const present = new Set((await this.items(caller, new Date())).map((item) => item.key));
    const wanted = [...new Set(keys)];
    const accepted = wanted.filter((key) => present.has(key));
    await this.notices.markRead(caller.sub, accepted);
    return { marked: accepted.length, skipped: wanted.filter((key) => !present.has(key)) };
  }

  private async items(caller: Principal, now: Date): Promise<Array<Omit<NoticeDto, 'read'>>> {
    const handlesClues = holds(caller, 'clues.handle');
    const [tasks, reminders, overdue, letters] = await Promise.all([
      this.notices.offeredTasks(caller, new Date(now.getTime() - TASKS_WITHIN_DAYS * DAY_MS), PER_KIND),
      this.notices.firedReminders(caller, new Date(now.getTime() - REMINDERS_WITHIN_DAYS * DAY_MS), now, PER_KIND),
      this.notices.overdueCount(caller, now),
      handlesClues ? this.clues.issuedLettersInCircle(caller.sub, dateOf(new Date(now.getTime() - LETTERS_WITHIN_DAYS * DAY_MS)), PER_KIND) : Promise.resolve([]),
    ]);
    const dated: Array<Omit<NoticeDto, 'read'>> = [
      ...tasks.map((task) => ({
        key: `task:${task.id}`,
        kind: 'task' as const,
        title: `${task.assignee === null ? '新任务待认领' : task.owner !== null && task.owner !== caller.sub ? '委托您办理' : '交您办理'}：${named(task.name, task.businessKey)}`,
        detail: task.dueAt ? `截止 ${plainChineseDate(dateOf(task.dueAt))}` : null,
        at: formatDateTime(task.createdAt.getTime()),
        target: { type: 'task' as const, id: task.id },
      })),
      ...reminders.map((reminder) => ({
        key: `reminder:${reminder.instanceId}:${reminder.timerId}`,
        kind: 'reminder' as const,
        title: `催办：${named(reminder.taskName, reminder.businessKey)}`,
        detail: reminder.timerName,
        at: formatDateTime(reminder.firedAt.getTime()),
        target: { type: 'task' as const, id: reminder.taskId },
      })),
      ...letters.map((letter) => ({
        key: `letter:${letter.id}`,
        kind: 'letter' as const,
        title: `${LETTER_KIND_LABELS[letter.kind]}：线索 ${letter.clueNumber}`,
        detail: letter.number ? `${letter.number} ${letter.title}` : letter.title,
        at: `${letter.issuedOn}T00:00:00+08:00`,
        target: { type: 'clue' as const, id: letter.clueId },
      })),
    ].sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || a.key.localeCompare(b.key));
    // Overdue work is a state, not an event: one notice a day while it lasts, always first.
    const late: Array<Omit<NoticeDto, 'read'>> =
      overdue > 0
        ? [{ key: `overdue:${dateOf(now)}`, kind: 'overdue', title: `有 ${overdue} 项任务已逾期`, detail: '请尽快办理', at: formatDateTime(now.getTime()), target: { type: 'deadlines', id: null } }]
        : [];
    return [...late, ...dated].slice(0, FEED_SIZE);
  }
}
