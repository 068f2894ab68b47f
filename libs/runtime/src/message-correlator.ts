import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { deliverMessageUpdate } from '@xuncha/contracts';
import { MessageRepository } from '@xuncha/persistence';
import { MessageStarts } from './message-starts';
import { TEMPORAL_CLIENT } from './temporal-client.module';
import { withTemporalDeadline } from './temporal-deadline';

/** A message on its way to the instances that wait for it. */
export interface CorrelatingMessage {
  name: string;
  correlationKey: string;
  variables: Record<string, unknown>;
  /** Its key when it is buffered: then each process it reaches is recorded, once. */
  messageKey: string | null;
  /** The publisher's idempotency key: a repeated delivery to an instance has one effect. */
  messageId: string | null;
}

/**
 * Delivers a message to the instances whose subscriptions wait for it, as Camunda 8 does: at
 * most one instance per process id, the one with the oldest matching subscription that takes
 * it. Used by a publication, and again when an instance gives back a buffered message it
 * collected but no longer waited for, so another instance of its process gets it.
 */
@Injectable()
export class MessageCorrelator {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    private readonly messages: MessageRepository,
    private readonly starts: MessageStarts,
  ) {}

  /**
   * Delivers to the open subscriptions of processes not in `reached` (which it extends), and looks
   * once more for subscriptions recorded while it delivered; answers how many instances took it.
   */
  async correlate(message: CorrelatingMessage, reached: Set<string>): Promise<number> {
    let correlated = 0;
    const tried = new Set<string>();
    for (let look = 0; look < 2; look++) {
      const subscribers = (await this.messages.subscribers(message.name, message.correlationKey)).filter((s) => !reached.has(s.processId) && !tried.has(s.instanceId));
      if (subscribers.length === 0) break;
      for (const { instanceId, processId } of subscribers) {
        if (reached.has(processId)) continue;
        tried.add(instanceId);
        // A subscription of this process that opened meanwhile collected the buffered message itself.
        if (message.messageKey !== null && !(await this.messages.claim(message.messageKey, processId, instanceId))) {
          reached.add(processId);
          continue;
        }
        const taken = await this.deliver(instanceId, message);
        if (taken > 0) {
          correlated += taken;
          reached.add(processId);
        } else if (message.messageKey !== null) {
          await this.messages.unclaim(message.messageKey, processId, instanceId);
        }
      }
    }
    return correlated;
  }

  /**
   * A buffered message an instance collected but no longer waited for: given back, it goes to
   * another instance of that process that waits for it now, if any (or waits, until it expires,
   * for one that subscribes later); a process that has no instance waiting but a message start
   * event is not started by it, as the publication decided that already.
   */
  async giveBack(messageKey: string, processId: string, instanceId: string): Promise<void> {
    await this.messages.unclaim(messageKey, processId, instanceId);
    const message = await this.messages.find(messageKey);
    if (!message) return;
    const reached = new Set(message.correlatedProcesses);
    await this.correlate({ name: message.name, correlationKey: message.correlationKey, variables: message.variables, messageKey, messageId: null }, reached);
  }

  /** Starts what the message starts in the processes it has not reached. */
  start(message: CorrelatingMessage, reached: ReadonlySet<string>): Promise<string[]> {
    return this.starts.start(message, reached);
  }

  private async deliver(instanceId: string, message: CorrelatingMessage): Promise<number> {
    // Temporal answers a repeated update id with the first result: one message, one effect per instance.
    const updateId = message.messageId !== null ? `message:${message.messageId}` : message.messageKey !== null ? `message-key:${message.messageKey}` : undefined;
    try {
      return await withTemporalDeadline(this.client, () =>
        this.client.workflow.getHandle(instanceId).executeUpdate(deliverMessageUpdate, {
          args: [{ name: message.name, correlationKey: message.correlationKey, variables: message.variables }],
          ...(updateId !== undefined ? { updateId } : {}),
        }),
      );
    } catch (error) {
      // The instance ended after the subscription was read: it simply does not receive the message.
      if (error instanceof WorkflowNotFoundError) return 0;
      throw error;
    }
  }
}
