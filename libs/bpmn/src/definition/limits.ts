/** Largest definition accepted, in bytes. */
export const MAX_DEFINITION_BYTES = 5 * 1024 * 1024;

/** Most flow elements (nodes and flows, all scopes) a definition may hold. */
export const MAX_FLOW_ELEMENTS = 5_000;

/**
 * Deepest element nesting accepted. Real definitions nest a few dozen levels; far deeper input
 * only serves to exhaust the stack of whatever walks the tree.
 */
export const MAX_XML_DEPTH = 256;

/**
 * Most unknown elements, and most duplicate ids, a definition may have before it is refused
 * without being read into the model (each costs the model parser a pass over the text); also
 * the most problems of the model parser listed in one answer.
 */
export const MAX_UNREADABLE_ELEMENTS = 50;
