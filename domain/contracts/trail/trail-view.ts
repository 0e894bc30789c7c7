/**
 * The 签署轨迹 as the API sends it (GET /contracts/:id/trail and /trail/verify): JSON, instants as ISO
 * strings. The portal imports these types rather than keeping copies.
 */
import type { ContractEvent } from './contract-event.entity';
import { describeContractEvent } from './contract-event-types';
import type { TrailVerification } from './verify-contract-trail';

/**
 * One row of the 签署轨迹 as the portal shows it (oldest first). Without the chain hash: it covers each actor's
 * address, which viewers are not shown, and with the other fields they can read (here and in the contract's
 * audit list) an IPv4 address is found by trying them all against it. Viewers get the chain's check from
 * /trail/verify instead.
 */
export function trailEntryView(e: ContractEvent) {
  let payload: unknown = null;
  try {
    payload = JSON.parse(e.payload);
  } catch {
    // A hand-edited row: shown without a summary; the verification names it.
  }
  const d = describeContractEvent(e.type, payload);
  return { seq: e.seq, type: e.type, label: d.label, labelEn: d.labelEn, at: e.at.toISOString(), actorName: e.actorName, summary: d.summary, summaryEn: d.summaryEn, documentSha256: e.documentSha256 };
}
export type TrailEntryView = ReturnType<typeof trailEntryView>;

/** One page of GET /contracts/:id/trail (`nextAfter`: the cursor of the next page, null after the last). */
export interface TrailPageView {
  items: TrailEntryView[];
  nextAfter: number | null;
}

/** GET /contracts/:id/trail/verify: the check, with the broken event's label (the portal may not have loaded the page that holds it). */
export function trailCheckView(result: TrailVerification) {
  const b = result.brokenAt;
  const labels = b?.type ? describeContractEvent(b.type, null) : null;
  return { ...result, brokenAt: b ? { seq: b.seq, type: b.type, label: labels?.label ?? null, labelEn: labels?.labelEn ?? null, at: b.at?.toISOString() ?? null, reason: b.reason } : null };
}
export type TrailCheckView = ReturnType<typeof trailCheckView>;
