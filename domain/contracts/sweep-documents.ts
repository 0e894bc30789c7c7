import type { EntityManager } from '@mikro-orm/core';
import type { DocumentStore, StoredEntry } from '../../integrations/storage/document-store';
import { DocumentVersionSchema } from './document-version.entity';
import { IdempotencyKeySchema } from './idempotency-key.entity';

export interface SweepOptions {
  /** Only files at least this old are touched (a contract being created or signed right now writes its file before its row). */
  olderThanMs: number;
  /** Idempotency keys are kept this long. */
  keyTtlMs: number;
}

export const DEFAULT_SWEEP_OPTIONS: SweepOptions = { olderThanMs: 30 * 60_000, keyTtlMs: 24 * 3600_000 };

export interface SweepReport {
  partialFiles: number;
  orphanFiles: number;
  expiredKeys: number;
}

/**
 * Removes what crashes leave behind in contract storage: partial writes (`*.tmp`) and document
 * files no document version points to (a start that failed, a signing attempt that lost), both
 * only when older than `olderThanMs`; and idempotency keys past their time.
 */
export async function sweepContractStorage(em: EntityManager, store: DocumentStore, options: SweepOptions = DEFAULT_SWEEP_OPTIONS, now = new Date()): Promise<SweepReport> {
  const report: SweepReport = { partialFiles: 0, orphanFiles: 0, expiredKeys: 0 };
  const cutoff = now.getTime() - options.olderThanMs;
  let batch: StoredEntry[] = [];
  const checkBatch = async () => {
    const known = await em.fork().find(DocumentVersionSchema, { storageKey: { $in: batch.map((e) => e.key) } }, { fields: ['storageKey'] });
    const referenced = new Set(known.map((v) => v.storageKey));
    for (const entry of batch) {
      if (referenced.has(entry.key)) continue;
      await store.delete(entry.key);
      report.orphanFiles++;
    }
    batch = [];
  };
  for await (const entry of store.list('contracts')) {
    if (entry.modifiedAt.getTime() > cutoff) continue;
    if (entry.partial) {
      await store.deletePartial(entry);
      report.partialFiles++;
      continue;
    }
    batch.push(entry);
    if (batch.length >= 200) await checkBatch();
  }
  if (batch.length) await checkBatch();
  report.expiredKeys = await em.fork().nativeDelete(IdempotencyKeySchema, { createdAt: { $lt: new Date(now.getTime() - options.keyTtlMs) } });
  return report;
}
