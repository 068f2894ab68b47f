import { Inject, Injectable } from '@nestjs/common';
import type { Client, WorkflowHandle } from '@temporalio/client';
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { FormComponent, FormSchema, GraphNode } from '@xuncha/bpmn-engine';
import { formatDateTime, formProblems } from '@xuncha/bpmn-engine';
import type { WorkingCalendar } from '@xuncha/calendar';
import type { Principal, TaskAction, TaskView } from '@xuncha/contracts';
import {
  completeUserTaskUpdate,
  ConflictError,
  elementVariablesQuery,
  ForbiddenError,
  INVALID_TASK_VARIABLES_TYPE,
  InvalidRequestError,
  InvalidVariablesError,
  NotFoundError,
  TASK_CONFLICT_TYPE,
  TASK_FORBIDDEN_TYPE,
  TASK_NOT_OPEN_TYPE,
  taskActionUpdate,
  unitScope,
} from '@xuncha/contracts';
import type { TaskKey, TaskSort, UserTask } from '@xuncha/persistence';
import { ProcessDefinitionRepository, ProcessInstanceRepository, TaskContentRepository, TaskRepository, taskSortValue, UserRepository } from '@xuncha/persistence';
import { CalendarService } from '../calendar/calendar.service';
import { decodeCursor, encodeCursor } from '../http/cursor';
import { checkVariables } from '../http/variables';
import { InstanceAccess } from '../process-instances/instance-access';
import { TEMPORAL_CLIENT , withTemporalDeadline } from '@xuncha/runtime';
import type { CompleteTaskDto, ListTasksQuery, TaskDetailDto, TaskDto, TaskPageDto } from './tasks.dto';

/** A cursor of the task list for this sort and order, after `key`. */
export function encodeTaskCursor(sort: TaskSort, order: 'asc' | 'desc', key: TaskKey): string {
  return encodeCursor(`tasks:${sort}:${order}`, [key.value, key.id]);
}

export function decodeTaskCursor(cursor: string, sort: TaskSort, order: 'asc' | 'desc'): TaskKey {
  const [value, id] = decodeCursor(cursor, `tasks:${sort}:${order}`);
  const valueOk = value === null || (sort === 'priority' ? typeof value === 'number' : typeof value === 'string');
  const datesOk = typeof value !== 'string' || sort === 'name' || !Number.isNaN(Date.parse(value));
  if (!valueOk || !datesOk || typeof id !== 'string' || !/^\d{1,18}$/.test(id) || (value === null && (sort === 'created' || sort === 'priority'))) {
    throw new InvalidRequestError('cursor', 'cursor is not a cursor this list gave out');
  }
  return { value: value as string | number | null, id };
}

/** Working days from `now` to `due` on the calendar (negative when past); null without a due date. */
export function workingDaysLeft(calendar: WorkingCalendar, due: Date | null, now: Date): number | null {
  if (!due) return null;
  // Calendar dates on the engine's wall clock (China time).
  return calendar.workingDaysBetween(formatDateTime(now.getTime()).slice(0, 10), formatDateTime(due.getTime()).slice(0, 10));
}

/** The failure an update's validator or handler raised: its type, message and details. */
function updateFailure(error: unknown): { type: string; message: string; details: unknown[] } | undefined {
  if (!(error instanceof WorkflowUpdateFailedError)) return undefined;
  const cause = error.cause;
  if (!(cause instanceof ApplicationFailure) || !cause.type) return undefined;
  return { type: cause.type, message: cause.message, details: cause.details ?? [] };
}

