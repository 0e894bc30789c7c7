import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { SEAL_TYPES, sealTypeOf } from '../../domain/seals/seal-types';
import { sealDrawingSpec } from '../../domain/seals/seal-drawing';
import { mmToPx, renderEnterpriseSeal, upperArcLayout, type RoundSealLayout } from './enterprise-seal';

const enterprise = { name: '杭州云签信息科技有限公司', legalRepresentative: '张伟' };
const seal = { securityCode: '3301060012345', departmentName: '市场营销部' };

async function decode(png: Uint8Array) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (x: number, y: number) => {
    const i = (Math.round(y) * info.width + Math.round(x)) * 4;
    return { r: data[i]!, g: data[i + 1]!, b: data[i + 2]!, a: data[i + 3]! };
  };
  const isRed = (p: { r: number; g: number; b: number; a: number }) => p.a > 128 && p.r > 150 && p.g < 90 && p.b < 90;
  return { width: info.width, height: info.height, at, isRed };
}

type Decoded = Awaited<ReturnType<typeof decode>>;

/** Red share of a small disc (radius `rPx`) around (cx, cy). */
function redShareAround(img: Decoded, cx: number, cy: number, rPx: number): number {
  let red = 0;
  let total = 0;
  for (let y = cy - rPx; y <= cy + rPx; y += 1) {
    for (let x = cx - rPx; x <= cx + rPx; x += 1) {
      if (Math.hypot(x - cx, y - cy) > rPx) continue;
      total++;
      if (img.isRed(img.at(x, y))) red++;
    }
  }
  return red / total;
}

function census(img: Decoded) {
  let red = 0;
  let transparent = 0;
  let other = 0;
  for (let y = 0; y < img.height; y += 2) {
    for (let x = 0; x < img.width; x += 2) {
      const p = img.at(x, y);
      if (p.a < 16) transparent++;
      else if (img.isRed(p)) red++;
      else if (p.a > 200) other++;
    }
  }
  const total = Math.ceil(img.width / 2) * Math.ceil(img.height / 2);
  return { red: red / total, transparent: transparent / total, other: other / total };
}

