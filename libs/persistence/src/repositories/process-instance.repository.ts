import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { InstanceRecord, InstanceState } from '@xuncha/contracts';
import { DataSource, IsNull } from 'typeorm';
import { MessageDelivery } from '../entities/message-delivery.entity';
import { ProcessInstance } from '../entities/process-instance.entity';

/** Filters of the instance list. */
export interface InstanceFilter {
  definitionKey?: string;
  state?: InstanceState;
  businessKey?: string;
  limit: number;
  offset: number;
}

/** Port for the instance read models: instance rows, open message subscriptions, delivered message ids. */
@Injectable()
export class ProcessInstanceRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Registers an instance the API is about to start; a row that already exists is left as it is. */
  async register(row: Pick<ProcessInstance, 'id' | 'definitionKey' | 'definitionVersion' | 'businessKey' | 'startedAt'>): Promise<void> {
    await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(ProcessInstance)
      .values({ ...row, parentId: null, state: 'active', incidents: 0, variables: null, endedAt: null, updatedAt: new Date() })
      .orIgnore()
      .execute();
  }

  /** Removes a registered row whose workflow could not be started, so nothing half-made stays behind. */
  async unregister(id: string): Promise<void> {
    await this.dataSource.getRepository(ProcessInstance).delete({ id, state: 'active' });
  }

  /**
   * Applies one change from the workflow in a single statement (atomic without a transaction,
   * which the embedded database's single connection cannot interleave): the instance row is
   * upserted, opened subscriptions added, closed ones (all of them once the instance ended) removed.
   */
  async record(change: InstanceRecord): Promise<void> {
    const closed = new Set(change.closedSubscriptions);
    const opened = change.openSubscriptions.filter((s) => !closed.has(s.subscriptionId));
    const ended = change.state === 'completed' || change.state === 'cancelled';
    await this.dataSource.query(
      `WITH upserted AS (
         INSERT INTO process_instance (id, definition_key, definition_version, business_key, parent_id, state, incidents, variables, started_at, ended_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, to_timestamp($9 / 1000.0), to_timestamp($10 / 1000.0), now())
         ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, incidents = EXCLUDED.incidents, variables = EXCLUDED.variables,
           business_key = EXCLUDED.business_key, parent_id = EXCLUDED.parent_id, ended_at = EXCLUDED.ended_at, updated_at = now()
         RETURNING id
       ), opened AS (
         INSERT INTO message_subscription (instance_id, subscription_id, element_id, message_name, correlation_key, created_at)
         SELECT $1, s.subscription_id, s.element_id, s.message_name, s.correlation_key, now()
         FROM jsonb_to_recordset($11::jsonb) AS s(subscription_id text, element_id text, message_name text, correlation_key text)
         WHERE NOT $12
         ON CONFLICT DO NOTHING
         RETURNING 1
       ), closed AS (
         DELETE FROM message_subscription WHERE instance_id = $1 AND ($12 OR subscription_id = ANY($13::text[]))
         RETURNING 1
       )
       SELECT (SELECT count(*) FROM upserted) AS instances, (SELECT count(*) FROM opened) AS opened, (SELECT count(*) FROM closed) AS closed`,
      [
        change.instanceId,
        change.definition.key,
        change.definition.version,
        change.businessKey,
        change.parentInstanceId,
        change.state,
        change.incidents,
        change.variables === null ? null : JSON.stringify(change.variables),
        change.startedAt,
        change.endedAt,
        JSON.stringify(
          opened.map((s) => ({ subscription_id: s.subscriptionId, element_id: s.elementId, message_name: s.messageName, correlation_key: s.correlationKey })),
        ),
        ended,
        [...closed],
      ],
    );
  }

  find(id: string): Promise<ProcessInstance | null> {
    return this.dataSource.getRepository(ProcessInstance).findOneBy({ id });
  }

  /** Instances matching the filter, newest first, with the total count. */
  async list(filter: InstanceFilter): Promise<{ items: ProcessInstance[]; total: number }> {
    const query = this.dataSource
      .getRepository(ProcessInstance)
      .createQueryBuilder('i')
      .select(['i.id', 'i.definitionKey', 'i.definitionVersion', 'i.businessKey', 'i.parentId', 'i.state', 'i.incidents', 'i.startedAt', 'i.endedAt', 'i.updatedAt']);
    if (filter.definitionKey !== undefined) query.andWhere('i.definition_key = :key', { key: filter.definitionKey });
    if (filter.state !== undefined) query.andWhere('i.state = :state', { state: filter.state });
    if (filter.businessKey !== undefined) query.andWhere('i.business_key = :businessKey', { businessKey: filter.businessKey });
    const [items, total] = await query.orderBy('i.started_at', 'DESC').addOrderBy('i.id', 'ASC').take(filter.limit).skip(filter.offset).getManyAndCount();
    return { items, total };
  }

  /** Active instances with a subscription for this message name and correlation key, oldest subscription first. */
  async subscribers(messageName: string, correlationKey: string): Promise<string[]> {
    const rows: Array<{ instance_id: string }> = await this.dataSource.query(
      `SELECT s.instance_id FROM message_subscription s
       WHERE s.message_name = $1 AND s.correlation_key = $2
       GROUP BY s.instance_id ORDER BY min(s.created_at), s.instance_id`,
      [messageName, correlationKey],
    );
    return rows.map((row) => row.instance_id);
  }

  /** Claims a message id for delivery; false when it was claimed before (see {@link delivery}). */
  async claimDelivery(messageId: string, name: string, correlationKey: string): Promise<boolean> {
    const result = await this.dataSource
      .createQueryBuilder()
      .insert()
      .into(MessageDelivery)
      .values({ messageId, name, correlationKey, outcome: null, createdAt: new Date() })
      .orIgnore()
      .returning(['messageId'])
      .execute();
    return (result.raw as unknown[]).length > 0;
  }

  delivery(messageId: string): Promise<MessageDelivery | null> {
    return this.dataSource.getRepository(MessageDelivery).findOneBy({ messageId });
  }

  async completeDelivery(messageId: string, outcome: { correlated: number; startedInstances: string[] }): Promise<void> {
    await this.dataSource.getRepository(MessageDelivery).update({ messageId }, { outcome });
  }

  /** Forgets a claim whose delivery failed, so the sender may try again with the same id. */
  async releaseDelivery(messageId: string): Promise<void> {
    await this.dataSource.getRepository(MessageDelivery).delete({ messageId, outcome: IsNull() });
  }
}
