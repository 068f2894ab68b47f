import { extension, text } from '../definition/moddle';
import type { BpmnRule } from './rule';

/** Somebody must be able to see a user task in an inbox. */
export const userTaskAssignment: BpmnRule = {
  name: 'user-task-assignment',
  severity: 'error',
  description: 'User tasks have an assignee or candidate groups or users',
  check(element, report) {
    if (element.$type !== 'bpmn:UserTask') return;
    const assignment = extension(element, 'zeebe:AssignmentDefinition');
    if (!text(assignment, 'assignee') && !text(assignment, 'candidateGroups') && !text(assignment, 'candidateUsers')) {
      report(element, `The user task "${element.name ?? element.id ?? ''}" has no assignee, candidate groups or candidate users`);
    }
  },
};
