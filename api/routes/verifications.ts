import { DocumentError, verifyPdf, warmDocumentWorkers, type DocumentErrorCode } from '../../documents';
import { recordAudit } from '../../domain/audit/record-audit';
import { withRevocations } from '../../domain/certificates/signature-revocations';
import { summarize, type CheckedReport, type VerificationReportView } from '../../domain/certificates/verification-report';
import { invalid } from '../../domain/errors';
import type { ApiDeps } from '../deps';
import { route, type RouteDef } from '../http/route';

/**
 * 文件验证: checks every signature of an uploaded PDF against the platform CA and what changed after
 * each one. The work runs in the document worker threads. A file that cannot be read (corrupt,
 * encrypted, over a parse budget) is answered with its DocumentError (4xx), never as "no signatures".
 */
export function verificationRoutes(deps: ApiDeps): RouteDef[] {
  void warmDocumentWorkers().catch(() => undefined); // load the PDF threads before the first upload
  return [
    route({
      method: 'post',
      path: '/verifications',
      access: 'user',
      upload: true,
      // Verification holds a document thread for up to its time budget: one user cannot take them all.
      heavy: true,
      async handler(ctx) {
        const file = ctx.req.file;
        if (!file) throw invalid('FILE_REQUIRED', '请上传要验证的 PDF 文件', 'Upload the PDF to verify');
        const raw = await verifyPdf(new Uint8Array(file.buffer.buffer, file.buffer.byteOffset, file.buffer.byteLength), { trustedRootsPem: [deps.services.ca.rootCertificatePem()] });
        if (!raw.isPdf) throw invalid('NOT_A_PDF', '文件不是有效的 PDF', 'The file is not a PDF');
        if (!raw.readable) throw new DocumentError((raw.unreadableReason ?? 'PDF_CORRUPT') as DocumentErrorCode, 'the PDF cannot be read');
        const report: CheckedReport = { ...raw, signatures: await withRevocations(ctx.em, raw.signatures) };
        const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8');
        const verdict = summarize(report);
        recordAudit(ctx.em, { id: ctx.user.id, name: ctx.user.name, ip: ctx.ip }, {
          action: 'document.verified',
          targetType: 'document',
          targetId: ctx.user.id,
          detail: { fileName, signatures: report.signatureCount, signedByPlatform: report.signedByPlatform, intact: report.intact, modifiedAfterSigning: report.modifiedAfterSigning, revoked: report.signatures.filter((s) => s.revocation).length, status: verdict.status },
        });
        await ctx.em.flush();
        return { fileName, ...report, ...verdict } satisfies VerificationReportView;
      },
    }),
  ];
}
