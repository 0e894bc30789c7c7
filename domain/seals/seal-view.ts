/**
 * A seal as the 企业控制台's 印章管理 sees it (GET /console/seals and every seal action's answer): JSON, instants
 * as ISO strings, with who may use it and its certificate state. The console imports the type.
 */
import type { SealCertificateSummary } from '../certificates/seal-certificates';
import type { Seal } from '../enterprises/seal.entities';
import { sealSizeMm, sealTypeOf } from './seal-types';
import { authorizationLive } from './seal-usability';
import { sealVoidReasonLabel } from './seal-void-reasons';

export function presentSeal(seal: Seal, typeNames: { code: string; name: string; nameEn: string }[], auths: { id: string; userId: string; name: string; mobileMasked: string; grantedAt: Date; expiresAt: Date | null }[], certificate: SealCertificateSummary | undefined, now: Date) {
  const type = typeNames.find((t) => t.code === seal.type);
  const size = seal.widthMm && seal.heightMm ? { widthMm: seal.widthMm, heightMm: seal.heightMm } : sealTypeOf(seal.type) ? sealSizeMm(sealTypeOf(seal.type)!) : null;
  return {
    id: seal.id,
    name: seal.name,
    type: seal.type,
    typeName: type?.name ?? seal.type,
    typeNameEn: type?.nameEn ?? seal.type,
    departmentName: seal.departmentName,
    status: seal.status,
    source: seal.source,
    securityCode: seal.securityCode,
    widthMm: size?.widthMm ?? null,
    heightMm: size?.heightMm ?? null,
    version: seal.version,
    createdAt: seal.createdAt.toISOString(),
    updatedAt: seal.updatedAt?.toISOString() ?? null,
    /** 已作废 (issue 9): when and why; a voided seal cannot be used, enabled, authorised or ordered a certificate. */
    voidedAt: seal.voidedAt?.toISOString() ?? null,
    voidReason: seal.voidReason,
    voidReasonLabel: sealVoidReasonLabel(seal.voidReason)?.zh ?? null,
    voidReasonLabelEn: sealVoidReasonLabel(seal.voidReason)?.en ?? null,
    // Content-addressed: the URL changes when the image does (cacheable).
    imageUrl: `/api/console/seals/${encodeURIComponent(seal.id)}/image${seal.imageSha256 ? `?v=${seal.imageSha256.slice(0, 16)}` : ''}`,
    authorizations: auths.map((a) => ({ id: a.id, userId: a.userId, name: a.name, mobileMasked: a.mobileMasked, grantedAt: a.grantedAt.toISOString(), expiresAt: a.expiresAt?.toISOString() ?? null, lapsed: !authorizationLive(a, now) })),
    certificate: certificate ?? null,
  };
}
export type SealView = ReturnType<typeof presentSeal>;
