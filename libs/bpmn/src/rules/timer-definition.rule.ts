import type { ModdleElement } from '../definition/moddle';
import { expressionBody } from '../definition/moddle';
import { tag } from '../definition/names';
import { isFeelExpression } from '../definition/feel';
import { isIsoCycle, isIsoDateTime, isIsoDuration } from '../definition/timer';
import { isCron } from '../engine/cron';
import type { BpmnRule } from './rule';

type TimerKind = 'timeDate' | 'timeDuration' | 'timeCycle';

const VALID: Record<TimerKind, (value: string) => boolean> = {
  timeDate: isIsoDateTime,
  timeDuration: isIsoDuration,
  timeCycle: (value) => isIsoCycle(value) || isCron(value),
};

const EXAMPLE: Record<TimerKind, string> = {
  timeDate: 'an ISO-8601 date-time with offset, e.g. 2026-10-01T09:00:00+08:00',
  timeDuration: 'an ISO-8601 duration, e.g. P6M or PT1H',
  timeCycle: 'an ISO-8601 repeating interval, e.g. R/P6M or R3/PT1H, or a cron expression with seconds, e.g. 0 0 9 * * MON-FRI',
};

/** Which timer kinds make sense where the timer sits. */
function allowedKinds(event: ModdleElement): TimerKind[] {
  const parent = event.$parent;
  if (event.$type === 'bpmn:StartEvent') {
    const inEventSubProcess = parent?.$type === 'bpmn:SubProcess' && parent.get('triggeredByEvent') === true;
    return inEventSubProcess ? ['timeDate', 'timeDuration', 'timeCycle'] : ['timeDate', 'timeCycle'];
  }
  if (event.$type === 'bpmn:BoundaryEvent' && event.get('cancelActivity') === false) return ['timeDate', 'timeDuration', 'timeCycle'];
  return ['timeDate', 'timeDuration'];
}

/** Timers are a date, a duration or a cycle in ISO-8601, or a FEEL expression; one of them, where it fits. */
export const timerDefinition: BpmnRule = {
  name: 'timer-definition',
  severity: 'error',
  description: 'Timers are valid ISO-8601 dates, durations or cycles, or FEEL',
  check(element, report) {
    if (element.$type !== 'bpmn:TimerEventDefinition') return;
    const event = element.$parent;
    if (!event) return;
    const present = (['timeDate', 'timeDuration', 'timeCycle'] as const).filter((kind) => expressionBody(element, kind) !== undefined);
    if (present.length === 0) {
      report(event, `The timer of ${tag(event.$type)} "${event.name ?? event.id ?? ''}" has no date, duration or cycle`);
      return;
    }
    if (present.length > 1) report(event, `The timer has more than one of ${present.join(', ')}; use exactly one`);
    const kind = present[0]!;
    const allowed = allowedKinds(event);
    if (!allowed.includes(kind)) {
      report(event, `A ${kind} timer is not allowed on ${tag(event.$type)} here; use ${allowed.join(' or ')}`);
    }
    const value = expressionBody(element, kind)!.trim();
    if (!isFeelExpression(value) && !VALID[kind](value)) {
      report(event, `"${value}" is not a valid ${kind}: expected ${EXAMPLE[kind]}, or a FEEL expression starting with "="`);
    }
  },
};
