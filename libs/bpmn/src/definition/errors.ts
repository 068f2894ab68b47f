/** The upload is larger than {@link MAX_DEFINITION_BYTES}; refused before parsing. */
export class DefinitionTooLargeError extends Error {
  constructor(
    readonly bytes: number,
    readonly limit: number,
  ) {
    super(`The definition is ${bytes} bytes; the limit is ${limit} bytes`);
    this.name = 'DefinitionTooLargeError';
  }
}

/** The upload is not XML text at all (binary, not UTF-8, or empty). */
export class NotXmlError extends Error {
  constructor(readonly reason: string) {
    super(`The upload is not a BPMN XML document: ${reason}`);
    this.name = 'NotXmlError';
  }
}
