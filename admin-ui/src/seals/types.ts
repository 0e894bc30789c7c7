// 印章管理: a seal as GET /api/console/seals sends it (domain/seals/seal-view.ts) and a seal type as GET /api/console/seal-types
// sends it are the server's own views, imported as types.
import type { SealTypeOptionView } from '../../../domain/seals/enabled-seal-types';
import type { SealView } from '../../../domain/seals/seal-view';

export type { SealView };

/** GET /api/console/seal-types: the server's own view (domain/seals/enabled-seal-types.ts), imported as a type. */
export type SealTypeOption = SealTypeOptionView;

/** A certificate can be applied for when the seal has none usable and no open order. */
export const canApplyCertificate = (s: SealView) => s.status === 'active' && ['none', 'expired', 'revoked'].includes(s.certificate?.state ?? 'none');
