import { extension, text } from '../definition/moddle';
import type { BpmnRule } from './rule';

/**
 * Camunda 8 deploys a user task that names nobody; here such a task is offered to the
 * configured default candidate group (DEFAULT_CANDIDATE_GROUP), so the modeller is warned.
 */
export const userTaskAssignment: BpmnRule = {
  name: 'user-task-assignment',
  severity: 'warning',
  description: 'User tasks name an assignee or candidate groups or users; otherwise they go to the default candidate group',
  check(element, report) {
    if (element.$type !== 'bpmn:UserTask') return;
    const assignment = extension(element, 'zeebe:AssignmentDefinition');
    if (!text(assignment, 'assignee') && !text(assignment, 'candidateGroups') && !text(assignment, 'candidateUsers')) {
      report(
        element,
        `The user task "${element.name ?? element.id ?? ''}" has no assignee, candidate groups or candidate users; it is offered to the default candidate group`,
      );
    }
  },
};
