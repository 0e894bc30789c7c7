/**
 * Per-row isolation for a reconciler's pass (reconcile-contracts.ts, reconcile-transfers.ts,
 * reconcile-certificate-orders.ts, reconcile-recertifications.ts, reconcile-batches.ts): one row
 * whose repair keeps throwing must not fail the whole pass every time — the rows after it would
 * never be repaired (with fewer rows than the limit, the pass cursor starts over at the oldest and
 * meets the broken row first again). Its failure is reported and logged; the pass goes on, and a
 * later pass tries the row again.
 */
import { redactSqlValues } from './redact-sql-values';

/**
 * Runs `repair` for the row `id` (a `what`, for the log). If it throws, `failed` gets the error's
 * text (a failed statement's values masked: the report lands in the workflow's history) and the
 * caller goes on with its next row.
 */
export async function eachRow(what: string, id: string, repair: () => Promise<void>, failed: (error: string) => void): Promise<void> {
  try {
    await repair();
  } catch (err) {
    const error = redactSqlValues(String(err));
    console.warn(`[reconcile] ${what} ${id} not repaired in this pass (the pass goes on): ${error}`);
    failed(error);
  }
}
