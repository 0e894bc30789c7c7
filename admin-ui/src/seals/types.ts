// 印章管理: a seal as GET /api/console/seals sends it is the server's own view (domain/seals/seal-view.ts), imported as a type.
import type { SealView } from '../../../domain/seals/seal-view';

export type { SealView };

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
