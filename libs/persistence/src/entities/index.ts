import { MessageDelivery } from './message-delivery.entity';
import { MessageSubscription } from './message-subscription.entity';
import { ProcessDefinitionVersion } from './process-definition.entity';
import { ProcessInstance } from './process-instance.entity';
import { SmokeRecord } from './smoke-record.entity';

export { MessageDelivery, MessageSubscription, ProcessDefinitionVersion, ProcessInstance, SmokeRecord };

/** Every entity the data source knows. */
export const ENTITIES = [SmokeRecord, ProcessDefinitionVersion, ProcessInstance, MessageSubscription, MessageDelivery];
