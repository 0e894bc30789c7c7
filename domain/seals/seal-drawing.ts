import type { EnterpriseSealSpec } from '../../documents/seals/enterprise-seal';
import type { SealType } from './seal-types';

/** What a seal of `type` shows for an enterprise: one place for the text on each seal type. */
export function sealDrawingSpec(type: SealType, enterprise: { name: string; legalRepresentative: string }, seal: { securityCode: string; departmentName: string | null }): EnterpriseSealSpec {
  if (type.layout.shape === 'square') return { layout: type.layout, personName: enterprise.legalRepresentative };
  const caption = type.layout.caption === 'title' ? type.name : type.layout.caption === 'department' ? (seal.departmentName ?? '') : undefined;
  return { layout: type.layout, arcText: enterprise.name, caption, securityCode: seal.securityCode };
}
