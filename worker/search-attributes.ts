import { type Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { ALL_SEARCH_ATTRIBUTES } from '../workflows/search-attributes';

type IndexedValueType = proto.temporal.api.enums.v1.IndexedValueType;
const { IndexedValueType } = proto.temporal.api.enums.v1;
const TYPE_CODES: Record<string, IndexedValueType> = {
  KEYWORD: IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
};

/** Registers our custom search attributes in the namespace (idempotent), so workflows can be filtered in Temporal UI. */
export async function ensureSearchAttributes(connection: Connection, namespace: string): Promise<void> {
  const existing = await connection.operatorService.listSearchAttributes({ namespace });
  const missing = ALL_SEARCH_ATTRIBUTES.filter((k) => !existing.customAttributes?.[k.name]);
  if (missing.length === 0) return;
  const searchAttributes: Record<string, IndexedValueType> = {};
  for (const key of missing) {
    const code = TYPE_CODES[key.type];
    if (code === undefined) throw new Error(`No index type mapping for ${key.type}`);
    searchAttributes[key.name] = code;
  }
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
}
