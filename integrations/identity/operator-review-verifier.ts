import { isValidChineseIdNumber } from '../../domain/identity/validators';
import type { IdentityVerifier } from './identity-verifier';

/** Embedded default: the checksum and birth date must hold; then a platform operator reviews. */
export function createOperatorReviewVerifier(): IdentityVerifier {
  return {
    async check(input) {
      if (!isValidChineseIdNumber(input.idNumber)) return { outcome: 'mismatch', reason: '身份证号校验失败' };
      return { outcome: 'needs_review' };
    },
  };
}
