import type { AppConfig } from '../../config';
import type { IdentityVerifier } from './identity-verifier';
import { createOperatorReviewVerifier } from './operator-review-verifier';

export type { IdentityVerifier } from './identity-verifier';

/** Picks the identity verifier named by configuration. */
export function createIdentityVerifier(config: Pick<AppConfig, 'identityProvider'>): IdentityVerifier {
  switch (config.identityProvider) {
    case 'operator_review':
      return createOperatorReviewVerifier();
  }
}
