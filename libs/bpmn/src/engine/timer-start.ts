// When a timer start event fires, as Camunda 8 computes it: pure, so a deployment, the
// schedule that fires it and a test all agree on the same instants.
import type { CalendarData } from '@xuncha/calendar';
import { WorkingCalendar } from '@xuncha/calendar';
import type { TimerSpec } from '../definition/graph';
import { nextCronTime, parseCron } from './cron';
import { evaluateValue, ExpressionError } from './feel-runtime';
import { addDuration, parseCycle, parseDateTime, parseDuration, startOfDate } from './time';

/** Where a timer start's firings are counted from. */
export interface TimerStartContext {
  /** When the version was deployed (epoch ms): cycles without a start date count from here. */
  anchor: number;
  /** The engine's time zone. */
  zone: string;
  /** The working-day calendar, for FEEL timers that count working days. */
  calendar: CalendarData | null;
}

/** The firings a timer start event makes, computed from its anchor. */
export interface TimerStartPlan {
  /** What the timer's value came to (a FEEL expression evaluated once, at deployment, as in Camunda 8). */
  value: string;
  /**
   * The next `count` firings strictly after `after` (epoch ms, whole seconds). With `resume`
   * (the last firing and how many there have been), a cycle goes on from there instead of
   * counting from its start, so it costs the same after years as after a day.
   */
  firings(after: number, count: number, resume?: TimerStartResume): number[];
}

/** Where a timer start's firings stand: its last firing (epoch ms) and how many there have been. */
export interface TimerStartResume {
  lastDue: number;
  fired: number;
}

/** The most periods of an ISO cycle stepped through to reach the instant asked about from where it stands. */
const CYCLE_LIMIT = 40_000;

/** Rounds up to the next whole second: schedules fire on whole seconds. */
function wholeSecond(epoch: number): number {
  return Math.ceil(epoch / 1000) * 1000;
}

/**
 * Plans a timer start event as Camunda 8 runs it: a date fires once (at deployment if it has
 * passed); a duration once, that long after deployment; an ISO cycle first at its start date,
 * or one period after deployment, then each previous due date plus the period (31 January +
 * P1M is 28 February, then 28 March), as many times as it says; a cron expression at each of
 * its times. Throws {@link ExpressionError} for a value that is not a timer of its kind.
 */
export function planTimerStart(timer: TimerSpec, context: TimerStartContext): TimerStartPlan {
  const { anchor, zone } = context;
  const env = { now: anchor, calendar: context.calendar ? new WorkingCalendar(context.calendar) : null, zone };
  const value = String(evaluateValue(timer.value, {}, env)).trim();
  const fail = (reason: string): never => {
    throw new ExpressionError(timer.value, reason);
  };
  try {
    if (timer.kind === 'date') {
      const due = /^\d{4}-\d{2}-\d{2}$/.test(value) ? startOfDate(value, zone) : parseDateTime(value, zone);
      const at = wholeSecond(Math.max(due, anchor + 1));
      return { value, firings: (after, count) => (at > after && count > 0 ? [at] : []) };
    }
    if (timer.kind === 'duration') {
      const at = wholeSecond(addDuration(anchor, parseDuration(value), zone));
      return { value, firings: (after, count) => (at > after && count > 0 ? [at] : []) };
    }
    if (value.startsWith('R')) {
      const cycle = parseCycle(value, zone);
      return {
        value,
        firings: (after, count, resume) => {
          const found: number[] = [];
          let due = resume ? addDuration(resume.lastDue, cycle.period, zone) : (cycle.start ?? addDuration(anchor, cycle.period, zone));
          for (let n = resume?.fired ?? 0, steps = 0; steps < CYCLE_LIMIT && found.length < count; n++, steps++) {
            if (cycle.repetitions !== null && n >= cycle.repetitions) break;
            const at = wholeSecond(due);
            if (at > after) found.push(at);
            due = addDuration(due, cycle.period, zone);
          }
          return found;
        },
      };
    }
    const cron = parseCron(value);
    return {
      value,
      firings: (after, count) => {
        const found: number[] = [];
        for (let from = Math.max(after, anchor); found.length < count; ) {
          const next = nextCronTime(cron, from, zone);
          if (next === null) break;
          found.push(next);
          from = next;
        }
        return found;
      },
    };
  } catch (error) {
    if (error instanceof ExpressionError) throw error;
    return fail(error instanceof Error ? error.message : String(error));
  }
}
