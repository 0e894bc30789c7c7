import { verifyPdf } from '../../documents';
import { recordAudit } from '../../domain/audit/record-audit';
import { invalid } from '../../domain/errors';
import type { ApiDeps } from '../deps';
import { route, type RouteDef } from '../http/route';

/** 文件验证: checks every signature of an uploaded PDF against the platform CA. */
export function verificationRoutes(deps: ApiDeps): RouteDef[] {
  return [
    route({
      method: 'post',
      path: '/verifications',
      access: 'user',
      upload: true,
      async handler(ctx) {
        const file = ctx.req.file;
        if (!file) throw invalid('FILE_REQUIRED', '请上传要验证的 PDF 文件', 'Upload the PDF to verify');
        const report = await verifyPdf(new Uint8Array(file.buffer), { trustedRootsPem: [deps.services.ca.rootCertificatePem()] });
        if (!report.isPdf) throw invalid('NOT_A_PDF', '文件不是有效的 PDF', 'The file is not a PDF');
        const fileName = Buffer.from(file.originalname, 'latin1').toString('utf8');
        recordAudit(ctx.em, { id: ctx.user.id, name: ctx.user.name, ip: ctx.ip }, {
          action: 'document.verified',
          targetType: 'document',
          targetId: ctx.user.id,
          detail: { fileName, signatures: report.signatureCount, signedByPlatform: report.signedByPlatform, intact: report.intact },
        });
        await ctx.em.flush();
        return { fileName, ...report, ...summarize(report) };
      },
    }),
  ];
}

function summarize(r: Awaited<ReturnType<typeof verifyPdf>>): { summary: string; summaryEn: string } {
  if (r.signatureCount === 0) return { summary: '该文件没有数字签名，不是本平台签署的文件', summaryEn: 'The file has no digital signature; it was not signed on this platform' };
  if (!r.signedByPlatform) return { summary: '该文件包含非本平台签发证书的签名', summaryEn: 'The file carries signatures not issued by this platform' };
  if (!r.intact || r.modifiedAfterSigning) return { summary: '文件在签署后被修改，签名不再有效', summaryEn: 'The file was modified after signing' };
  return { summary: `文件完整：${r.signatureCount} 个签名均由本平台签发且有效`, summaryEn: `Intact: all ${r.signatureCount} signatures were issued by this platform and are valid` };
}
