/**
 * CertificateRevocationSweepWorkflow (issue 9): one pass that pushes to the CA every certificate
 * revoked on the platform but not yet recorded at the CA (status 'revoked', caRevokedAt NULL), e.g.
 * when the re-certification workflow's own push ran out of retries while the CA was down. Started
 * by the `certificate-revocation-sweep:<taskQueue>` Temporal Schedule
 * (worker/certificate-revocation-sweep-schedule.ts).
 */
import { proxyActivities } from '@temporalio/workflow';
import type { RevocationActivities, RevocationPushResult } from '../activities/revocation-activities';

const activities = proxyActivities<RevocationActivities>({
  startToCloseTimeout: '10 minutes',
  retry: { initialInterval: '10 seconds', backoffCoefficient: 2, maximumAttempts: 3 },
});

export async function certificateRevocationSweepWorkflow(): Promise<RevocationPushResult> {
  return activities.sweepPendingRevocations();
}
