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

describe('checkMarks uses the limits (the start spec and placed marks)', () => {
  const pages = [{ width: 595.28, height: 841.89 }];
  const enterprise = (marks: object[]) => ({ kind: 'enterprise', enterpriseId: 'e', step: 1, canRefuse: false, note: null, placement: 'preset', marks }) as never;
  const seal = markSize('seal', 'contract');

  it('stamps a resized seal at the requested size and refuses one out of limits with the limits in the message', async () => {
    const { checkMarks } = await import('./start-contract-spec');
    const [m] = checkMarks(enterprise([{ kind: 'seal', sealType: 'contract', page: 1, x: 10, y: 10, width: seal.width * 1.2 }]), 0, pages, ['contract']);
    expect(m!.width).toBeCloseTo(seal.width * 1.2, 5);
    expect(m!.height).toBeCloseTo(seal.height * 1.2, 5);
    let err: { code?: string; message?: string; messageEn?: string } = {};
    try {
      checkMarks(enterprise([{ kind: 'seal', sealType: 'contract', page: 1, x: 10, y: 10, width: seal.width * 0.5 }]), 0, pages, ['contract']);
    } catch (e) {
      err = e as typeof err;
    }
    expect(err.code).toBe('MARK_SIZE_OUT_OF_LIMITS');
    expect(err.message).toBe('第 1 个签署方：企业印章的大小须在 90.7×90.7 至 141.7×141.7 磅之间');
    expect(err.messageEn).toMatch(/between 90\.7×90\.7 and 141\.7×141\.7 pt/);
    // A 骑缝章 alone is a seal impression: allowed.
    expect(checkMarks(enterprise([{ kind: 'riding', sealType: 'contract', pageFrom: 1, pageTo: 2, y: 10 }]), 0, [...pages, ...pages], ['contract'])).toHaveLength(1);
    // Negative coordinates are off the page (marks placed at signing time come here without the start's schema).
    for (const mark of [{ kind: 'seal', sealType: 'contract', page: 1, x: -1, y: 10 }, { kind: 'seal', sealType: 'contract', page: 1, x: 10, y: -1 }, { kind: 'riding', sealType: 'contract', pageFrom: 1, pageTo: 2, y: -5000 }] as const) {
      expect(() => checkMarks(enterprise([mark]), 0, [...pages, ...pages], ['contract'])).toThrow(expect.objectContaining({ code: 'POSITION_OUT_OF_PAGE' }));
    }
  });
});
