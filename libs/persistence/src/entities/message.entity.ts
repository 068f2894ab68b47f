import { Column, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';

/** A published message with a time-to-live, buffered until it expires for subscriptions opened later. */
@Entity({ name: 'message' })
@Index('IDX_message_lookup', ['name', 'correlationKey', 'key'])
@Index('IDX_message_expiry', ['expiresAt'])
export class BufferedMessage {
  /** Publication order: a subscription collects the oldest eligible message first. */
  @PrimaryGeneratedColumn({ type: 'bigint' })
  key!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'correlation_key', type: 'varchar', length: 255 })
  correlationKey!: string;

  @Column({ type: 'jsonb', default: {} })
  variables!: Record<string, unknown>;

  @Column({ name: 'message_id', type: 'varchar', length: 255, nullable: true })
  messageId!: string | null;

  @Column({ name: 'published_at', type: 'timestamptz' })
  publishedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;
}

/** A buffered message reached an instance of this process: it reaches no other instance of it. */
@Entity({ name: 'message_correlation' })
@Index('IDX_message_correlation_instance', ['instanceId', 'subscriptionId'])
export class MessageCorrelation {
  @PrimaryColumn({ name: 'message_key', type: 'bigint' })
  messageKey!: string;

  @PrimaryColumn({ name: 'process_id', type: 'varchar', length: 255 })
  processId!: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  /** The subscription that collected it when it opened; null when the publication delivered it. */
  @Column({ name: 'subscription_id', type: 'varchar', length: 64, nullable: true })
  subscriptionId!: string | null;

  @Column({ name: 'correlated_at', type: 'timestamptz' })
  correlatedAt!: Date;
}

/** An instance a message start event started with this correlation key: no second one starts while it runs. */
@Entity({ name: 'message_start_lock' })
@Index('IDX_message_start_lock_instance', ['instanceId'])
export class MessageStartLock {
  @PrimaryColumn({ name: 'process_id', type: 'varchar', length: 255 })
  processId!: string;

  @PrimaryColumn({ name: 'correlation_key', type: 'varchar', length: 255 })
  correlationKey!: string;

  @Column({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
