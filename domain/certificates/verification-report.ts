/**
 * The 文件验证 report as POST /verifications sends it (JSON): the PDF's signatures as verify-pdf.ts
 * checks them, each with its revocation (signature-revocations.ts), and the overall verdict with its
 * summary. The portal imports these types rather than keeping copies.
 */
import { MAX_SIGNATURES_CHECKED, type VerificationReport } from '../../documents';
import type { SignatureRevocation } from './signature-revocations';

/**
 * Overall verdict, most serious first: a modified file is "modified" even if it is also foreign;
 * "revoked": a signature was made with a platform certificate after it had been revoked (not valid).
 */
export type VerificationStatus = 'modified' | 'revoked' | 'not_platform' | 'unsigned' | 'partial' | 'valid';

/** The report with each signature's revocation (issue 9; domain/certificates/signature-revocations.ts). */
export type CheckedReport = Omit<VerificationReport, 'signatures'> & { signatures: (VerificationReport['signatures'][number] & { revocation: SignatureRevocation | null })[] };

/** The answer of POST /verifications: the checked report of the uploaded file, its verdict and summary. */
export type VerificationReportView = { fileName: string } & CheckedReport & ReturnType<typeof summarize>;

const day = (iso: string) => new Date(new Date(iso).getTime() + 8 * 3600_000).toISOString().slice(0, 10); // China date

export function summarize(r: VerificationReport | CheckedReport): { status: VerificationStatus; summary: string; summaryEn: string } {
  const revoked = r.signatures.flatMap((s) => ('revocation' in s && s.revocation ? [s.revocation] : []));
  if (r.signatureCount === 0) return { status: 'unsigned', summary: '该文件没有数字签名，不是本平台签署的文件', summaryEn: 'The file has no digital signature; it was not signed on this platform' };
  if (r.modifiedAfterSigning || !r.intact) {
    const count = r.signatures.filter((s) => !s.intact || s.modifiedAfterSigning).length;
    return {
      status: 'modified',
      summary: `文件在签署后被修改：${count} 个签名之后的内容已变更或签名已失效，请查看各签名的详情`,
      summaryEn: `The file was modified after signing: ${count} signature(s) no longer match the current content; see each signature`,
    };
  }
  const afterRevocation = revoked.filter((v) => !v.signedBeforeRevocation);
  if (afterRevocation.length > 0) {
    const v = afterRevocation[0]!;
    return {
      status: 'revoked',
      summary: `${afterRevocation.length} 个签名无效：签署时所用证书已于 ${day(v.revokedAt)} 吊销（${v.reasonLabel}）`,
      summaryEn: `${afterRevocation.length} signature(s) are not valid: the certificate had been revoked on ${day(v.revokedAt)} (${v.reasonLabelEn}) before signing`,
    };
  }
  if (!r.signedByPlatform) return { status: 'not_platform', summary: '该文件包含非本平台签发证书的签名', summaryEn: 'The file carries signatures not issued by this platform' };
  if (r.signaturesTruncated) {
    return {
      status: 'partial',
      summary: `签名数量（${r.signatureCount}）超过上限，仅验证了前 ${MAX_SIGNATURES_CHECKED} 个，均有效`,
      summaryEn: `Too many signatures (${r.signatureCount}): only the first ${MAX_SIGNATURES_CHECKED} were checked, all valid`,
    };
  }
  const valid = { status: 'valid' as const, summary: `文件完整：${r.signatureCount} 个签名均由本平台签发且有效，签署后未被修改`, summaryEn: `Intact: all ${r.signatureCount} signatures were issued by this platform, are valid, and nothing changed after signing` };
  if (revoked.length === 0) return valid;
  const v = revoked[0]!;
  return {
    ...valid,
    summary: `${valid.summary}；其中 ${revoked.length} 个签名的证书已于签署后吊销（${day(v.revokedAt)}，${v.reasonLabel}），签署时证书有效`,
    summaryEn: `${valid.summaryEn}; the certificate of ${revoked.length} signature(s) was revoked after signing (${day(v.revokedAt)}, ${v.reasonLabelEn}); it was valid when they signed`,
  };
}
