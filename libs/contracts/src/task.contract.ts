// User tasks as the workflow keeps them and the read model mirrors them, and the updates that act on them.
import { defineUpdate } from '@temporalio/workflow';
import type { Principal } from './identity';

/** Life of a user task: created (open, unclaimed), claimed (open, assigned), then completed or cancelled. */
export type TaskState = 'created' | 'claimed' | 'completed' | 'cancelled';

/** Open task states. */
export const OPEN_TASK_STATES: readonly TaskState[] = ['created', 'claimed'];

/** A user task as its workflow knows it; the `user_task` read model mirrors this. */
export interface TaskView {
  /** The engine's element instance id, unique within the instance. */
  taskId: string;
  elementId: string;
  name: string | null;
  assignee: string | null;
  /** Who delegated the task (and gets it back on resolve), as in Flowable. */
  owner: string | null;
  delegation: 'pending' | 'resolved' | null;
  candidateGroups: string[];
  candidateUsers: string[];
  priority: number;
  /** ISO date-times with offset. */
  dueDate: string | null;
  followUpDate: string | null;
  formId: string | null;
  formKey: string | null;
  /** Why a date may be off (e.g. counted on a year without official working-day data). */
  warnings: string[];
  state: TaskState;
  /** Epoch ms on the instance's clock. */
  createdAt: number;
  claimedAt: number | null;
  endedAt: number | null;
  completedBy: string | null;
  /** The request id of the completion, for idempotent retries. */
  requestId: string | null;
  /** Bumped on every change, so the read model never goes back to an older version. */
  revision: number;
}

/** What may be done to an open task besides completing it. */
export type TaskAction = 'claim' | 'unclaim' | 'assign' | 'delegate' | 'resolve';

/** A task action; `user` is the new assignee for assign and delegate. */
export interface TaskActionRequest {
  taskId: string;
  action: TaskAction;
  user?: string;
  caller: Principal;
}

/** Completes an open user task. An update rather than a signal: the caller needs an honest yes or no. */
export interface CompleteTaskRequest {
  taskId: string;
  variables?: Record<string, unknown>;
  /** Who completed it (recorded in the history); the caller's id when a caller is given. */
  completedBy?: string;
  /** The caller, whose right to complete the task the validator checks; absent for trusted internal callers. */
  caller?: Principal;
  /** The client's idempotency key, recorded with the completion. */
  requestId?: string;
}

export const completeUserTaskUpdate = defineUpdate<TaskView, [CompleteTaskRequest]>('completeUserTask');

/** Claims, unclaims, assigns, delegates or resolves a task; answers the task as it is afterwards. */
export const taskActionUpdate = defineUpdate<TaskView, [TaskActionRequest]>('taskAction');

/** Failure types of the task validators, which the API maps to 409, 403 and 422. */
export const TASK_NOT_OPEN_TYPE = 'TaskNotOpen';
export const TASK_CONFLICT_TYPE = 'TaskConflict';
export const TASK_FORBIDDEN_TYPE = 'TaskForbidden';
export const INVALID_TASK_VARIABLES_TYPE = 'InvalidTaskVariables';

/** Whether `caller` is one of the task's candidates (by user or group). */
export function isCandidate(task: Pick<TaskView, 'candidateGroups' | 'candidateUsers'>, caller: Pick<Principal, 'sub' | 'groups'>): boolean {
  return task.candidateUsers.includes(caller.sub) || task.candidateGroups.some((group) => caller.groups.includes(group));
}

/**
 * Whether `caller` may work on (complete, assign onward) the task: its assignee, or while
 * unassigned one of its candidates. A task with no assignee and no candidates is open to
 * `process-admin`, so it is never stuck.
 */
export function mayWorkOn(
  task: Pick<TaskView, 'assignee' | 'candidateGroups' | 'candidateUsers'>,
  caller: Pick<Principal, 'sub' | 'groups'>,
  options: { asRecorded?: boolean } = {},
): boolean {
  if (task.assignee !== null) return task.assignee === caller.sub;
  // Completions recorded before `admin` was split keep their verdict when a history replays.
  if (task.candidateGroups.length === 0 && task.candidateUsers.length === 0) return caller.groups.includes('process-admin') || (options.asRecorded === true && caller.groups.includes('admin'));
  return isCandidate(task, caller);
}

/** A pending, fired or cancelled timer of an instance, for the deadline board. */
export interface TimerRecord {
  timerId: string;
  elementId: string;
  name: string | null;
  /** The open user task the timer is attached to (a reminder or escalation of it), if any. */
  ownerTaskId: string | null;
  /** Epoch ms. */
  dueAt: number;
  state: 'pending' | 'fired' | 'cancelled';
  warning: string | null;
}

/** One history entry of an instance (a trace entry with its position). */
export interface HistoryRecord {
  seq: number;
  at: number;
  kind: string;
  elementId: string;
  elementInstanceId: string | null;
  by: string | null;
  detail: string | null;
}
