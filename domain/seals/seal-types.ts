/**
 * Catalogue of the seal types SealFlow can draw (M12). The platform setting `sealTypes` is the
 * enabled subset (operators switch types on and off); a type must be in both to be created.
 * Sizes follow common practice in China: 公章 Φ42 mm, 专用章 Φ40 mm, 部门章 Φ38 mm, 法定代表人章 20 mm square.
 */

import type { RoundSealLayout, SquareSealLayout } from '../../documents/seals/enterprise-seal';

export type SealTypeCode = 'official' | 'contract' | 'finance' | 'hr' | 'legal_rep' | 'department';

export interface SealType {
  code: SealTypeCode;
  name: string;
  nameEn: string;
  layout: RoundSealLayout | SquareSealLayout;
  /** Seals of this type are created when an enterprise is certified (部门章 is created later, per department). */
  atCertification: boolean;
}

export const SEAL_TYPES: readonly SealType[] = [
  { code: 'official', name: '公章', nameEn: 'Official seal', atCertification: true, layout: { shape: 'round', diameterMm: 42, borderMm: 1.2, starMm: 14, caption: 'none', securityCodeOnArc: true } },
  { code: 'contract', name: '合同专用章', nameEn: 'Contract seal', atCertification: true, layout: { shape: 'round', diameterMm: 40, borderMm: 1.1, starMm: 12, caption: 'title', securityCodeOnArc: false } },
  { code: 'finance', name: '财务专用章', nameEn: 'Finance seal', atCertification: true, layout: { shape: 'round', diameterMm: 40, borderMm: 1.1, starMm: 12, caption: 'title', securityCodeOnArc: false } },
  { code: 'hr', name: '人事专用章', nameEn: 'HR seal', atCertification: true, layout: { shape: 'round', diameterMm: 40, borderMm: 1.1, starMm: 12, caption: 'title', securityCodeOnArc: false } },
  { code: 'legal_rep', name: '法定代表人章', nameEn: 'Legal representative seal', atCertification: true, layout: { shape: 'square', sideMm: 20, borderMm: 1.0 } },
  { code: 'department', name: '部门章', nameEn: 'Department seal', atCertification: false, layout: { shape: 'round', diameterMm: 38, borderMm: 1.0, starMm: 11, caption: 'department', securityCodeOnArc: false } },
];

export function sealTypeOf(code: string): SealType | undefined {
  return SEAL_TYPES.find((t) => t.code === code);
}

/** Physical size of a seal type's image in millimetres. */
export function sealSizeMm(type: SealType): { widthMm: number; heightMm: number } {
  return type.layout.shape === 'round' ? { widthMm: type.layout.diameterMm, heightMm: type.layout.diameterMm } : { widthMm: type.layout.sideMm, heightMm: type.layout.sideMm };
}
