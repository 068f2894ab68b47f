import { ProcessDefinitionVersion } from './process-definition.entity';
import { SmokeRecord } from './smoke-record.entity';

export { ProcessDefinitionVersion, SmokeRecord };

/** Every entity the data source knows. */
export const ENTITIES = [SmokeRecord, ProcessDefinitionVersion];
