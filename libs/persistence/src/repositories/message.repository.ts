import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { MessageDelivery } from '../entities/message-delivery.entity';

/** A subscription a published message may reach: the instance and its process id. */
export interface Subscriber {
  instanceId: string;
  processId: string;
}

/** A buffered message as a subscription collects it. */
export interface StoredMessage {
  key: string;
  name: string;
  correlationKey: string;
  variables: Record<string, unknown>;
}

/** A buffered message as GET /messages lists it. */
export interface BufferedMessageRow {
  key: string;
  name: string;
  correlationKey: string;
  messageId: string | null;
  variableNames: string[];
  publishedAt: Date;
  expiresAt: Date;
  /** Process ids it has reached (each at most once). */
  correlatedProcesses: string[];
}

/** What a publication answered, kept under its messageId so a repeat gets it again. */
export interface DeliveryOutcome {
  outcome: 'correlated' | 'buffered' | 'dropped';
  correlated: number;
  startedInstances: string[];
  bufferedUntil: string | null;
  messageKey: string | null;
}

/** The rows a DELETE … RETURNING gave back: TypeORM's Postgres driver answers those with [rows, affected count]. */
function returnedRows<T>(result: unknown): T[] {
  if (Array.isArray(result) && result.length === 2 && Array.isArray(result[0]) && typeof result[1] === 'number') return result[0] as T[];
  return result as T[];
}

/** How often a subscription looks for another buffered message when the one it chose was taken meanwhile. */
const COLLECT_ATTEMPTS = 5;

/**
 * Port for messages: who subscribes, what is buffered, which process each buffered message
 * reached, the start locks of message start events, and the answers kept per messageId.
 * Every step is one statement, each writer writes before it reads (a publication buffers and
 * then looks for subscriptions; an opened subscription is recorded and then looks for buffered
 * messages), so a message and a subscription that meet at the same moment always find each
 * other, on Postgres and on the embedded database alike.
 */
