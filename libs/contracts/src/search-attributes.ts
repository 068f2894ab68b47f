// Custom search attributes of process instances, so Temporal UI and `temporal workflow list`
// filter by business key, definition and the next deadline. Registered on the dev server at
// start and by every worker before it polls (for clusters set up without them).
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/** The instance's business key, e.g. a clue number. */
export const BUSINESS_KEY_ATTRIBUTE = defineSearchAttributeKey('BusinessKey', SearchAttributeType.KEYWORD);

/** The key (BPMN process id) of the instance's definition. */
export const DEFINITION_KEY_ATTRIBUTE = defineSearchAttributeKey('DefinitionKey', SearchAttributeType.KEYWORD);

/** The unit of the directory the instance concerns (its start variable `unitId`): a unit id, never a name. */
export const UNIT_ID_ATTRIBUTE = defineSearchAttributeKey('UnitId', SearchAttributeType.KEYWORD);

/** The earliest due date of an open task or pending timer; absent when nothing is due. */
export const NEXT_DUE_AT_ATTRIBUTE = defineSearchAttributeKey('NextDueAt', SearchAttributeType.DATETIME);

/** Every custom attribute with its type, as `temporal server start-dev --search-attribute` names them. */
export const PROCESS_SEARCH_ATTRIBUTES: Record<string, 'Keyword' | 'Datetime'> = {
  BusinessKey: 'Keyword',
  DefinitionKey: 'Keyword',
  UnitId: 'Keyword',
  NextDueAt: 'Datetime',
};
