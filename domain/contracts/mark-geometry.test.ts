import { describe, expect, it } from 'vitest';
import { DATE_MARK_SIZE, markSize, markSizeLimits, MARK_SCALE_LIMITS, resolveMarkSize } from './mark-geometry';

describe('markSizeLimits', () => {
  it('personal marks may be resized 0.5×–2×, seals and 骑缝章 0.8×–1.25× of their physical size', () => {
    const name = markSize('name_seal');
    expect(markSizeLimits('name_seal', name)).toEqual({
      min: { width: Math.round(name.width * 50) / 100, height: Math.round(name.height * 50) / 100 },
      max: { width: Math.round(name.width * 200) / 100, height: Math.round(name.height * 200) / 100 },
    });
    expect(markSizeLimits('date', DATE_MARK_SIZE)).toEqual({ min: { width: 60, height: 18 }, max: { width: 240, height: 72 } });
    const contract = markSize('seal', 'contract');
    const seal = markSizeLimits('seal', contract);
    expect(seal.min.width / contract.width).toBeCloseTo(0.8, 2);
    expect(seal.max.height / contract.height).toBeCloseTo(1.25, 2);
    expect(markSizeLimits('riding', contract)).toEqual(seal);
    expect(MARK_SCALE_LIMITS.handwritten).toEqual({ min: 0.5, max: 2 });
  });

  it('keeps the aspect ratio of the limits (a rectangular seal stays rectangular)', () => {
    const base = { width: 100, height: 40 };
    const limits = markSizeLimits('seal', base);
    expect(limits.min).toEqual({ width: 80, height: 32 });
    expect(limits.max).toEqual({ width: 125, height: 50 });
  });
});

describe('resolveMarkSize', () => {
  const base = { width: 100, height: 40 };

  it('defaults to the base size and derives the missing side from the ratio', () => {
    expect(resolveMarkSize('seal', base)).toEqual({ size: base });
    expect(resolveMarkSize('seal', base, 120)).toEqual({ size: { width: 120, height: 48 } });
    expect(resolveMarkSize('name_seal', base, null, 20)).toEqual({ size: { width: 50, height: 20 } });
    expect(resolveMarkSize('handwritten', base, 200, 80)).toEqual({ size: { width: 200, height: 80 } });
  });

  it('refuses sizes outside the limits, a changed aspect ratio and non-positive sizes', () => {
    expect(resolveMarkSize('seal', base, 79)).toEqual({ problem: 'too_small' });
    expect(resolveMarkSize('seal', base, 127)).toEqual({ problem: 'too_large' });
    expect(resolveMarkSize('riding', base, 130, 52)).toEqual({ problem: 'too_large' });
    expect(resolveMarkSize('name_seal', base, 49)).toEqual({ problem: 'too_small' });
    expect(resolveMarkSize('name_seal', base, 201)).toEqual({ problem: 'too_large' });
    expect(resolveMarkSize('seal', base, 100, 60)).toEqual({ problem: 'aspect_ratio' });
    expect(resolveMarkSize('seal', base, 0)).toEqual({ problem: 'not_positive' });
    expect(resolveMarkSize('seal', base, -5, -2)).toEqual({ problem: 'not_positive' });
  });

  it('accepts browser rounding at the edges and stamps within the limits with the exact ratio', () => {
    const r = resolveMarkSize('seal', base, 125.3, 50.12);
    expect(r).toEqual({ size: { width: 125, height: 50 } });
    expect(resolveMarkSize('seal', base, 80, 32.05)).toEqual({ size: { width: 80, height: 32 } });
  });
});
