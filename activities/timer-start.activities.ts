import { Injectable } from '@nestjs/common';
import type { TimerStartActivities } from '@xuncha/contracts';
import { TimerStarts } from '@xuncha/runtime';

/** The timer start workflow's activity as a Nest provider: start the instance of a firing. */
@Injectable()
export class TimerStartActivitiesProvider {
  constructor(private readonly timerStarts: TimerStarts) {}

  activities(): TimerStartActivities {
    return { fireTimerStart: (firing) => this.timerStarts.fire(firing) };
  }
}
