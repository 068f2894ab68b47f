import { Inject, Injectable } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import { addDuration, formatDateTime, parseDuration } from '@xuncha/bpmn-engine';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import { ConflictError, deliverMessageUpdate, InvalidRequestError } from '@xuncha/contracts';
import type { DeliveryOutcome } from '@xuncha/persistence';
import { MessageRepository } from '@xuncha/persistence';
import { MessageStarts, TEMPORAL_CLIENT, withTemporalDeadline } from '@xuncha/runtime';
import { checkVariables } from '../http/variables';
import type { BufferedMessagePageDto, ListMessagesQuery, MessagePublishedDto, PublishMessageDto } from './messages.dto';

/** How long a repeated messageId waits for the first publication of that id to finish. */
const DUPLICATE_WAIT_MS = 10_000;

/**
 * Publishes messages as Camunda 8 does. A message reaches at most one instance per process id
 * (the one with the oldest matching subscription that takes it) and starts instances of
 * processes with a message start event of its name that it has not reached. With a
 * time-to-live it is buffered first, so a subscription that opens while it waits (even one
 * the read model does not show yet) collects it; without one it reaches only what is open now.
 */
@Injectable()
export class MessagesService {
  constructor(
    @Inject(TEMPORAL_CLIENT) private readonly client: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly messages: MessageRepository,
    private readonly starts: MessageStarts,
  ) {}

  async publish(body: PublishMessageDto): Promise<MessagePublishedDto> {
    const variables = body.variables ?? {};
    checkVariables('variables', variables);
    const name = body.name;
    const correlationKey = body.correlationKey ?? '';
    const now = new Date();
    const expiresAt = this.expiry(now, body.timeToLive ?? 'PT0S');
    const messageId = body.messageId ?? null;
    if (messageId !== null && !(await this.messages.claimDelivery(messageId, name, correlationKey))) {
      return this.previousDelivery(messageId, name, correlationKey);
    }
    let messageKey: string | null = null;
    try {
      if (expiresAt.getTime() > now.getTime()) {
        messageKey = await this.messages.buffer({ name, correlationKey, variables, messageId, publishedAt: now, expiresAt });
      }
      const reached = new Set<string>();
      const correlated = await this.correlate(name, correlationKey, variables, messageKey, messageId, reached);
      const startedInstances = await this.starts.start({ name, correlationKey, variables, messageKey, messageId }, reached);
      const outcome: DeliveryOutcome = {
        outcome: correlated + startedInstances.length > 0 ? 'correlated' : messageKey !== null ? 'buffered' : 'dropped',
        correlated: correlated + startedInstances.length,
        startedInstances,
        bufferedUntil: messageKey !== null ? formatDateTime(expiresAt.getTime()) : null,
        messageKey,
      };
      if (messageId !== null) await this.messages.completeDelivery(messageId, outcome);
      return { ...outcome, duplicate: false };
    } catch (error) {
      // A publication that failed half-way leaves nothing buffered: the sender publishes it again.
      if (messageKey !== null) await this.messages.discard(messageKey);
      if (messageId !== null) await this.messages.releaseDelivery(messageId);
      throw error;
    }
  }

  async list(query: ListMessagesQuery): Promise<BufferedMessagePageDto> {
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 50;
    const { items, total } = await this.messages.buffered({ name: query.name, correlationKey: query.correlationKey, limit: pageSize, offset: (page - 1) * pageSize });
    return {
      items: items.map((row) => ({
        messageKey: row.key,
        name: row.name,
        correlationKey: row.correlationKey,
        messageId: row.messageId,
        variableNames: row.variableNames,
        publishedAt: formatDateTime(row.publishedAt.getTime()),
        bufferedUntil: formatDateTime(row.expiresAt.getTime()),
        correlatedProcesses: row.correlatedProcesses,
      })),
      total,
      page,
      pageSize,
    };
  }

