import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** An open message subscription of an instance, so `POST /messages` knows which instances to ask. */
@Entity({ name: 'message_subscription' })
@Index('IDX_message_subscription_lookup', ['messageName', 'correlationKey'])
export class MessageSubscription {
  @PrimaryColumn({ name: 'instance_id', type: 'varchar', length: 255 })
  instanceId!: string;

  @PrimaryColumn({ name: 'subscription_id', type: 'varchar', length: 64 })
  subscriptionId!: string;

  @Column({ name: 'element_id', type: 'varchar', length: 255 })
  elementId!: string;

  @Column({ name: 'message_name', type: 'varchar', length: 255 })
  messageName!: string;

  @Column({ name: 'correlation_key', type: 'varchar', length: 255 })
  correlationKey!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
