/**
 * CertificateRevocationSweepWorkflow (issue 9): one pass that pushes to the CA every certificate
 * revoked on the platform but not yet recorded at the CA (status 'revoked', caRevokedAt NULL), e.g.
 * when the re-certification workflow's own push ran out of retries while the CA was down. Started
 * by the `certificate-revocation-sweep:<taskQueue>` Temporal Schedule
 * (worker/certificate-revocation-sweep-schedule.ts). The activity fails while the CA cannot be
 * reached: a bounded number of attempts, then the run fails and the next scheduled run tries again.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { RevocationActivities, RevocationPushResult } from '../activities/revocation-activities';

export interface RevocationSweepInput {
  /** First retry interval in ms (tests pass a short one); default 10 s. */
  retryInitialMs?: number;
  /** Attempts of the push per run; default 3. */
  maximumAttempts?: number;
}

export async function certificateRevocationSweepWorkflow(input: RevocationSweepInput = {}): Promise<RevocationPushResult> {
  const activities = proxyActivities<RevocationActivities>({
    startToCloseTimeout: '10 minutes',
    retry: { initialInterval: input.retryInitialMs ?? 10_000, backoffCoefficient: 2, maximumAttempts: input.maximumAttempts ?? 3 },
  });
  return activities.sweepPendingRevocations();
}