  /**
   * Delivers to the open subscriptions, the oldest first, at most one instance per process id;
   * looks once more for subscriptions recorded while it delivered. Answers how many it reached.
   */
  private async correlate(
    name: string,
    correlationKey: string,
    variables: Record<string, unknown>,
    messageKey: string | null,
    messageId: string | null,
    reached: Set<string>,
  ): Promise<number> {
    let correlated = 0;
    const tried = new Set<string>();
    for (let look = 0; look < 2; look++) {
      const subscribers = (await this.messages.subscribers(name, correlationKey)).filter((s) => !reached.has(s.processId) && !tried.has(s.instanceId));
      if (subscribers.length === 0) break;
      for (const { instanceId, processId } of subscribers) {
        if (reached.has(processId)) continue;
        tried.add(instanceId);
        // A subscription of this process that opened meanwhile collected the buffered message itself.
        if (messageKey !== null && !(await this.messages.claim(messageKey, processId, instanceId))) {
          reached.add(processId);
          continue;
        }
        const taken = await this.deliver(instanceId, name, correlationKey, variables, messageKey, messageId);
        if (taken > 0) {
          correlated += taken;
          reached.add(processId);
        } else if (messageKey !== null) {
          await this.messages.unclaim(messageKey, processId, instanceId);
        }
      }
    }
    return correlated;
  }

  private async deliver(
    instanceId: string,
    name: string,
    correlationKey: string,
    variables: Record<string, unknown>,
    messageKey: string | null,
    messageId: string | null,
  ): Promise<number> {
    // Temporal answers a repeated update id with the first result: one message, one effect per instance.
    const updateId = messageId !== null ? `message:${messageId}` : messageKey !== null ? `message-key:${messageKey}` : undefined;
    try {
      return await withTemporalDeadline(this.client, () =>
        this.client.workflow
          .getHandle(instanceId)
          .executeUpdate(deliverMessageUpdate, { args: [{ name, correlationKey, variables }], ...(updateId !== undefined ? { updateId } : {}) }),
      );
    } catch (error) {
      // The instance ended after the subscription was read: it simply does not receive the message.
      if (error instanceof WorkflowNotFoundError) return 0;
      throw error;
    }
  }

  /** When a message published now with this time-to-live expires; refuses one longer than the configured maximum. */
  private expiry(now: Date, timeToLive: string): Date {
    const zone = this.config.engine.timeZone;
    const expiresAt = addDuration(now.getTime(), parseDuration(timeToLive), zone);
    const limit = addDuration(now.getTime(), parseDuration(this.config.engine.maxMessageTimeToLive), zone);
    if (expiresAt > limit) {
      throw new InvalidRequestError('timeToLive', `timeToLive ${timeToLive} is longer than the longest allowed, ${this.config.engine.maxMessageTimeToLive}`);
    }
    return new Date(expiresAt);
  }

  private async previousDelivery(messageId: string, name: string, correlationKey: string): Promise<MessagePublishedDto> {
    const deadline = Date.now() + DUPLICATE_WAIT_MS;
    for (;;) {
      const delivery = await this.messages.delivery(messageId);
      if (delivery && (delivery.name !== name || delivery.correlationKey !== correlationKey)) {
        throw new ConflictError(`messageId "${messageId}" was already used for message "${delivery.name}" with another correlation key or name`, {
          messageId,
        });
      }
      const outcome = delivery?.outcome;
      if (outcome) {
        // Answers kept by the first release have only the counts.
        return {
          outcome: outcome.outcome ?? (outcome.correlated > 0 ? 'correlated' : 'dropped'),
          correlated: outcome.correlated,
          startedInstances: outcome.startedInstances,
          bufferedUntil: outcome.bufferedUntil ?? null,
          messageKey: outcome.messageKey ?? null,
          duplicate: true,
        };
      }
      // The first publication of this id failed and released its claim meanwhile.
      if (!delivery) throw new ConflictError(`the first delivery of message "${messageId}" failed; send it again`, { messageId });
      if (Date.now() > deadline) throw new ConflictError(`message "${messageId}" is still being delivered; try again`, { messageId });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
