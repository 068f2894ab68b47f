import { Injectable } from '@nestjs/common';
import { addDuration, formatDateTime, parseDuration } from '@xuncha/bpmn-engine';
import type { Principal } from '@xuncha/contracts';
import { InvalidRequestError } from '@xuncha/contracts';
import type { DeadlineKey, DeadlineRow } from '@xuncha/persistence';
import { DeadlineRepository } from '@xuncha/persistence';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { CalendarService } from '../calendar/calendar.service';
import { workingDaysLeft } from '../tasks/tasks.service';
import type { DeadlinePageDto, ListDeadlinesQuery } from './deadlines.dto';

function encodeDeadlineCursor(row: DeadlineRow): string {
  return encodeCursor('deadlines', [row.dueAt.toISOString(), row.kind, row.instanceId, row.id]);
}

function decodeDeadlineCursor(cursor: string): DeadlineKey {
  const [dueAt, kind, instanceId, id] = decodeCursor(cursor, 'deadlines');
  const valid =
    typeof dueAt === 'string' &&
    !Number.isNaN(Date.parse(dueAt)) &&
    (kind === 'task' || kind === 'timer') &&
    typeof instanceId === 'string' &&
    typeof id === 'string' &&
    (kind === 'timer' || /^\d{1,18}$/.test(id));
  if (!valid) throw new InvalidRequestError('cursor', 'cursor is not a cursor this list gave out');
  return { dueAt, kind, instanceId, id };
}

/** What is due and what is late: open tasks' due dates and pending timers, soonest first. */
@Injectable()
export class DeadlinesService {
  constructor(
    private readonly deadlines: DeadlineRepository,
    private readonly calendar: CalendarService,
  ) {}

  async list(query: ListDeadlinesQuery, caller: Principal): Promise<DeadlinePageDto> {
    const now = new Date();
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const after = query.cursor === undefined ? undefined : decodeDeadlineCursor(query.cursor);
    const { items, total, totalExact, hasMore } = await this.deadlines.list(
      {
        until: query.within === undefined ? undefined : new Date(addDuration(now.getTime(), parseDuration(query.within))),
        overdue: query.overdue,
        candidateGroup: query.candidateGroup,
        businessKey: query.businessKey,
        round: query.round,
        office: query.office,
        now,
        limit: pageSize,
        offset: (page - 1) * pageSize,
        after,
      },
      caller,
    );
    const calendar = await this.calendar.calendar();
    return {
      items: items.map((row) => ({
        kind: row.kind,
        id: row.id,
        processInstanceId: row.instanceId,
        definitionKey: row.definitionKey,
        businessKey: row.businessKey,
        elementId: row.elementId,
        name: row.name,
        dueDate: formatDateTime(row.dueAt.getTime()),
        who: { assignee: row.assignee, candidateGroups: row.candidateGroups, candidateUsers: row.candidateUsers },
        roundId: row.roundId,
        officeId: row.officeId,
        overdue: row.dueAt.getTime() < now.getTime(),
        workingDaysLeft: workingDaysLeft(calendar, row.dueAt, now)!,
        warning: row.warning,
      })),
      total,
      totalExact,
      page,
      pageSize,
      nextCursor: hasMore && items.length > 0 ? encodeDeadlineCursor(items[items.length - 1]!) : null,
    };
  }
}
