import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { formatSealDate, renderDateSeal } from './date-seal';

/** Counts opaque pixels by colour family. */
async function inkCensus(png: Uint8Array) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  let red = 0;
  let dark = 0;
  let transparent = 0;
  for (let i = 0; i < data.length; i += 4) {
    const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
    if (a < 16) transparent++;
    else if (a > 200 && r > 150 && g < 90 && b < 90) red++;
    else if (a > 200 && r < 80 && g < 80 && b < 80) dark++;
  }
  return { red, dark, transparent, total: info.width * info.height, width: info.width, height: info.height };
}

describe('日期章', () => {
  // 2026-03-04 17:30 UTC is already 5 March in China.
  const at = new Date('2026-03-04T17:30:00Z');

  it('formats the calendar day in China in the chosen format', () => {
    expect(formatSealDate(at, 'YYYY年MM月DD日')).toBe('2026年03月05日');
    expect(formatSealDate(at, 'YYYY-MM-DD')).toBe('2026-03-05');
    expect(formatSealDate(at, 'YYYY.MM.DD')).toBe('2026.03.05');
    expect(formatSealDate(at, 'YYYY/MM/DD')).toBe('2026/03/05');
    expect(() => formatSealDate(at, 'DD/MM' as never)).toThrow(/unknown date format/);
  });

  it('renders red or black text on a transparent background, wider for the Chinese format', async () => {
    const red = await inkCensus(await renderDateSeal(at, { format: 'YYYY年MM月DD日', color: 'red' }));
    expect(red.red).toBeGreaterThan(1500);
    expect(red.dark).toBe(0);
    expect(red.transparent / red.total).toBeGreaterThan(0.5);
    const black = await inkCensus(await renderDateSeal(at, { format: 'YYYY-MM-DD', color: 'black' }));
    expect(black.dark).toBeGreaterThan(1000);
    expect(black.red).toBe(0);
    expect(red.width).toBeGreaterThan(black.width);
    expect(red.height).toBe(black.height);
  });

  it('refuses an unknown colour', async () => {
    await expect(renderDateSeal(at, { format: 'YYYY-MM-DD', color: 'green' as never })).rejects.toThrow(/colour/);
  });
});
