import { Column, Entity, PrimaryColumn } from 'typeorm';

/** A published message with a `messageId`: the same id again is answered from here, with no second effect. */
@Entity({ name: 'message_delivery' })
export class MessageDelivery {
  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 255 })
  messageId!: string;

  @Column({ type: 'varchar', length: 255 })
  name!: string;

  @Column({ name: 'correlation_key', type: 'varchar', length: 255 })
  correlationKey!: string;

  /** Null while the first delivery is under way; answers of the first release lack all but the first two fields. */
  @Column({ type: 'jsonb', nullable: true })
  outcome!: {
    correlated: number;
    startedInstances: string[];
    outcome?: 'correlated' | 'buffered' | 'dropped';
    bufferedUntil?: string | null;
    messageKey?: string | null;
  } | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
