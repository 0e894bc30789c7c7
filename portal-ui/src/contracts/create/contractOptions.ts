// GET /api/contracts/options: default expiry, mark sizes (PDF points) and the enabled seal types with their sizes.
import type { Size } from '../../pdf/geometry';
import type { MarkKind } from '../../pdf/placement';
import type { NamedOption } from '../../../../ui-shared/src/types';

export type SealTypeOption = NamedOption & Partial<Size>;

export interface ContractOptions {
  defaultExpiryDays: number;
  /** Box size per mark kind (seal / riding: of the default seal type). */
  markSizes: Partial<Record<MarkKind, Size>>;
  /** Enabled seal types, each with its seal's size on the page. */
  sealTypes: SealTypeOption[];
}

const isSize = (v: Partial<Size> | undefined): v is Size => !!v && Number(v.width) > 0 && Number(v.height) > 0;

/** The box size of a mark in PDF points: seals and 骑缝章 (whole seal) by seal type, the others by kind. */
export function markSizeOf(options: ContractOptions, kind: MarkKind, sealType?: string | null): Size {
  if ((kind === 'seal' || kind === 'riding') && sealType) {
    const type = options.sealTypes.find((t) => t.code === sealType);
    if (isSize(type)) return { width: type.width, height: type.height };
  }
  const size = options.markSizes[kind];
  return isSize(size) ? size : { width: 60, height: 60 };
}
