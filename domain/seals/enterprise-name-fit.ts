import { assertSealTextDrawable, upperArcLayout } from '../../documents/seals/enterprise-seal';
import { SEAL_TYPES } from './seal-types';

/**
 * An enterprise's name as its seals must carry it: drawable by the seal font and short enough for the
 * upper arc of every round seal type (公章, 合同专用章, …, 部门章: about 42 characters), so a name accepted at
 * certification or re-certification never fails later when a seal is drawn. 422 SEAL_TEXT_NOT_DRAWABLE /
 * SEAL_TEXT_TOO_LONG with zh/en.
 */
export function assertEnterpriseNameFitsSeals(name: string): void {
  assertSealTextDrawable(name);
  const count = [...name].length;
  for (const type of SEAL_TYPES) if (type.layout.shape === 'round') upperArcLayout(type.layout, count);
}
