import { renderAsync } from '@resvg/resvg-js';
import { DocumentError } from '../errors';
import { findCjkFonts } from './fonts';
import { normalizePersonName, personNameProblem } from './person-name';
import { sealRenders } from './seal-renders';

/**
 * Personal name seal (私章) as a PNG with a transparent background.
 *  - 1–4 Han characters: square seal, 2×2 grid read right-to-left, top-to-bottom
 *    (two-character names get 之印 appended: 张伟 → 张伟之印; three get 印; one gets 印 and is
 *    laid out as two tall columns).
 *  - Longer names or non-Han text: horizontal rectangular seal with the name on one line.
 */

export const SEAL_RED = '#c8161d';
const SIZE = 360; // px, square seal
const BORDER = Math.round(SIZE * 0.06);
const PADDING = BORDER + Math.round(SIZE * 0.035);
const CACHE_LIMIT = 500;
const HAN = /^\p{Script=Han}+$/u;

const cache = new Map<string, Promise<Uint8Array>>();

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Baseline for a glyph whose ideographic em box (−0.12…0.88 em) is centred on cy. */
const baseline = (cy: number, fontSize: number) => cy + fontSize * 0.38;

function glyph(ch: string, cx: number, cy: number, fontSize: number, stretchY = 1): string {
  const t = `translate(${cx} ${cy}) scale(1 ${stretchY})`;
  return `<text transform="${t}" x="0" y="${baseline(0, fontSize)}" font-size="${fontSize}" text-anchor="middle">${escapeXml(ch)}</text>`;
}

function frame(width: number, height: number, body: string, family: string): string {
  const half = BORDER / 2;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">` +
    `<rect x="${half}" y="${half}" width="${width - BORDER}" height="${height - BORDER}" rx="${BORDER * 0.8}" ` +
    `fill="none" stroke="${SEAL_RED}" stroke-width="${BORDER}"/>` +
    `<g fill="${SEAL_RED}" font-family="${family}" font-weight="bold">${body}</g></svg>`
  );
}

function squareSeal(name: string, family: string): string {
  const chars = [...name];
  const text = chars.length === 1 ? [...chars, '印'] : chars.length === 2 ? [...chars, '之', '印'] : chars.length === 3 ? [...chars, '印'] : chars;
  const inner = SIZE - 2 * PADDING;
  const cell = inner / 2;
  const fontSize = cell * 0.96;
  const right = PADDING + cell * 1.5;
  const left = PADDING + cell * 0.5;
  if (text.length === 2) {
    // Two tall columns, right to left.
    const cy = SIZE / 2;
    return frame(SIZE, SIZE, glyph(text[0]!, right, cy, fontSize, 1.9) + glyph(text[1]!, left, cy, fontSize, 1.9), family);
  }
  const top = PADDING + cell * 0.5;
  const bottom = PADDING + cell * 1.5;
  const slots: [number, number][] = [
    [right, top],
    [right, bottom],
    [left, top],
    [left, bottom],
  ];
  return frame(SIZE, SIZE, text.map((ch, i) => glyph(ch, slots[i]![0], slots[i]![1], fontSize)).join(''), family);
}

function rectangleSeal(name: string, family: string): string {
  const fontSize = 120;
  const height = fontSize + 2 * PADDING + 20;
  const textWidth = [...name].reduce((w, ch) => w + (/[\p{Script=Han}\u3000-\u30ff\uff00-\uffef]/u.test(ch) ? 1 : 0.62) * fontSize, 0);
  const width = Math.max(height, Math.round(textWidth + 2 * PADDING + 30));
  const body =
    `<text x="${width / 2}" y="${baseline(height / 2, fontSize)}" font-size="${fontSize}" text-anchor="middle" ` +
    `textLength="${Math.round(textWidth)}" lengthAdjust="spacingAndGlyphs">${escapeXml(name)}</text>`;
  return frame(width, height, body, family);
}

/** Share of seal-red pixels inside the frame (text area); 0 means the font did not render. */
function innerInkRatio(pixels: Uint8Array, width: number, height: number): number {
  let ink = 0;
  let total = 0;
  for (let y = PADDING; y < height - PADDING; y++) {
    for (let x = PADDING; x < width - PADDING; x++) {
      const i = (y * width + x) * 4;
      total++;
      if (pixels[i + 3]! > 128 && pixels[i]! > 150 && pixels[i + 1]! < 90) ink++;
    }
  }
  return total ? ink / total : 0;
}

async function render(name: string): Promise<Uint8Array> {
  const fonts = findCjkFonts();
  const useSerif = fonts.serif.length > 0;
  const family = useSerif ? fonts.serifFamily : fonts.sansFamily;
  const fontFiles = [(useSerif ? fonts.serif : fonts.sans)[0]!];
  const svg = HAN.test(name) && [...name].length <= 4 ? squareSeal(name, family) : rectangleSeal(name, family);
  // renderAsync runs off the event loop (font loading + rendering take 100–300 ms), in libuv's pool: one of the
  // process's few seal drawings at a time (seal-renders.ts).
  const rendered = await sealRenders.run(() =>
    renderAsync(svg, {
      fitTo: { mode: 'original' },
      font: { loadSystemFonts: false, fontFiles, defaultFontFamily: family, serifFamily: family, sansSerifFamily: family },
    }),
  );
  if (innerInkRatio(rendered.pixels, rendered.width, rendered.height) < 0.001) {
    throw new DocumentError('FONT_NOT_FOUND', `seal text "${name}" did not render with ${fontFiles.join(', ')}`);
  }
  return new Uint8Array(rendered.asPng());
}

/**
 * Renders (and caches in memory) the red name seal PNG for `name`. Accepts exactly the names
 * that pass the person-name rule of 实名认证 (person-name.ts); anything else is INVALID_SEAL_TEXT.
 */
export function renderNameSeal(name: string): Promise<Uint8Array> {
  const text = normalizePersonName(name ?? '');
  let problem;
  try {
    problem = personNameProblem(text);
  } catch (err) {
    return Promise.reject(err);
  }
  if (problem) return Promise.reject(new DocumentError('INVALID_SEAL_TEXT', `seal name refused: ${problem.messageEn}`));
  const hit = cache.get(text);
  if (hit) return hit;
  const result = render(text);
  result.catch(() => cache.delete(text));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(text, result);
  return result;
}
