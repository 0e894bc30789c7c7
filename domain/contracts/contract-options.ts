/**
 * What 发起合同's wizard and the template editor need (GET /api/contracts/options; portal-ui imports the type): the
 * default expiry in days, the box size of each mark kind in PDF points (seal / riding: of the default seal type),
 * and the enabled seal types, each with its seal's size on the page.
 */
import type { EntityManager } from '@mikro-orm/core';
import { getSetting } from '../platform/settings';
import { MARK_SIZES, SEAL_MARK_SIZES } from './mark-geometry';

export async function readContractOptions(em: EntityManager) {
  const sealTypes = await getSetting(em, 'sealTypes');
  return {
    defaultExpiryDays: await getSetting(em, 'contractDefaultExpiryDays'),
    markSizes: MARK_SIZES,
    sealTypes: sealTypes.map((t) => ({ ...t, ...SEAL_MARK_SIZES[t.code] })),
  };
}
export type ContractOptionsView = Awaited<ReturnType<typeof readContractOptions>>;
