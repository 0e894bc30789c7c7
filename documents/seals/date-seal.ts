import { renderAsync } from '@resvg/resvg-js';
import { DocumentError } from '../errors';
import { findCjkFonts } from './fonts';
import { SEAL_RED } from './name-seal';
import { sealRenders } from './seal-renders';

/**
 * 日期章: the signing date as a PNG on a transparent background, in seal red or black, in the
 * format the user chose (YYYY年MM月DD日, YYYY-MM-DD, YYYY.MM.DD, YYYY/MM/DD). The date is the
 * calendar day in China (Asia/Shanghai), whatever the server's time zone.
 */

export const DATE_SEAL_FORMATS = ['YYYY年MM月DD日', 'YYYY-MM-DD', 'YYYY.MM.DD', 'YYYY/MM/DD'] as const;
export type DateSealFormat = (typeof DATE_SEAL_FORMATS)[number];
export const DATE_SEAL_COLORS = { red: SEAL_RED, black: '#1a1a1a' } as const;
export type DateSealColor = keyof typeof DATE_SEAL_COLORS;

const FONT_SIZE = 64; // px; ≈ 4 mm tall when the image is placed at 300 dpi
const PADDING = 8;
const CACHE_LIMIT = 200;
const cache = new Map<string, Promise<Uint8Array>>();

/** The calendar date of `at` in China, written in `format`. */
export function formatSealDate(at: Date, format: DateSealFormat): string {
  if (!DATE_SEAL_FORMATS.includes(format)) throw new DocumentError('INVALID_SEAL_TEXT', `unknown date format ${String(format)}`);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)!.value;
  return format.replace('YYYY', part('year')).replace('MM', part('month')).replace('DD', part('day'));
}

const isWide = (ch: string) => /[\p{Script=Han}\u3000-\u30ff\uff00-\uffef]/u.test(ch);

async function render(text: string, fill: string): Promise<Uint8Array> {
  const fonts = findCjkFonts();
  const family = fonts.sans.length ? fonts.sansFamily : fonts.serifFamily;
  const fontFiles = [(fonts.sans.length ? fonts.sans : fonts.serif)[0]!];
  const textWidth = Math.round([...text].reduce((w, ch) => w + (isWide(ch) ? 1 : 0.56) * FONT_SIZE, 0));
  const width = textWidth + 2 * PADDING;
  const height = Math.round(FONT_SIZE * 1.25) + 2 * PADDING;
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<text x="${width / 2}" y="${height / 2 + FONT_SIZE * 0.36}" font-size="${FONT_SIZE}" font-family="${family}" font-weight="bold" fill="${fill}" ` +
    `text-anchor="middle" textLength="${textWidth}" lengthAdjust="spacingAndGlyphs">${text}</text></svg>`;
  // In libuv's pool, one of the process's few seal drawings at a time (seal-renders.ts).
  const rendered = await sealRenders.run(() =>
    renderAsync(svg, {
      fitTo: { mode: 'original' },
      font: { loadSystemFonts: false, fontFiles, defaultFontFamily: family, serifFamily: family, sansSerifFamily: family },
    }),
  );
  const pixels = rendered.pixels; // a getter that copies: read it once
  let ink = 0;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 128) ink++;
  if (ink < 200) throw new DocumentError('FONT_NOT_FOUND', `date seal "${text}" did not render with ${fontFiles.join(', ')}`);
  return new Uint8Array(rendered.asPng());
}

/** Renders (and caches in memory) the 日期章 PNG of `at` in `format` and `color`. */
export function renderDateSeal(at: Date, options: { format: DateSealFormat; color: DateSealColor }): Promise<Uint8Array> {
  let text: string;
  try {
    text = formatSealDate(at, options.format);
  } catch (err) {
    return Promise.reject(err);
  }
  const fill = DATE_SEAL_COLORS[options.color];
  if (!fill) return Promise.reject(new DocumentError('INVALID_SEAL_TEXT', `unknown date seal colour ${String(options.color)}`));
  const key = `${text}|${options.color}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const result = render(text, fill);
  result.catch(() => cache.delete(key));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, result);
  return result;
}
