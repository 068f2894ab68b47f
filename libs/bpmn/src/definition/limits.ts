/** Largest definition accepted, in bytes. */
export const MAX_DEFINITION_BYTES = 5 * 1024 * 1024;

/** Most flow elements (nodes and flows, all scopes) a definition may hold. */
export const MAX_FLOW_ELEMENTS = 5_000;

/**
 * Deepest element nesting accepted. Real definitions nest a few dozen levels; far deeper input
 * only serves to exhaust the stack of whatever walks the tree.
 */
export const MAX_XML_DEPTH = 256;
