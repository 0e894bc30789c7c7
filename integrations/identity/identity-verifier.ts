/**
 * Checks a person's identity (name + 居民身份证号 + mobile). A real provider (public-security
 * database or carrier three-element check) answers at once; the embedded default only knows the
 * format is valid and leaves the decision to a platform operator's review.
 */
export interface IdentityCheck {
  name: string;
  idNumber: string;
  mobile: string;
}

export interface IdentityCheckResult {
  outcome: 'verified' | 'mismatch' | 'needs_review';
  reason?: string;
}

export interface IdentityVerifier {
  check(input: IdentityCheck): Promise<IdentityCheckResult>;
}
