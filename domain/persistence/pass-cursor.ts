/**
 * Where a bounded pass over a growing set of rows stopped, so the next pass goes on from there
 * (keyset order: createdAt, then id). A reconciler that re-read the oldest `limit` rows every pass
 * never reached a broken row behind them while more than `limit` healthy ones were open.
 */
export interface PassCursor {
  /** The last row of the previous pass; null: start from the oldest. */
  after: { createdAt: Date; id: string } | null;
}

/** The filter for rows after the cursor (none when it is at the start). */
export function afterCursor(cursor: PassCursor | undefined): Record<string, unknown> {
  const after = cursor?.after;
  if (!after) return {};
  return { $or: [{ createdAt: { $gt: after.createdAt } }, { createdAt: after.createdAt, id: { $gt: after.id } }] };
}

/** Moves the cursor past this pass's rows; a pass that found fewer than `limit` reached the end, so the next starts over. */
export function advanceCursor(cursor: PassCursor | undefined, rows: readonly { createdAt: Date; id: string }[], limit: number): void {
  if (!cursor) return;
  const last = rows.at(-1);
  cursor.after = rows.length < limit || !last ? null : { createdAt: last.createdAt, id: last.id };
}
