/** GET /api/console/seals rows (印章管理). */
export interface SealAuthorizationView {
  id: string;
  userId: string;
  name: string;
  mobileMasked: string;
  grantedAt: string;
  expiresAt: string | null;
  lapsed: boolean;
}

export type SealCertificateState = 'none' | 'ordering' | 'issued' | 'expiring' | 'expired' | 'revoked';

export interface SealView {
  id: string;
  name: string;
  type: string;
  typeName: string;
  typeNameEn: string;
  departmentName: string | null;
  status: 'active' | 'disabled' | 'voided';
  source: 'generated' | 'uploaded';
  securityCode: string | null;
  widthMm: number | null;
  heightMm: number | null;
  version: number;
  createdAt: string;
  updatedAt: string | null;
  /** 已作废 (issue 9): when and why (null unless voided). */
  voidedAt: string | null;
  voidReason: string | null;
  voidReasonLabel: string | null;
  voidReasonLabelEn: string | null;
  imageUrl: string;
  authorizations: SealAuthorizationView[];
  certificate: {
    state: SealCertificateState;
    certificate: { id: string; serialNumber: string; notBefore: string; notAfter: string; status: 'active' | 'revoked' } | null;
    openOrder: { id: string; status: string; kind: 'new' | 'renewal' } | null;
  } | null;
}

/** GET /api/console/seal-types. */
export interface SealTypeOption {
  code: string;
  name: string;
  nameEn: string;
  widthMm: number;
  heightMm: number;
  shape: 'round' | 'square';
  needsDepartment: boolean;
}

/** A certificate can be applied for when the seal has none usable and no open order. */
export const canApplyCertificate = (s: SealView) => s.status === 'active' && ['none', 'expired', 'revoked'].includes(s.certificate?.state ?? 'none');
