import { CreateSmokeRecord1763712000000 } from './1763712000000-create-smoke-record';
import { CreateProcessDefinition1763740800000 } from './1763740800000-create-process-definition';
import { CreateProcessInstance1763827200000 } from './1763827200000-create-process-instance';
import { CreateTasksAndCalendar1763913600000 } from './1763913600000-create-tasks-and-calendar';
import { DropSmokeRecord1764633600000 } from './1764633600000-drop-smoke-record';
import { BufferMessages1764720000000 } from './1764720000000-buffer-messages';
import { TimerStartSchedules1764806400000 } from './1764806400000-timer-start-schedules';
import { TaskListAtScale1764892800000 } from './1764892800000-task-list-at-scale';
import { DeadlineBoardAtScale1764979200000 } from './1764979200000-deadline-board-at-scale';
import { NumberedInstanceWrites1765065600000 } from './1765065600000-numbered-instance-writes';
import { RoundsAndUnits1765152000000 } from './1765152000000-rounds-and-units';
import { ClueLedger1765238400000 } from './1765238400000-clue-ledger';
import { ClueGrants1765324800000 } from './1765324800000-clue-grants';
import { ClueProcess1765411200000 } from './1765411200000-clue-process';
import { ClueSummariesAndAttachments1765497600000 } from './1765497600000-clue-summaries-and-attachments';
import { Permissions1765584000000 } from './1765584000000-permissions';
import { AuditTrail1765670400000 } from './1765670400000-audit-trail';
import { UnitScope1765756800000 } from './1765756800000-unit-scope';
import { RoleGrants1765843200000 } from './1765843200000-role-grants';
import { PasswordLogin1765929600000 } from './1765929600000-password-login';
import { KeyedAuditChain1766016000000 } from './1766016000000-keyed-audit-chain';
import { InstanceRoundOffice1766102400000 } from './1766102400000-instance-round-office';
import { NoticeReads1766188800000 } from './1766188800000-notice-reads';

/** Every migration in order; listed explicitly so compiled and ts-jest runs load the same set. */
export const MIGRATIONS = [
  CreateSmokeRecord1763712000000,
  CreateProcessDefinition1763740800000,
  CreateProcessInstance1763827200000,
  CreateTasksAndCalendar1763913600000,
  DropSmokeRecord1764633600000,
  BufferMessages1764720000000,
  TimerStartSchedules1764806400000,
  TaskListAtScale1764892800000,
  DeadlineBoardAtScale1764979200000,
  NumberedInstanceWrites1765065600000,
  RoundsAndUnits1765152000000,
  ClueLedger1765238400000,
  ClueGrants1765324800000,
  ClueProcess1765411200000,
  ClueSummariesAndAttachments1765497600000,
  Permissions1765584000000,
  AuditTrail1765670400000,
  UnitScope1765756800000,
  RoleGrants1765843200000,
  PasswordLogin1765929600000,
  KeyedAuditChain1766016000000,
  InstanceRoundOffice1766102400000,
  NoticeReads1766188800000,
];
