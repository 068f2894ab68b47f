import { Inject, Injectable } from '@nestjs/common';
import { addDuration, formatDateTime, parseDuration } from '@xuncha/bpmn-engine';
import type { AppConfig } from '@xuncha/config';
import { APP_CONFIG } from '@xuncha/config';
import { ConflictError, InvalidRequestError } from '@xuncha/contracts';
import type { DeliveryOutcome } from '@xuncha/persistence';
import { MessageRepository } from '@xuncha/persistence';
import { MessageCorrelator } from '@xuncha/runtime';
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
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly messages: MessageRepository,
    private readonly correlator: MessageCorrelator,
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
      const message = { name, correlationKey, variables, messageKey, messageId };
      const correlated = await this.correlator.correlate(message, reached);
      const startedInstances = await this.correlator.start(message, reached);
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
