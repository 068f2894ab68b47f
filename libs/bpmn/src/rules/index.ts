import { boundaryAttachment } from './boundary-attachment.rule';
import { callActivityProcess } from './call-activity-process.rule';
import { errorCode } from './error-code.rule';
import { eventBasedGateway } from './event-based-gateway.rule';
import { eventSubprocessStart } from './event-subprocess-start.rule';
import { executableProcess } from './executable-process.rule';
import { feelRequired } from './feel-required.rule';
import { feelSyntax } from './feel-syntax.rule';
import { flowElementLimit } from './flow-element-limit.rule';
import { gatewayConditions } from './gateway-conditions.rule';
import { messageReference } from './message-reference.rule';
import { multiInstanceCollection } from './multi-instance-collection.rule';
import { noDeadEnd } from './no-dead-end.rule';
import { noneStartEvent } from './none-start-event.rule';
import { reachableFlowNodes } from './reachable-flow-nodes.rule';
import type { BpmnRule } from './rule';
import { serviceTaskType } from './service-task-type.rule';
import { supportedElements } from './supported-elements.rule';
import { timerDefinition } from './timer-definition.rule';
import { userTaskAssignment } from './user-task-assignment.rule';

export type { BpmnRule, Report, RuleContext } from './rule';

/** Every model rule, run on every element. (XML safety, well-formedness, namespace and duplicate ids run in the scan.) */
export const RULES: readonly BpmnRule[] = [
  supportedElements,
  executableProcess,
  noneStartEvent,
  reachableFlowNodes,
  noDeadEnd,
  gatewayConditions,
  eventBasedGateway,
  feelSyntax,
  feelRequired,
  timerDefinition,
  serviceTaskType,
  userTaskAssignment,
  callActivityProcess,
  multiInstanceCollection,
  messageReference,
  boundaryAttachment,
  eventSubprocessStart,
  errorCode,
  flowElementLimit,
];
