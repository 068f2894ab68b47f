import type { NativeConnection } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { PROCESS_SEARCH_ATTRIBUTES } from '@xuncha/contracts';

const INDEXED_TYPE = {
  Keyword: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
  Datetime: temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
} as const;

/**
 * Registers the process search attributes in the namespace when they are missing, so workflows
 * can set them; answers the names it added. A cluster that refuses (no operator permission)
 * fails the worker's start with the reason, rather than every workflow task later.
 */
export async function ensureSearchAttributes(connection: NativeConnection, namespace: string): Promise<string[]> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const known = new Set([...Object.keys(existing.customAttributes ?? {}), ...Object.keys(existing.systemAttributes ?? {})]);
  const missing = Object.entries(PROCESS_SEARCH_ATTRIBUTES).filter(([name]) => !known.has(name));
  if (missing.length === 0) return [];
  try {
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(missing.map(([name, type]) => [name, INDEXED_TYPE[type]])),
    });
  } catch (error) {
    // Another worker starting at the same moment may have added them.
    const after = await connection.operatorService.listSearchAttributes({ namespace });
    if (missing.some(([name]) => !(name in (after.customAttributes ?? {})))) {
      throw new Error(
        `Cannot register the search attributes ${missing.map(([n]) => n).join(', ')} in namespace "${namespace}": ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  return missing.map(([name]) => name);
}
