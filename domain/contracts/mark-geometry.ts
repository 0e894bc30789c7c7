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

/** Smallest and largest box a mark may be resized to (aspect ratio kept), in points. */
export interface MarkSizeLimits {
  min: MarkSize;
  max: MarkSize;
}

/**
 * How far a mark may be resized, as factors of its base size (the one rule; the browser gets the
 * resulting boxes in the sign options):
 * - 人名章 / 手写签名 / 日期章 (and v1 `personal`): 0.5×–2× — a signature is drawn at any size;
 * - 企业印章 / 骑缝章: 0.8×–1.25× of the seal's physical size — a seal must stay close to its real
 *   size (GB-style seals are 38–45 mm), but 0.8×–1.25× covers scanned layouts and small pages.
 */
export const MARK_SCALE_LIMITS: Record<MarkKind, { min: number; max: number }> = {
  personal: { min: 0.5, max: 2 },
  name_seal: { min: 0.5, max: 2 },
  handwritten: { min: 0.5, max: 2 },
  date: { min: 0.5, max: 2 },
  seal: { min: 0.8, max: 1.25 },
  riding: { min: 0.8, max: 1.25 },
};

/** Relative tolerance for the aspect ratio and the limits (0.3 %: the browser rounds to 0.01 pt). */
const SIZE_TOLERANCE = 0.003;

const round2 = (v: number) => Math.round(v * 100) / 100;
const scaled = (base: MarkSize, f: number): MarkSize => ({ width: round2(base.width * f), height: round2(base.height * f) });

/** The resize limits of a mark of `kind` whose default size is `baseSize` (see `markSize`). */
export function markSizeLimits(kind: MarkKind, baseSize: MarkSize): MarkSizeLimits {
  const f = MARK_SCALE_LIMITS[kind];
  return { min: scaled(baseSize, f.min), max: scaled(baseSize, f.max) };
}

export type MarkSizeProblem = 'not_positive' | 'aspect_ratio' | 'too_small' | 'too_large';

/**
 * The size a mark is stamped at: `baseSize` when neither width nor height is given; otherwise the
 * requested size with the base's aspect ratio (one side given: the other follows; both: they must
 * keep the ratio), within `markSizeLimits`. Answers the size or the problem (the caller words the error).
 */
export function resolveMarkSize(kind: MarkKind, baseSize: MarkSize, width?: number | null, height?: number | null): { size: MarkSize } | { problem: MarkSizeProblem } {
  if (width == null && height == null) return { size: baseSize };
  if ((width != null && !(width > 0 && Number.isFinite(width))) || (height != null && !(height > 0 && Number.isFinite(height)))) return { problem: 'not_positive' };
  const ratio = baseSize.height / baseSize.width;
  const w = width ?? height! / ratio;
  const h = height ?? w * ratio;
  if (Math.abs(h / w - ratio) > ratio * SIZE_TOLERANCE) return { problem: 'aspect_ratio' };
  const f = MARK_SCALE_LIMITS[kind];
  const factor = w / baseSize.width;
  if (factor < f.min * (1 - SIZE_TOLERANCE)) return { problem: 'too_small' };
  if (factor > f.max * (1 + SIZE_TOLERANCE)) return { problem: 'too_large' };
  // Stamped with the base's exact ratio, clamped into the limits.
  const clamped = Math.min(Math.max(factor, f.min), f.max);
  return { size: { width: baseSize.width * clamped, height: baseSize.height * clamped } };
}
