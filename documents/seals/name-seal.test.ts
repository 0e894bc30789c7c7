import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../errors';
import { findCjkFonts } from './fonts';
import { renderNameSeal } from './name-seal';

function pngSize(png: Uint8Array): { width: number; height: number } {
  const b = Buffer.from(png);
  expect(b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

/** Decodes a PNG by drawing it into an SVG with resvg; returns RGBA pixels. */
function decode(png: Uint8Array): { pixels: Buffer; width: number; height: number } {
  const { width, height } = pngSize(png);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><image width="${width}" height="${height}" href="data:image/png;base64,${Buffer.from(png).toString('base64')}"/></svg>`;
  const r = new Resvg(svg, { font: { loadSystemFonts: false } }).render();
  return { pixels: r.pixels, width: r.width, height: r.height };
}

function census(png: Uint8Array) {
  const { pixels, width, height } = decode(png);
  let red = 0;
  let innerRed = 0;
  let innerTotal = 0;
  let transparent = 0;
  let other = 0;
  const margin = Math.round(height * 0.15); // inside the border: only glyphs can be red here
  for (let i = 0; i < pixels.length; i += 4) {
    const [r, g, b, a] = [pixels[i]!, pixels[i + 1]!, pixels[i + 2]!, pixels[i + 3]!];
    const [x, y] = [(i / 4) % width, Math.floor(i / 4 / width)];
    const inner = x >= margin && x < width - margin && y >= margin && y < height - margin;
    const isRed = a > 128 && r > 150 && g < 90 && b < 90;
    if (inner) innerTotal++;
    if (inner && isRed) innerRed++;
    if (a < 16) transparent++;
    else if (isRed) red++;
    else if (a > 200) other++;
  }
  const total = width * height;
  return { red: red / total, glyphs: innerRed / innerTotal, transparent: transparent / total, other: other / total, width, height };
}

describe('renderNameSeal', () => {
  it('finds the Noto CJK fonts', () => {
    const fonts = findCjkFonts();
    expect(fonts.serif.length + fonts.sans.length).toBeGreaterThan(0);
    expect(fonts.serif[0] ?? fonts.sans[0]).toMatch(/Noto(Serif|Sans)CJK/);
    expect(() => findCjkFonts(['/nonexistent-font-dir'])).toThrow(expect.objectContaining({ code: 'FONT_NOT_FOUND' }));
  });

  it('renders a red square seal on a transparent background, cached per name', async () => {
    let t = performance.now();
    const png = await renderNameSeal('张伟');
    const first = performance.now() - t;
    t = performance.now();
    expect(await renderNameSeal('张伟')).toBe(png);
    expect(await renderNameSeal(' 张伟 ')).toBe(png);
    console.log(`seal render ${first.toFixed(0)} ms, cached ${(performance.now() - t).toFixed(2)} ms, ${png.length} bytes`);
    const c = census(png);
    expect(c.width).toBe(c.height);
    expect(c.red).toBeGreaterThan(0.2); // border + four glyphs
    expect(c.glyphs).toBeGreaterThan(0.1); // the text really rendered (resvg drops text silently without a font)
    expect(c.transparent).toBeGreaterThan(0.4);
    expect(c.other).toBeLessThan(0.02);
  });

  it('draws the glyphs: 2-, 3- and 4-character names fill the square grid alike', async () => {
    const three = census(await renderNameSeal('王小明'));
    console.log('ink ratios (all / inside border):', three.red.toFixed(2), three.glyphs.toFixed(2));
    for (const name of ['张伟', '欧阳小明']) {
      const c = census(await renderNameSeal(name));
      expect(c.width).toBe(three.width);
      expect(c.red).toBeGreaterThan(0.2);
      expect(c.glyphs).toBeGreaterThan(0.1);
    }
    // Different names give different images.
    expect(Buffer.from(await renderNameSeal('张伟')).equals(Buffer.from(await renderNameSeal('李伟')))).toBe(false);
  });

  it('falls back to a rectangle for long or non-Han names', async () => {
    for (const name of ['上海示例科技有限公司', '阿卜杜·热合曼', 'Alice Smith']) {
      const c = census(await renderNameSeal(name));
      expect(c.width).toBeGreaterThan(c.height * 1.5);
      expect(c.red).toBeGreaterThan(0.1);
      expect(c.glyphs).toBeGreaterThan(0.1);
    }
  });

  it('rejects empty or absurd names', async () => {
    await expect(renderNameSeal('  ')).rejects.toBeInstanceOf(DocumentError);
    await expect(renderNameSeal('x'.repeat(31))).rejects.toMatchObject({ code: 'INVALID_SEAL_TEXT' });
    await expect(renderNameSeal('a\u0000b')).rejects.toMatchObject({ code: 'INVALID_SEAL_TEXT' });
    await expect(renderNameSeal('...')).rejects.toMatchObject({ code: 'INVALID_SEAL_TEXT' });
    await expect(renderNameSeal('张\u200b伟')).rejects.toMatchObject({ code: 'INVALID_SEAL_TEXT' });
    await expect(renderNameSeal('محمد علي')).rejects.toMatchObject({ code: 'INVALID_SEAL_TEXT' });
  });
});
