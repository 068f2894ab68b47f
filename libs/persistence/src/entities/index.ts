import { AppUser } from './app-user.entity';
import { RoleGrantRow } from './role-grant.entity';
import { AuditCheckpointRow, AuditRecordRow } from './audit.entity';
import { DefinitionPermissionRow } from './definition-permission.entity';
import { CalendarOverrideRow, CalendarYearRow } from './calendar.entity';
import { InstanceHistory } from './instance-history.entity';
import { MessageDelivery } from './message-delivery.entity';
import { BufferedMessage, MessageCorrelation, MessageStartLock } from './message.entity';
import { MessageSubscription } from './message-subscription.entity';
import { NoticeRead } from './notice-read.entity';
import { InspectionRound, InspectionRoundUnit, OrgUnit } from './organisation.entity';
import { Clue, ClueAccess, ClueAttachment, ClueDetail, ClueEvent, ClueFeedback, ClueGrant, ClueLetter, ClueSummary } from './clue.entity';
import { InstanceAssignee, TaskContent } from './task-content.entity';
import { ProcessDefinitionVersion } from './process-definition.entity';
import { ProcessInstance } from './process-instance.entity';
import { ProcessTimer } from './process-timer.entity';
import { TimerStart } from './timer-start.entity';
import { UserTask } from './user-task.entity';

export * from './organisation.entity';
export * from './clue.entity';
export * from './task-content.entity';

export {
  AppUser,
  RoleGrantRow,
  AuditCheckpointRow,
  AuditRecordRow,
  DefinitionPermissionRow,
  BufferedMessage,
  MessageCorrelation,
  MessageStartLock,
  CalendarOverrideRow,
  CalendarYearRow,
  InstanceHistory,
  MessageDelivery,
  MessageSubscription,
  NoticeRead,
  ProcessDefinitionVersion,
  ProcessInstance,
  ProcessTimer,
  TimerStart,
  UserTask,
};

/** Every entity the data source knows. */
export const ENTITIES = [
  ProcessDefinitionVersion,
  ProcessInstance,
  MessageSubscription,
  MessageDelivery,
  BufferedMessage,
  MessageCorrelation,
  MessageStartLock,
  AppUser,
  UserTask,
  ProcessTimer,
  InstanceHistory,
  TimerStart,
  CalendarOverrideRow,
  CalendarYearRow,
  OrgUnit,
  InspectionRound,
  InspectionRoundUnit,
  Clue,
  ClueDetail,
  ClueAccess,
  ClueGrant,
  ClueEvent,
  ClueFeedback,
  ClueLetter,
  ClueAttachment,
  ClueSummary,
  TaskContent,
  InstanceAssignee,
  DefinitionPermissionRow,
  AuditRecordRow,
  AuditCheckpointRow,
  RoleGrantRow,
  NoticeRead,
];
