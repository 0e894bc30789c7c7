import type { EntityManager } from '@mikro-orm/core';
import { invalid } from '../errors';
import { getSetting } from '../platform/settings';
import { sealSizeMm, sealTypeOf, type SealType } from './seal-types';

export interface EnabledSealType extends SealType {
  /** Names as the operator configured them (platform setting `sealTypes`). */
  name: string;
  nameEn: string;
}

/** Seal types enterprises may create: enabled in the platform setting `sealTypes` AND drawable (in the catalogue). */
export async function enabledSealTypes(em: EntityManager): Promise<EnabledSealType[]> {
  const enabled = await getSetting(em, 'sealTypes');
  return enabled.flatMap((o) => {
    const type = sealTypeOf(o.code);
    return type ? [{ ...type, name: o.name || type.name, nameEn: o.nameEn || type.nameEn }] : [];
  });
}

/**
 * An enabled type as GET /api/console/seal-types answers it (admin-ui imports the type): its names, its seal's
 * size in millimetres and shape, and whether a seal of it belongs to a department (部门章).
 */
export const presentSealTypeOption = (t: EnabledSealType) => ({ code: t.code, name: t.name, nameEn: t.nameEn, ...sealSizeMm(t), shape: t.layout.shape, needsDepartment: t.code === 'department' });
export type SealTypeOptionView = ReturnType<typeof presentSealTypeOption>;

/** The types offered when applying for certification (部门章 is created later, per department). */
export async function certificationSealTypes(em: EntityManager): Promise<EnabledSealType[]> {
  return (await enabledSealTypes(em)).filter((t) => t.atCertification);
}

export async function requireEnabledSealType(em: EntityManager, code: string, forCertification = false): Promise<EnabledSealType> {
  const type = (forCertification ? await certificationSealTypes(em) : await enabledSealTypes(em)).find((t) => t.code === code);
  if (!type) throw invalid('UNKNOWN_SEAL_TYPE', `不支持或未启用的印章类型：${code}`, `Unknown or disabled seal type: ${code}`);
  return type;
}
