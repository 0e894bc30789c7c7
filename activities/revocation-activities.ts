/**
 * Activities that tell the CA about revoked certificates (issue 9): thin adapters to
 * domain/certificates/revoke-certificates.ts `pushRevocationsToCa`.
 * - `pushRevocations({ certificateIds })`: after a re-certification submission / 变更法人. If the CA
 *   could not be reached for some of them, the activity fails as infrastructure (a plain Error) so
 *   the calling workflow's bounded retry policy tries again; rows already pushed are not pushed twice.
 * - `sweepPendingRevocations()`: the periodic sweep (workflows/certificate-revocation-sweep.ts)
 *   pushes every row still pending, and fails the same way when the CA could not be reached for
 *   some (bounded retries in the sweep; the next scheduled run tries again).
 * Rows the CA refuses (not issued by it) are counted, not retried by the activity.
 */
import type { MikroORM } from '@mikro-orm/core';
import { pushRevocationsToCa, type PushReport } from '../domain/certificates/revoke-certificates';
import type { CaOrderGateway } from '../integrations/ca-orders/ca-order-gateway';
import { asActivityFailure } from './activity-errors';

export interface RevocationActivityDeps {
  orm: MikroORM;
  gateway: Pick<CaOrderGateway, 'revokeCertificate'>;
}

/** What a push did: how many were recorded at the CA, refused by it, or left for a retry. */
export interface RevocationPushResult {
  pushed: number;
  refused: number;
  failed: number;
}

/** Infrastructure failures: a plain Error, retried under the workflow's bounded policy. */
function orRetry(r: PushReport): PushReport {
  if (r.failed.length > 0) throw new Error(`CA revocation failed for ${r.failed.length} certificate(s): ${r.failed[0]!.error}`);
  return r;
}

const counts = (r: PushReport): RevocationPushResult => ({ pushed: r.pushed.length, refused: r.refused.length, failed: r.failed.length });

export function createRevocationActivities(deps: RevocationActivityDeps) {
  return {
    async pushRevocations(input: { certificateIds: string[] }): Promise<RevocationPushResult> {
      return asActivityFailure(async () => counts(orRetry(await pushRevocationsToCa(deps.orm.em.fork(), deps.gateway, { certificateIds: input.certificateIds }))));
    },
    async sweepPendingRevocations(): Promise<RevocationPushResult> {
      return asActivityFailure(async () => counts(orRetry(await pushRevocationsToCa(deps.orm.em.fork(), deps.gateway))));
    },
  };
}

export type RevocationActivities = ReturnType<typeof createRevocationActivities>;