@Injectable()
export class MessageRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Buffers a message until `expiresAt`; answers its key (publication order). A message with a
   * messageId that is still buffered (a publication retried after it failed half-way) keeps its
   * key, so the processes it reached are not reached again. Expired messages are purged on the way.
   */
  async buffer(message: { name: string; correlationKey: string; variables: Record<string, unknown>; messageId: string | null; publishedAt: Date; expiresAt: Date }): Promise<string> {
    await this.dataSource.query(`DELETE FROM message WHERE expires_at < now() - interval '1 day'`);
    if (message.messageId !== null) {
      const earlier: Array<{ key: string }> = await this.dataSource.query(
        `SELECT key::text AS key FROM message WHERE message_id = $1 AND name = $2 AND correlation_key = $3 AND expires_at > now() ORDER BY key LIMIT 1`,
        [message.messageId, message.name, message.correlationKey],
      );
      if (earlier[0]) return earlier[0].key;
    }
    const rows: Array<{ key: string }> = await this.dataSource.query(
      `INSERT INTO message (name, correlation_key, variables, message_id, published_at, expires_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6) RETURNING key::text AS key`,
      [message.name, message.correlationKey, JSON.stringify(message.variables), message.messageId, message.publishedAt.toISOString(), message.expiresAt.toISOString()],
    );
    return rows[0]!.key;
  }

  /**
   * Forgets a buffered message that has reached nothing yet: a publication that failed
   * half-way. One that has reached a process stays, so a retry (same messageId) goes on from it.
   */
  async discard(messageKey: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM message m WHERE m.key = $1::bigint AND NOT EXISTS (SELECT 1 FROM message_correlation c WHERE c.message_key = m.key)`, [
      messageKey,
    ]);
  }

  /** A buffered message that has not expired, with the processes it has reached. */
  async find(messageKey: string): Promise<(StoredMessage & { correlatedProcesses: string[] }) | null> {
    const rows: Array<{ key: string; name: string; correlation_key: string; variables: Record<string, unknown>; processes: string[] | null }> = await this.dataSource.query(
      `SELECT m.key::text AS key, m.name, m.correlation_key, m.variables,
         (SELECT array_agg(c.process_id) FROM message_correlation c WHERE c.message_key = m.key) AS processes
       FROM message m WHERE m.key = $1::bigint AND m.expires_at > now()`,
      [messageKey],
    );
    const row = rows[0];
    return row ? { key: row.key, name: row.name, correlationKey: row.correlation_key, variables: row.variables, correlatedProcesses: row.processes ?? [] } : null;
  }

  /** The start locks an instance holds. */
  async startLocksOf(instanceId: string): Promise<Array<{ processId: string; correlationKey: string }>> {
    const rows: Array<{ process_id: string; correlation_key: string }> = await this.dataSource.query(
      `SELECT process_id, correlation_key FROM message_start_lock WHERE instance_id = $1 ORDER BY process_id, correlation_key`,
      [instanceId],
    );
    return rows.map((row) => ({ processId: row.process_id, correlationKey: row.correlation_key }));
  }

  /** Instances with a subscription for this message name and correlation key, with their process ids, oldest subscription first. */
  async subscribers(messageName: string, correlationKey: string): Promise<Subscriber[]> {
    const rows: Array<{ instance_id: string; process_id: string }> = await this.dataSource.query(
      `SELECT s.instance_id, i.definition_key AS process_id FROM message_subscription s
       JOIN process_instance i ON i.id = s.instance_id
       WHERE s.message_name = $1 AND s.correlation_key = $2
       GROUP BY s.instance_id, i.definition_key ORDER BY min(s.created_at), s.instance_id`,
      [messageName, correlationKey],
    );
    return rows.map((row) => ({ instanceId: row.instance_id, processId: row.process_id }));
  }

  /**
   * Marks a buffered message as reaching `processId` through `instanceId`; false when it has
   * reached (or is being delivered to) an instance of that process already.
   */
  async claim(messageKey: string, processId: string, instanceId: string, subscriptionId: string | null = null): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO message_correlation (message_key, process_id, instance_id, subscription_id, correlated_at)
       VALUES ($1::bigint, $2, $3, $4, now()) ON CONFLICT DO NOTHING RETURNING 1`,
      [messageKey, processId, instanceId, subscriptionId],
    );
    return rows.length > 0;
  }

  /** Takes back a claim whose delivery the instance did not accept, so another instance of the process may get the message. */
  async unclaim(messageKey: string, processId: string, instanceId: string): Promise<void> {
    await this.dataSource.query(`DELETE FROM message_correlation WHERE message_key = $1::bigint AND process_id = $2 AND instance_id = $3`, [messageKey, processId, instanceId]);
  }

  /**
   * What a subscription, just recorded, collects: the oldest buffered message for its name and
   * key that has not expired and has not reached its process, claimed for it. Asked again for
   * the same subscription (a retried activity), it answers the message it claimed before.
   */
  async collect(subscription: { instanceId: string; processId: string; subscriptionId: string; messageName: string; correlationKey: string }): Promise<StoredMessage | null> {
    const { instanceId, processId, subscriptionId, messageName, correlationKey } = subscription;
    const select = `SELECT m.key::text AS key, m.name, m.correlation_key, m.variables FROM message m`;
    const earlier: Array<{ key: string; name: string; correlation_key: string; variables: Record<string, unknown> }> = await this.dataSource.query(
      `${select} JOIN message_correlation c ON c.message_key = m.key WHERE c.instance_id = $1 AND c.subscription_id = $2`,
      [instanceId, subscriptionId],
    );
    const found = earlier[0];
    if (found) return { key: found.key, name: found.name, correlationKey: found.correlation_key, variables: found.variables };
    for (let attempt = 0; attempt < COLLECT_ATTEMPTS; attempt++) {
      const rows: Array<{ key: string; name: string; correlation_key: string; variables: Record<string, unknown>; claimed: boolean }> = await this.dataSource.query(
        `WITH candidate AS (
           SELECT m.key FROM message m
           WHERE m.name = $1 AND m.correlation_key = $2 AND m.expires_at > now()
             AND NOT EXISTS (SELECT 1 FROM message_correlation c WHERE c.message_key = m.key AND c.process_id = $3)
           ORDER BY m.key LIMIT 1
         ), claimed AS (
           INSERT INTO message_correlation (message_key, process_id, instance_id, subscription_id, correlated_at)
           SELECT key, $3, $4, $5, now() FROM candidate
           ON CONFLICT DO NOTHING RETURNING message_key
         )
         SELECT m.key::text AS key, m.name, m.correlation_key, m.variables, EXISTS (SELECT 1 FROM claimed) AS claimed
         FROM message m JOIN candidate ON candidate.key = m.key`,
        [messageName, correlationKey, processId, instanceId, subscriptionId],
      );
      const row = rows[0];
      if (!row) return null;
      if (row.claimed) return { key: row.key, name: row.name, correlationKey: row.correlation_key, variables: row.variables };
    }
    return null;
  }

  /** The oldest buffered message, with one of `names` and this key, that has not reached `processId`. */
  async oldestFor(processId: string, names: string[], correlationKey: string): Promise<StoredMessage | null> {
    if (names.length === 0) return null;
    const rows: Array<{ key: string; name: string; correlation_key: string; variables: Record<string, unknown> }> = await this.dataSource.query(
      `SELECT m.key::text AS key, m.name, m.correlation_key, m.variables FROM message m
       WHERE m.name = ANY($1::text[]) AND m.correlation_key = $2 AND m.expires_at > now()
         AND NOT EXISTS (SELECT 1 FROM message_correlation c WHERE c.message_key = m.key AND c.process_id = $3)
       ORDER BY m.key LIMIT 1`,
      [names, correlationKey, processId],
    );
    const row = rows[0];
    return row ? { key: row.key, name: row.name, correlationKey: row.correlation_key, variables: row.variables } : null;
  }

  /**
   * Takes the start lock of a process and correlation key for an instance; false while another
   * instance holds it. `takeOverFrom`, an ended instance that holds it, hands it over in the same
   * statement, so the lock is never free for a moment in which a message could slip past.
   */
  async lockStart(processId: string, correlationKey: string, instanceId: string, takeOverFrom: string | null = null): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `INSERT INTO message_start_lock (process_id, correlation_key, instance_id, created_at) VALUES ($1, $2, $3, now())
       ON CONFLICT (process_id, correlation_key) DO UPDATE SET instance_id = EXCLUDED.instance_id, created_at = now()
       WHERE message_start_lock.instance_id = EXCLUDED.instance_id OR message_start_lock.instance_id = $4 RETURNING 1`,
      [processId, correlationKey, instanceId, takeOverFrom],
    );
    return rows.length > 0;
  }

  /** Releases the start locks an ended instance held; answers them, so the next buffered message may start an instance. */
  async releaseStartLocks(instanceId: string): Promise<Array<{ processId: string; correlationKey: string }>> {
    const rows = returnedRows<{ process_id: string; correlation_key: string }>(
      await this.dataSource.query(`DELETE FROM message_start_lock WHERE instance_id = $1 RETURNING process_id, correlation_key`, [instanceId]),
    );
    return rows.map((row) => ({ processId: row.process_id, correlationKey: row.correlation_key }));
  }

  /** Buffered messages that have not expired, oldest first. */
  async buffered(filter: { name?: string; correlationKey?: string; limit: number; offset: number }): Promise<{ items: BufferedMessageRow[]; total: number }> {
    const where = `m.expires_at > now() AND ($1::text IS NULL OR m.name = $1) AND ($2::text IS NULL OR m.correlation_key = $2)`;
    const params = [filter.name ?? null, filter.correlationKey ?? null];
    const [rows, counted]: [
      Array<{ key: string; name: string; correlation_key: string; message_id: string | null; variable_names: string[] | null; published_at: Date; expires_at: Date; processes: string[] | null }>,
      Array<{ total: number }>,
    ] = await Promise.all([
      this.dataSource.query(
        `SELECT m.key::text AS key, m.name, m.correlation_key, m.message_id, m.published_at, m.expires_at,
           (SELECT array_agg(k ORDER BY k) FROM jsonb_object_keys(m.variables) AS k) AS variable_names,
           (SELECT array_agg(c.process_id ORDER BY c.process_id) FROM message_correlation c WHERE c.message_key = m.key) AS processes
         FROM message m WHERE ${where} ORDER BY m.key LIMIT $3 OFFSET $4`,
        [...params, filter.limit, filter.offset],
      ),
      this.dataSource.query(`SELECT count(*)::int AS total FROM message m WHERE ${where}`, params),
    ]);
    return {
      items: rows.map((row) => ({
        key: row.key,
        name: row.name,
        correlationKey: row.correlation_key,
        messageId: row.message_id,
        variableNames: row.variable_names ?? [],
        publishedAt: new Date(row.published_at),
        expiresAt: new Date(row.expires_at),
        correlatedProcesses: row.processes ?? [],
      })),
      total: counted[0]?.total ?? 0,
    };
  }

  /** Claims a message id for publication; false when it was claimed before (see {@link delivery}). */
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

  async completeDelivery(messageId: string, outcome: DeliveryOutcome): Promise<void> {
    await this.dataSource.getRepository(MessageDelivery).update({ messageId }, { outcome });
  }

  /** Forgets a claim whose publication failed, so the sender may try again with the same id. */
  async releaseDelivery(messageId: string): Promise<void> {
    await this.dataSource.getRepository(MessageDelivery).delete({ messageId, outcome: IsNull() });
  }
}