describe('renderEnterpriseSeal', () => {
  it.each(SEAL_TYPES.map((t) => [t.code, t] as const))('%s: physical size at 600 dpi, transparent background, red ink only', async (_code, type) => {
    const image = await renderEnterpriseSeal(sealDrawingSpec(type, enterprise, seal));
    const expectedMm = type.layout.shape === 'round' ? type.layout.diameterMm : type.layout.sideMm;
    expect([image.widthMm, image.heightMm]).toEqual([expectedMm, expectedMm]);
    const img = await decode(image.png);
    expect(img.width).toBe(Math.round((expectedMm / 25.4) * 600));
    expect([img.width, img.height]).toEqual([image.widthPx, image.heightPx]);
    // Corners are transparent (outside the round border, or outside the square's rounded corner).
    for (const [x, y] of [[0, 0], [img.width - 1, 0], [0, img.height - 1], [img.width - 1, img.height - 1]] as const) expect(img.at(x, y).a).toBe(0);
    const c = census(img);
    expect(c.red).toBeGreaterThan(0.08);
    expect(c.transparent).toBeGreaterThan(0.4);
    expect(c.other).toBeLessThan(0.02);
  });

  it('honours the dpi: 300 dpi gives half the pixels of 600 dpi', async () => {
    const type = sealTypeOf('contract')!;
    const low = await renderEnterpriseSeal({ ...sealDrawingSpec(type, enterprise, seal), dpi: 300 });
    expect(low.widthPx).toBe(mmToPx(40, 300));
    expect(low.widthPx).toBe(472);
    expect(low.widthMm).toBe(40);
  });

  it('sets a long name in a smaller font instead of refusing it (down to about 42 characters on every round seal), and refuses beyond', () => {
    for (const code of ['official', 'contract', 'department'] as const) {
      const layout = sealTypeOf(code)!.layout as RoundSealLayout;
      const short = upperArcLayout(layout, 20);
      const long = upperArcLayout(layout, 42);
      expect(short.fontMm, code).toBeCloseTo(layout.diameterMm * 0.155, 5);
      expect(long.fontMm, code).toBeLessThan(short.fontMm);
      expect(long.fontMm, code).toBeGreaterThanOrEqual(layout.diameterMm * 0.09 - 1e-9);
      expect(long.squeeze, code).toBeGreaterThanOrEqual(0.42);
      expect(() => upperArcLayout(layout, 60), code).toThrow(expect.objectContaining({ code: 'SEAL_TEXT_TOO_LONG' }));
    }
  });

  it('draws every character of the enterprise name on the upper arc (no silently dropped glyph)', async () => {
    const type = sealTypeOf('official')!;
    const layout = type.layout as RoundSealLayout;
    const image = await renderEnterpriseSeal(sealDrawingSpec(type, enterprise, seal));
    const img = await decode(image.png);
    const pxPerMm = img.width / layout.diameterMm;
    const arc = upperArcLayout(layout, [...enterprise.name].length);
    const c = img.width / 2;
    const shares = arc.anglesDeg.map((deg) => {
      const a = (deg * Math.PI) / 180;
      return redShareAround(img, c + arc.radiusMm * pxPerMm * Math.sin(a), c - arc.radiusMm * pxPerMm * Math.cos(a), arc.fontMm * 0.35 * pxPerMm);
    });
    for (const share of shares) expect(share).toBeGreaterThan(0.12);
    // The same spots are empty when the arc holds a shorter name: the ink comes from the glyphs.
    const short = await decode((await renderEnterpriseSeal({ ...sealDrawingSpec(type, enterprise, seal), arcText: '云签' })).png);
    const emptyAtLastGlyph = (() => {
      const a = (arc.anglesDeg.at(-1)! * Math.PI) / 180;
      return redShareAround(short, c + arc.radiusMm * pxPerMm * Math.sin(a), c - arc.radiusMm * pxPerMm * Math.cos(a), arc.fontMm * 0.35 * pxPerMm);
    })();
    expect(emptyAtLastGlyph).toBeLessThan(0.02);
  });

  it('draws the 防伪码 on the lower arc of the 公章 and the title under the star of a 专用章', async () => {
    const official = sealTypeOf('official')!;
    const withCode = census(await decode((await renderEnterpriseSeal(sealDrawingSpec(official, enterprise, seal))).png));
    const noCode = census(await decode((await renderEnterpriseSeal({ ...sealDrawingSpec(official, enterprise, seal), layout: { ...(official.layout as RoundSealLayout), securityCodeOnArc: false } })).png));
    expect(withCode.red).toBeGreaterThan(noCode.red * 1.01);

    const contract = sealTypeOf('contract')!;
    const spec = sealDrawingSpec(contract, enterprise, seal);
    expect(spec.caption).toBe('合同专用章');
    const img = await decode((await renderEnterpriseSeal(spec)).png);
    const pxPerMm = img.width / 40;
    expect(redShareAround(img, img.width / 2, img.width / 2 + 20 * 0.47 * pxPerMm, 1.5 * pxPerMm)).toBeGreaterThan(0.1);
    const dept = sealDrawingSpec(sealTypeOf('department')!, enterprise, seal);
    expect(dept.caption).toBe('市场营销部');
  });

  it('法定代表人章 shows the legal representative in a square seal; different names give different images', async () => {
    const type = sealTypeOf('legal_rep')!;
    const a = await renderEnterpriseSeal(sealDrawingSpec(type, enterprise, seal));
    const b = await renderEnterpriseSeal(sealDrawingSpec(type, { ...enterprise, legalRepresentative: '李娜' }, seal));
    expect(a.widthMm).toBe(20);
    expect(Buffer.from(a.png).equals(Buffer.from(b.png))).toBe(false);
    const img = await decode(a.png);
    // Right column top cell holds 张 (read right to left).
    expect(redShareAround(img, img.width * 0.72, img.height * 0.3, img.width * 0.08)).toBeGreaterThan(0.1);
  });

  it('refuses text the font cannot draw, invisible characters and malformed codes with a clear 4xx error', async () => {
    const type = sealTypeOf('official')!;
    await expect(renderEnterpriseSeal({ ...sealDrawingSpec(type, enterprise, seal), arcText: '杭州\u{1F600}科技有限公司' })).rejects.toMatchObject({ kind: 'rejected', code: 'SEAL_TEXT_NOT_DRAWABLE', messageEn: expect.stringContaining('😀') });
    await expect(renderEnterpriseSeal({ ...sealDrawingSpec(type, enterprise, seal), arcText: '杭州\u200b科技有限公司' })).rejects.toMatchObject({ code: 'SEAL_TEXT_NOT_DRAWABLE', messageEn: expect.stringContaining('U+200B') });
    await expect(renderEnterpriseSeal({ ...sealDrawingSpec(type, enterprise, seal), arcText: '\uE000有限公司' })).rejects.toMatchObject({ code: 'SEAL_TEXT_NOT_DRAWABLE' });
    await expect(renderEnterpriseSeal({ ...sealDrawingSpec(type, enterprise, seal), arcText: '杭州\u00a0科技有限公司' })).rejects.toMatchObject({ code: 'SEAL_TEXT_NOT_DRAWABLE', messageEn: expect.stringContaining('U+00A0') });
    // Plain spaces (English words, 「（E2E 1）」) are spacing, not refused.
    expect((await renderEnterpriseSeal({ ...sealDrawingSpec(type, enterprise, seal), arcText: 'Acme Trading（E2E 1）有限公司' })).widthMm).toBe(42);
    await expect(renderEnterpriseSeal({ ...sealDrawingSpec(type, enterprise, seal), securityCode: '12345' })).rejects.toMatchObject({ code: 'SEAL_CODE_INVALID' });
    await expect(renderEnterpriseSeal({ ...sealDrawingSpec(type, enterprise, seal), arcText: '很'.repeat(60) })).rejects.toMatchObject({ code: 'SEAL_TEXT_TOO_LONG' });
    await expect(renderEnterpriseSeal(sealDrawingSpec(sealTypeOf('department')!, enterprise, { ...seal, departmentName: null }))).rejects.toMatchObject({ code: 'SEAL_CAPTION_REQUIRED' });
  });
});
