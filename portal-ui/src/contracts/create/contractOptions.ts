// GET /api/contracts/options: default expiry, mark sizes (PDF points) and the enabled seal types with their sizes.
import type { ContractOptionsView } from '../../../../domain/contracts/contract-options';
import type { Size } from '../../pdf/geometry';
import type { MarkKind } from '../../pdf/placement';

/** The server's own answer (domain/contracts/contract-options.ts), imported as a type. */
export type ContractOptions = ContractOptionsView;
/** An enabled seal type with its seal's size on the page. */
export type SealTypeOption = ContractOptions['sealTypes'][number];

const isSize = (v: Partial<Size> | undefined): v is Size => !!v && Number(v.width) > 0 && Number(v.height) > 0;

/** The box size of a mark in PDF points: seals and 骑缝章 (whole seal) by seal type, the others by kind. */
export function markSizeOf(options: ContractOptions, kind: MarkKind, sealType?: string | null): Size {
  if ((kind === 'seal' || kind === 'riding') && sealType) {
    const type = options.sealTypes.find((t) => t.code === sealType);
    if (isSize(type)) return { width: type.width, height: type.height };
  }
  // The server sizes the kinds placed on a contract; a template's body field box ('field') has none there.
  const sizes: Partial<Record<MarkKind, Size>> = options.markSizes;
  const size = sizes[kind];
  return isSize(size) ? size : { width: 60, height: 60 };
}
