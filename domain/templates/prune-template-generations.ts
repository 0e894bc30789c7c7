/**
 * Retention of template generations (模板生成): a generation row holds the field values a user typed
 * (names, amounts, addresses) only so the workflow can read them without putting them in its
 * history; once the document was delivered or the request gave up, nothing reads the row again. The
 * generated PDF is deleted when the API delivers it; one whose API request timed out (503) or
 * crashed is never fetched. Both are removed here, run by the reconcile Schedule's housekeeping step.
 */
import type { EntityManager } from '@mikro-orm/core';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { TemplateGenerationSchema } from './template-generation.entity';

export interface TemplateGenerationRetention {
  /** Rows (with their field values) are kept this long: well past any generation's own time budget. */
  rowTtlMs: number;
  /** A generated PDF not delivered within this time never will be (the API waits seconds, not minutes). */
  fileTtlMs: number;
}

export const DEFAULT_TEMPLATE_GENERATION_RETENTION: TemplateGenerationRetention = { rowTtlMs: 24 * 3600_000, fileTtlMs: 30 * 60_000 };

export const TEMPLATE_GENERATIONS_PREFIX = 'template-generations';

export async function pruneTemplateGenerations(
  em: EntityManager,
  store: Pick<DocumentStore, 'list' | 'delete' | 'deletePartial'>,
  retention: TemplateGenerationRetention = DEFAULT_TEMPLATE_GENERATION_RETENTION,
  now = new Date(),
): Promise<{ rows: number; files: number }> {
  const rows = await em.fork().nativeDelete(TemplateGenerationSchema, { createdAt: { $lt: new Date(now.getTime() - retention.rowTtlMs) } });
  let files = 0;
  const cutoff = now.getTime() - retention.fileTtlMs;
  for await (const entry of store.list(TEMPLATE_GENERATIONS_PREFIX)) {
    if (entry.modifiedAt.getTime() > cutoff) continue;
    if (entry.partial) await store.deletePartial(entry);
    else await store.delete(entry.key);
    files++;
  }
  return { rows, files };
}