/** Inbox, task actions and completion. The workflow owns each task; the read model answers lists. */
@Injectable()
export class TasksService {
  /** Per deployed version (key:version), its forms, with the fields each keeps out of the process. */
  private readonly versionForms = new Map<string, Map<string, { schema: FormSchema; fields: string[] }>>();

  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly tasks: TaskRepository,
    private readonly instances: ProcessInstanceRepository,
    private readonly definitions: ProcessDefinitionRepository,
    private readonly calendar: CalendarService,
    private readonly content: TaskContentRepository,
    private readonly access: InstanceAccess,
    private readonly users: UserRepository,
  ) {}

  async list(query: ListTasksQuery, caller: Principal): Promise<TaskPageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const now = new Date();
    const sort = query.sort ?? 'dueDate';
    const order = query.order ?? 'asc';
    const after = query.cursor === undefined ? undefined : decodeTaskCursor(query.cursor, sort, order);
    const { items, total, totalExact, hasMore } = await this.tasks.list(
      {
        assignee: query.assignee,
        candidateGroup: query.candidateGroup,
        definitionKey: query.definitionKey,
        round: query.round,
        office: query.office,
        state: query.state ?? 'open',
        processInstanceId: query.processInstanceId,
        dueBefore: query.dueBefore === undefined ? undefined : new Date(query.dueBefore),
        overdue: query.overdue,
        sort,
        order,
        limit: pageSize,
        offset: (page - 1) * pageSize,
        after,
      },
      caller,
      now,
    );
    const calendar = await this.calendar.calendar();
    const last = items[items.length - 1];
    const nextCursor = hasMore && last ? encodeTaskCursor(sort, order, { value: taskSortValue(last, sort), id: String(last.id) }) : null;
    return { items: items.map((row) => this.toDto(row, calendar, now)), total, totalExact, page, pageSize, nextCursor };
  }

  async get(id: string, caller: Principal): Promise<TaskDetailDto> {
    const row = await this.visibleRow(id, caller);
    const calendar = await this.calendar.calendar();
    const instance = await this.instances.find(row.instanceId);
    const version = instance ? await this.definitions.findVersion(instance.definitionKey, instance.definitionVersion) : null;
    const form = row.formId ? ((version?.graph.forms?.[row.formId] as Record<string, unknown> | undefined) ?? null) : null;
    const needed = neededVariables(version?.graph.nodes[row.elementId], form as FormSchema | null);
    // Variables the model marks sensitive are for those who may read the instance, not every candidate.
    const sensitive = version?.graph.sensitive ?? [];
    const withheld = sensitive.length > 0 && !(instance && (await this.access.readable(caller, instance))) ? needed.filter((name) => sensitive.includes(name)) : [];
    const variables = await this.variablesOf(row, instance?.variables ?? null, needed.filter((name) => !withheld.includes(name)));
    return { ...this.toDto(row, calendar, new Date()), definitionVersion: instance?.definitionVersion ?? null, form, variables, withheld };
  }

  /** Claim, unclaim, assign, delegate or resolve: decided by the workflow, which owns the task. */
  async act(id: string, action: TaskAction, caller: Principal, user?: string): Promise<TaskDto> {
    const row = await this.visibleRow(id, caller);
    // A task goes only to someone of the directory: a mistyped id would leave it with nobody.
    if (user !== undefined && !(await this.users.find(user))) throw new InvalidRequestError('user', `user "${user}" is not in the directory`);
    let view: TaskView;
    try {
      view = await withTemporalDeadline(this.client, () =>
        this.handle(row.instanceId).executeUpdate(taskActionUpdate, { args: [{ taskId: row.taskId, action, user, caller }] }),
      );
    } catch (error) {
      throw this.refusal(error, row);
    }
    return this.toDto(this.merge(row, view), await this.calendar.calendar(), new Date());
  }

  /**
   * Completes the task through the workflow's update, whose validator checks that it is open,
   * that the caller may complete it, and the variables against its form. With a `requestId`, a
   * repeated request gets the first answer and has no second effect.
   */
  async complete(id: string, body: CompleteTaskDto, caller: Principal): Promise<TaskDto> {
    const variables = body.variables ?? {};
    checkVariables('variables', variables);
    // Visible to the caller, and of their unit when a unit confines them, as for every other action.
    const row = await this.visibleRow(id, caller);
    const requestId = body.requestId ?? null;
    const repeated = (current: UserTask): boolean =>
      requestId !== null && current.state === 'completed' && current.requestId === requestId && current.completedBy === caller.sub;
    if (repeated(row)) return this.toDto(row, await this.calendar.calendar(), new Date());
    const { sent, stored } = await this.keepContentAside(row, variables, caller);
    let view: TaskView;
    try {
      view = await withTemporalDeadline(this.client, () =>
        this.handle(row.instanceId).executeUpdate(completeUserTaskUpdate, {
          // One update id per request id: Temporal answers a repeat with the first outcome.
          ...(requestId !== null ? { updateId: `complete:${row.taskId}:${requestId}` } : {}),
          args: [{ taskId: row.taskId, variables: sent, caller, completedBy: caller.sub, requestId: requestId ?? undefined }],
        }),
      );
    } catch (error) {
      await this.content.remove(stored);
      const failure = updateFailure(error);
      if (failure?.type === TASK_NOT_OPEN_TYPE || error instanceof WorkflowNotFoundError) {
        // The first request may have completed it a moment ago.
        const current = await this.row(id);
        if (repeated(current)) return this.toDto(current, await this.calendar.calendar(), new Date());
      }
      throw this.refusal(error, row);
    }
    return this.toDto(this.merge(row, view), await this.calendar.calendar(), new Date());
  }

  /**
   * Checks the variables against the task's form, answering every offending field at once (the
   * workflow checks again, and refuses with the first). Text typed into the fields the form keeps
   * out of the process (a component with the property `content`) is then stored in Postgres, and
   * the instance gets a reference in its place, so that the text never reaches the workflow's
   * history. A completion refused for its fields stores nothing.
   */
  private async keepContentAside(row: UserTask, variables: Record<string, unknown>, caller: Principal): Promise<{ sent: Record<string, unknown>; stored: string[] }> {
    if (!row.formId) return { sent: variables, stored: [] };
    const instance = await this.instances.find(row.instanceId);
    if (!instance) return { sent: variables, stored: [] };
    // A deployed version never changes: its forms, and their content fields, are read once, not on every completion.
    const versionKey = `${instance.definitionKey}:${instance.definitionVersion}`;
    let forms = this.versionForms.get(versionKey);
    if (!forms) {
      const version = await this.definitions.findVersion(instance.definitionKey, instance.definitionVersion);
      forms = new Map(
        Object.entries((version?.graph.forms ?? {}) as Record<string, FormSchema>).map(([formId, schema]) => [formId, { schema, fields: contentFieldsOf(schema.components) }] as const),
      );
      this.versionForms.set(versionKey, forms);
    }
    const entry = forms.get(row.formId);
    if (!entry) return { sent: variables, stored: [] };
    const { schema: form, fields } = entry;
    const problems = formProblems(form, variables);
    if (problems.length > 0) {
      throw new InvalidVariablesError(problems.map((problem) => problem.message).join('; '), problems[0]!.field, {
        form: row.formId,
        fields: problems.map(({ field, code, message, limit }) => ({ field, code, message, ...(limit !== undefined ? { limit } : {}) })),
      });
    }
    if (fields.length === 0) return { sent: variables, stored: [] };
    const texts = fields.filter((field) => typeof variables[field] === 'string' && variables[field] !== '');
    const refs = await this.content.store(
      texts.map((field) => ({ instanceId: row.instanceId, taskId: row.taskId, elementId: row.elementId, field, value: variables[field] as string, author: caller.sub })),
    );
    return { sent: { ...variables, ...Object.fromEntries(refs) }, stored: [...refs.values()] };
  }

  private async row(id: string): Promise<UserTask> {
    const row = await this.tasks.find(id);
    if (!row) throw new NotFoundError('task', id);
    return row;
  }

  private async visibleRow(id: string, caller: Principal): Promise<UserTask> {
    const row = await this.row(id);
    if (!this.tasks.visible(row, caller)) {
      throw new ForbiddenError(`task ${id} is not assigned to you, you are not one of its candidates, and you are not a supervisor`, {
        reason: 'not-visible',
      });
    }
    // The people of an inspected unit act only on tasks of instances that concern their unit.
    const unit = unitScope(caller);
    if (unit !== undefined && (unit === null || (await this.instances.find(row.instanceId))?.unitId !== unit)) {
      throw new ForbiddenError(`task ${id} concerns another unit than yours`, { reason: 'other-unit' });
    }
    return row;
  }

  /** The HTTP refusal for a failed task update. */
  private refusal(error: unknown, row: UserTask): unknown {
    if (error instanceof WorkflowNotFoundError) return new ConflictError(`task ${row.id} is not open: its instance has ended`, { reason: 'not-open' });
    const failure = updateFailure(error);
    if (!failure) return error;
    switch (failure.type) {
      case TASK_NOT_OPEN_TYPE:
        return new ConflictError(`task ${row.id} is not open (${failure.message})`, { reason: 'not-open' });
      case TASK_CONFLICT_TYPE:
        return new ConflictError(failure.message, { reason: 'conflict' });
      case TASK_FORBIDDEN_TYPE:
        return new ForbiddenError(failure.message, { reason: 'not-allowed' });
      case INVALID_TASK_VARIABLES_TYPE: {
        const field = (failure.details[0] as { field?: string } | undefined)?.field ?? 'variables';
        return new InvalidVariablesError(failure.message, field, { form: row.formId });
      }
      default:
        return error;
    }
  }

  /** The row as the workflow's answer says it is now (the read model catches up a moment later). */
  private merge(row: UserTask, view: TaskView): UserTask {
    return Object.assign(Object.create(Object.getPrototypeOf(row) as object) as UserTask, row, {
      assignee: view.assignee,
      owner: view.owner,
      delegation: view.delegation,
      candidateGroups: view.candidateGroups,
      candidateUsers: view.candidateUsers,
      state: view.state,
      claimedAt: view.claimedAt === null ? null : new Date(view.claimedAt),
      endedAt: view.endedAt === null ? null : new Date(view.endedAt),
      completedBy: view.completedBy,
      requestId: view.requestId,
      revision: view.revision,
    });
  }

  /**
   * The variables the task needs, and no others: those its form shows and those its input
   * mappings give it, as the task's element sees them while it is open (its locals over the
   * process's), from the instance's final variables once it has ended.
   */
  private async variablesOf(row: UserTask, finalVariables: Record<string, unknown> | null, needed: string[]): Promise<Record<string, unknown>> {
    const pick = (variables: Record<string, unknown> | null): Record<string, unknown> =>
      Object.fromEntries(needed.filter((name) => variables !== null && Object.prototype.hasOwnProperty.call(variables, name)).map((name) => [name, variables![name]]));
    if (needed.length === 0) return {};
    if (row.state !== 'created' && row.state !== 'claimed') return pick(finalVariables);
    try {
      const seen = await withTemporalDeadline(this.client, () => this.handle(row.instanceId).query(elementVariablesQuery, { elementInstanceId: row.taskId, names: needed }));
      return seen ?? pick(finalVariables);
    } catch (error) {
      if (error instanceof WorkflowNotFoundError) return pick(finalVariables);
      throw error;
    }
  }

  private handle(instanceId: string): WorkflowHandle {
    return this.client.workflow.getHandle(instanceId);
  }

  toDto(row: UserTask, calendar: WorkingCalendar, now: Date): TaskDto {
    const open = row.state === 'created' || row.state === 'claimed';
    const due = row.dueAt ? new Date(row.dueAt) : null;
    return {
      id: String(row.id),
      processInstanceId: row.instanceId,
      taskId: row.taskId,
      elementId: row.elementId,
      name: row.name,
      definitionKey: row.definitionKey,
      businessKey: row.businessKey,
      assignee: row.assignee,
      owner: row.owner,
      delegation: row.delegation,
      candidateGroups: row.candidateGroups,
      candidateUsers: row.candidateUsers,
      priority: row.priority,
      dueDate: due ? formatDateTime(due.getTime()) : null,
      followUpDate: row.followUpAt ? formatDateTime(new Date(row.followUpAt).getTime()) : null,
      formId: row.formId,
      formKey: row.formKey,
      warnings: row.warnings,
      state: row.state,
      createdAt: formatDateTime(new Date(row.createdAt).getTime()),
      claimedAt: row.claimedAt ? formatDateTime(new Date(row.claimedAt).getTime()) : null,
      endedAt: row.endedAt ? formatDateTime(new Date(row.endedAt).getTime()) : null,
      completedBy: row.completedBy,
      overdue: open && due !== null && due.getTime() < now.getTime(),
      workingDaysLeft: open ? workingDaysLeft(calendar, due, now) : null,
    };
  }
}

/**
 * The variables a user task needs: the fields of its form (keys, and the first segment of group
 * and list paths), the targets of its input mappings, and its multi-instance item.
 */
export function neededVariables(node: GraphNode | undefined, form: FormSchema | null): string[] {
  const names = new Set<string>();
  const visit = (components: FormComponent[]): void => {
    for (const component of components) {
      if (component.key) names.add(component.key.split('.')[0]!);
      if (component.path) names.add(component.path.split('.')[0]!);
      visit(component.components ?? []);
    }
  };
  visit(form?.components ?? []);
  for (const mapping of node?.inputs ?? []) names.add(mapping.target.split('.')[0]!);
  if (node?.multiInstance?.inputElement) names.add(node.multiInstance.inputElement);
  return [...names];
}

/** The keys of the form's components marked to keep their text out of the process (property `content`). */
function contentFieldsOf(components: FormComponent[]): string[] {
  return components.flatMap((component) => {
    const marked = (component as FormComponent & { properties?: Record<string, unknown> }).properties?.content;
    const own = component.key && (marked === true || marked === 'true') ? [component.key] : [];
    return [...own, ...contentFieldsOf(component.components ?? [])];
  });
}
