import { SmokeRecord } from './smoke-record.entity';

export { SmokeRecord };

/** Every entity the data source knows. */
export const ENTITIES = [SmokeRecord];
