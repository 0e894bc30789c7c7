import { describe, expect, it } from 'vitest';
import { summarize, type CheckedReport } from './verification-report';
import { signatureRevocation } from './signature-revocations';

const revokedAt = new Date('2026-12-01T10:00:00Z');

describe('a signature whose platform certificate was revoked', () => {
  it('is valid only when signed before the revocation (no signing time: not valid)', () => {
    expect(signatureRevocation(null, '2026-12-01T09:00:00Z')).toBeNull();
    expect(signatureRevocation({ revokedAt, reason: 'enterprise_renamed' }, '2026-12-01T09:59:59Z')).toEqual({
      revokedAt: revokedAt.toISOString(),
      reason: 'enterprise_renamed',
      reasonLabel: '企业名称变更，印章已作废',
      reasonLabelEn: 'The enterprise changed its name; the seal was voided',
      signedBeforeRevocation: true,
    });
    expect(signatureRevocation({ revokedAt, reason: 'legal_representative_changed' }, revokedAt.toISOString())?.signedBeforeRevocation).toBe(false);
    expect(signatureRevocation({ revokedAt, reason: null }, null)?.signedBeforeRevocation).toBe(false);
  });

  it('the verdict: revoked after signing keeps valid and names it; signed after the revocation is status revoked', () => {
    const signature = (signingTime: string) => ({
      fieldName: 'f',
      signerName: 's',
      signingTime,
      intact: true,
      coversWholeDocument: true,
      chainedToPlatform: true,
      certificate: { subject: 's', issuer: 'i', serialNumber: 'ab', notBefore: '', notAfter: '' },
      modifiedAfterSigning: false,
      changes: [],
      revocation: signatureRevocation({ revokedAt, reason: 'enterprise_renamed' }, signingTime),
    });
    const report = (signingTime: string): CheckedReport => ({ isPdf: true, readable: true, signatureCount: 1, signaturesTruncated: false, signedByPlatform: true, intact: true, modifiedAfterSigning: false, signatures: [signature(signingTime)] });
    const before = summarize(report('2026-12-01T09:00:00Z'));
    expect(before.status).toBe('valid');
    expect(before.summary).toContain('2026-12-01');
    expect(before.summary).toContain('吊销');
    const after = summarize(report('2026-12-01T11:00:00Z'));
    expect(after.status).toBe('revoked');
    expect(after.summaryEn).toMatch(/not valid/);
  });
});
