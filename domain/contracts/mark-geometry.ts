import { SEAL_TYPES, sealSizeMm, sealTypeOf } from '../seals/seal-types';
import type { MarkKind } from './contract-mark.entity';
import { PERSONAL_SEAL_SIZE_PT } from './seal-geometry';

/**
 * Sizes of the marks on the page, in PDF points: the one place. Preset boxes have exactly these
 * sizes (the browser sends page/x/y only); the signing engine stamps them at these sizes.
 */
export interface MarkSize {
  width: number;
  height: number;
}

const MM_TO_PT = 72 / 25.4;
const personal: MarkSize = { width: PERSONAL_SEAL_SIZE_PT, height: PERSONAL_SEAL_SIZE_PT };
/** 日期章: one line of ≈ 4 mm tall text. */
export const DATE_MARK_SIZE: MarkSize = { width: 120, height: 36 };
/** The seal type whose size `MARK_SIZES.seal` / `.riding` show when no type is given. */
export const DEFAULT_SEAL_TYPE = 'contract';

/** Physical size of a seal type's image on the page, in points (unknown types: the default type). */
export function sealMarkSize(sealType: string | null | undefined): MarkSize {
  const type = sealTypeOf(sealType ?? DEFAULT_SEAL_TYPE) ?? sealTypeOf(DEFAULT_SEAL_TYPE)!;
  const mm = sealSizeMm(type);
  return { width: mm.widthMm * MM_TO_PT, height: mm.heightMm * MM_TO_PT };
}

/** Sizes per kind (seal / riding: the default seal type; use `markSize` with the type). */
export const MARK_SIZES: Record<MarkKind, MarkSize> = {
  personal,
  name_seal: personal,
  handwritten: personal,
  date: DATE_MARK_SIZE,
  seal: sealMarkSize(DEFAULT_SEAL_TYPE),
  riding: sealMarkSize(DEFAULT_SEAL_TYPE),
};

/** Size of a mark of `kind` (seal / riding: of `sealType`). For riding: the whole seal, before slicing. */
export function markSize(kind: MarkKind, sealType?: string | null): MarkSize {
  return kind === 'seal' || kind === 'riding' ? sealMarkSize(sealType) : MARK_SIZES[kind];
}

/** Every seal type's mark size, by code (for the browser's placement boxes). */
export const SEAL_MARK_SIZES: Record<string, MarkSize> = Object.fromEntries(SEAL_TYPES.map((t) => [t.code, sealMarkSize(t.code)]));
