// Loaded by path (dataConverter.failureConverterPath) in the workflow sandbox and the main thread alike.
import { DefaultFailureConverter } from '@temporalio/common';

/** Failure messages and stack traces travel as an encoded payload, so the payload codec encrypts them too. */
export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
