import { renderAsync } from '@resvg/resvg-js';
import sharp from 'sharp';
import { AppError } from '../../domain/errors';
import { DocumentError } from '../errors';
import { readFontCoverage, type CodePointCoverage } from './font-coverage';
import { findCjkFonts } from './fonts';
import { SEAL_RED } from './name-seal';
import { sealRenders } from './seal-renders';

/**
 * Enterprise seals (公章, 专用章, 部门章, 法定代表人章) drawn as vector SVG and rendered by resvg at
 * print resolution on a transparent background. All geometry is in millimetres (the SVG viewBox),
 * so the PNG's pixel size is the physical size at `dpi`; the result carries that size so stamping
 * can place the seal at its real dimensions.
 */

export interface RoundSealLayout {
  shape: 'round';
  diameterMm: number;
  borderMm: number;
  /** Star size, point to opposite notch (the diameter of its outer circle). */
  starMm: number;
  /** Horizontal text under the star: the seal title (合同专用章), the department name, or none. */
  caption: 'title' | 'department' | 'none';
  /** The 13-digit 防伪码 along the lower arc. */
  securityCodeOnArc: boolean;
}

export interface SquareSealLayout {
  shape: 'square';
  sideMm: number;
  borderMm: number;
}

export interface EnterpriseSealSpec {
  layout: RoundSealLayout | SquareSealLayout;
  /** Round seals: the text along the upper arc (the enterprise name). */
  arcText?: string;
  /** Round seals: the horizontal text under the star (title or department name). */
  caption?: string;
  /** Round seals with `securityCodeOnArc`: 13 digits. */
  securityCode?: string;
  /** Square seals: the person's name (法定代表人). */
  personName?: string;
  /** Default 600. */
  dpi?: number;
}

export interface SealImage {
  png: Uint8Array;
  widthMm: number;
  heightMm: number;
  widthPx: number;
  heightPx: number;
}

export const SEAL_DPI = 600;
const HAN = /^\p{Script=Han}+$/u;
const MIN_SQUEEZE = 0.42;

export const mmToPx = (mm: number, dpi = SEAL_DPI) => Math.round((mm / 25.4) * dpi);

const escapeXml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const f = (n: number) => Number(n.toFixed(4));

const refuse = (code: string, zh: string, en: string, details?: Record<string, unknown>) => new AppError('rejected', code, zh, en, details);

/** A glyph whose ideographic em box is centred on the origin after `transform`. */
function glyph(ch: string, transform: string, fontSize: number, squeeze = 1): string {
  const t = squeeze === 1 ? transform : `${transform} scale(${f(squeeze)} 1)`;
  return `<text transform="${t}" x="0" y="${f(fontSize * 0.38)}" font-size="${f(fontSize)}" text-anchor="middle">${escapeXml(ch)}</text>`;
}

function star(cx: number, cy: number, outer: number): string {
  const inner = outer * 0.382;
  const points: string[] = [];
  for (let k = 0; k < 10; k++) {
    const r = k % 2 === 0 ? outer : inner;
    const a = ((-90 + k * 36) * Math.PI) / 180;
    points.push(`${f(cx + r * Math.cos(a))},${f(cy + r * Math.sin(a))}`);
  }
  return `<polygon points="${points.join(' ')}"/>`;
}

/** Width of a text line in em units (Han and full-width glyphs 1 em, others ≈ 0.6 em). */
const emWidth = (text: string) => [...text].reduce((w, ch) => w + (/[\p{Script=Han}\u3000-\u30ff\uff00-\uffef]/u.test(ch) ? 1 : 0.6), 0);

export interface ArcLayout {
  fontMm: number;
  /** Radius of the glyphs' centres. */
  radiusMm: number;
  /** Horizontal squeeze of each glyph (1 = none). */
  squeeze: number;
  /** Each glyph's angle, clockwise from the top. */
  anglesDeg: number[];
}

/** Smallest upper-arc font, a share of the diameter (3.8 mm on a 42 mm 公章): a long name is set smaller before it is refused. */
const MIN_ARC_FONT_SHARE = 0.09;
const ARC_FONT_SHARE = 0.155;

/**
 * Where the upper-arc text of a round seal goes: one glyph per character, spread over up to 250°. A name
 * too long for the full font at the narrowest squeeze is set in a smaller font (as long names are cut on
 * real seals), down to MIN_ARC_FONT_SHARE of the diameter; longer than that is refused.
 */
export function upperArcLayout(layout: RoundSealLayout, count: number): ArcLayout {
  const d = layout.diameterMm;
  const R = d / 2;
  const maxSpan = layout.caption === 'none' ? 250 : 235;
  const fit = (fontMm: number) => {
    const radiusMm = R - layout.borderMm - d * 0.02 - fontMm / 2;
    const natural = count * ((fontMm * 1.04) / radiusMm) * (180 / Math.PI); // degrees at full glyph width
    return { fontMm, radiusMm, natural, squeeze: natural > maxSpan ? maxSpan / natural : 1 };
  };
  let arc = fit(d * ARC_FONT_SHARE);
  for (let share = ARC_FONT_SHARE - 0.005; arc.squeeze < MIN_SQUEEZE && share >= MIN_ARC_FONT_SHARE - 1e-9; share -= 0.005) arc = fit(d * share);
  if (arc.squeeze < MIN_SQUEEZE) throw refuse('SEAL_TEXT_TOO_LONG', '企业名称过长，无法排入印章', 'The enterprise name is too long to fit on the seal');
  const span = Math.min(maxSpan, Math.max(arc.natural * 1.2, Math.min(160, maxSpan)));
  const pitch = span / Math.max(1, count);
  return { fontMm: arc.fontMm, radiusMm: arc.radiusMm, squeeze: arc.squeeze, anglesDeg: Array.from({ length: count }, (_, i) => -span / 2 + pitch * (i + 0.5)) };
}

function roundSeal(layout: RoundSealLayout, spec: EnterpriseSealSpec): { body: string; textRing: [number, number] } {
  const d = layout.diameterMm;
  const R = d / 2;
  const c = R;
  const b = layout.borderMm;
  const parts: string[] = [`<circle cx="${c}" cy="${c}" r="${f(R - b / 2)}" fill="none" stroke="${SEAL_RED}" stroke-width="${b}"/>`];
  parts.push(star(c, c, layout.starMm / 2));

  // Enterprise name along the upper arc, read clockwise, each glyph's foot toward the centre.
  const arc = upperArcLayout(layout, [...(spec.arcText ?? '')].length);
  [...(spec.arcText ?? '')].forEach((ch, i) => {
    parts.push(glyph(ch, `translate(${c} ${c}) rotate(${f(arc.anglesDeg[i]!)}) translate(0 ${f(-arc.radiusMm)})`, arc.fontMm, arc.squeeze));
  });

  if (layout.securityCodeOnArc && spec.securityCode) {
    const digits = [...spec.securityCode];
    const digitFont = d * 0.058;
    const rd = R - b - d * 0.012 - digitFont / 2;
    const step = ((digitFont * 0.72) / rd) * (180 / Math.PI);
    const total = step * digits.length;
    digits.forEach((ch, i) => {
      const phi = total / 2 - step * (i + 0.5); // left to right across the bottom
      parts.push(glyph(ch, `translate(${c} ${c}) rotate(${f(phi)}) translate(0 ${f(rd)})`, digitFont));
    });
  }

  if (layout.caption !== 'none' && spec.caption) {
    const capFont = d * 0.11;
    const maxWidth = d * 0.6;
    const width = emWidth(spec.caption) * capFont;
    const capSqueeze = width > maxWidth ? maxWidth / width : 1;
    if (capSqueeze < MIN_SQUEEZE) throw refuse('SEAL_CAPTION_TOO_LONG', '印章下方文字（名称或部门）过长', 'The text under the star (title or department) is too long');
    const cy = c + R * 0.47;
    parts.push(glyph(spec.caption, `translate(${c} ${f(cy)})`, capFont, capSqueeze));
  }
  return { body: parts.join(''), textRing: [arc.radiusMm - arc.fontMm / 2, arc.radiusMm + arc.fontMm / 2] };
}

function squareSeal(layout: SquareSealLayout, spec: EnterpriseSealSpec): string {
  const s = layout.sideMm;
  const b = layout.borderMm;
  const parts: string[] = [`<rect x="${b / 2}" y="${b / 2}" width="${s - b}" height="${s - b}" rx="${f(b * 0.6)}" fill="none" stroke="${SEAL_RED}" stroke-width="${b}"/>`];
  const pad = b + s * 0.035;
  const inner = s - 2 * pad;
  const name = [...(spec.personName ?? '')];
  if (HAN.test(name.join('')) && name.length <= 4) {
    // 2×2 grid read right to left, top to bottom: 张伟 → 张伟之印, 王小明 → 王小明印.
    const text = name.length === 1 ? [...name, '印'] : name.length === 2 ? [...name, '之', '印'] : name.length === 3 ? [...name, '印'] : name;
    const cell = inner / 2;
    const font = cell * 0.96;
    const right = pad + cell * 1.5;
    const left = pad + cell * 0.5;
    if (text.length === 2) {
      parts.push(glyph(text[0]!, `translate(${f(right)} ${s / 2}) scale(1 1.9)`, font), glyph(text[1]!, `translate(${f(left)} ${s / 2}) scale(1 1.9)`, font));
    } else {
      const slots: [number, number][] = [
        [right, pad + cell * 0.5],
        [right, pad + cell * 1.5],
        [left, pad + cell * 0.5],
        [left, pad + cell * 1.5],
      ];
      text.forEach((ch, i) => parts.push(glyph(ch, `translate(${f(slots[i]![0])} ${f(slots[i]![1])})`, font)));
    }
    return parts.join('');
  }
  // Longer or non-Han names: two lines, squeezed horizontally to fit.
  const half = Math.ceil(name.length / 2);
  const lines = name.length <= 3 ? [name.join('')] : [name.slice(0, half).join(''), name.slice(half).join('')];
  const font = (inner / lines.length) * 0.9;
  lines.forEach((line, i) => {
    const width = emWidth(line) * font;
    const squeeze = width > inner ? inner / width : 1;
    if (squeeze < MIN_SQUEEZE) throw refuse('SEAL_TEXT_TOO_LONG', '姓名过长，无法排入印章', 'The name is too long to fit on the seal');
    parts.push(glyph(line, `translate(${s / 2} ${f(pad + (inner / lines.length) * (i + 0.5))})`, font, squeeze));
  });
  return parts.join('');
}

const coverageByFile = new Map<string, CodePointCoverage>();

function fontFor(): { file: string; family: string; coverage: CodePointCoverage } {
  const fonts = findCjkFonts();
  const useSerif = fonts.serif.length > 0;
  const file = (useSerif ? fonts.serif : fonts.sans)[0]!;
  let coverage = coverageByFile.get(file);
  if (!coverage) {
    coverage = readFontCoverage(file);
    coverageByFile.set(file, coverage);
  }
  return { file, family: useSerif ? fonts.serifFamily : fonts.sansFamily, coverage };
}

/** Refuses text the font cannot draw (resvg would silently leave a gap) or that is invisible. */
export function assertSealTextDrawable(text: string, coverage: CodePointCoverage = fontFor().coverage): void {
  // Plain and ideographic spaces are spacing; other separators and control/format characters are invisible.
  const invisible = (ch: string) => ch !== ' ' && ch !== '\u3000' && /[\p{C}\p{Z}]/u.test(ch);
  const bad = [...text].filter((ch) => invisible(ch) || (ch !== ' ' && ch !== '\u3000' && !coverage.has(ch.codePointAt(0)!)));
  if (bad.length) {
    const shown = [...new Set(bad)].map((ch) => (invisible(ch) ? `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}` : ch)).join(' ');
    throw refuse('SEAL_TEXT_NOT_DRAWABLE', `印章文字含有无法绘制的字符：${shown}`, `The seal text has characters that cannot be drawn: ${shown}`, { characters: shown });
  }
}

/** Share of seal-red pixels in the ring [r0, r1] mm around the centre (round) or in the whole inner area (square). */
function inkShare(pixels: Uint8Array, widthPx: number, sizeMm: number, ring: [number, number] | null): number {
  const scale = widthPx / sizeMm;
  const c = widthPx / 2;
  let ink = 0;
  let total = 0;
  for (let y = 0; y < widthPx; y += 2) {
    for (let x = 0; x < widthPx; x += 2) {
      const rMm = Math.hypot(x - c, y - c) / scale;
      const inside = ring ? rMm >= ring[0] && rMm <= ring[1] : Math.abs(x - c) / scale < sizeMm * 0.4 && Math.abs(y - c) / scale < sizeMm * 0.4;
      if (!inside) continue;
      total++;
      const i = (y * widthPx + x) * 4;
      if (pixels[i + 3]! > 128 && pixels[i]! > 150 && pixels[i + 1]! < 90) ink++;
    }
  }
  return total ? ink / total : 0;
}

/** Draws an enterprise seal. Text must be covered by the CJK font (refused otherwise, 422). */
export async function renderEnterpriseSeal(spec: EnterpriseSealSpec): Promise<SealImage> {
  const dpi = spec.dpi ?? SEAL_DPI;
  const { layout } = spec;
  const font = fontFor();
  if (layout.shape === 'round') {
    if (!spec.arcText?.trim()) throw refuse('SEAL_TEXT_REQUIRED', '印章缺少企业名称', 'The seal needs the enterprise name');
    if (layout.securityCodeOnArc && !/^\d{13}$/.test(spec.securityCode ?? '')) throw refuse('SEAL_CODE_INVALID', '防伪码必须是 13 位数字', 'The security code must be 13 digits');
    if (layout.caption !== 'none' && !spec.caption?.trim()) throw refuse('SEAL_CAPTION_REQUIRED', '印章缺少星下文字（名称或部门）', 'The seal needs the text under the star (title or department)');
  } else if (!spec.personName?.trim()) {
    throw refuse('SEAL_TEXT_REQUIRED', '印章缺少姓名', 'The seal needs a name');
  }
  for (const text of [spec.arcText, spec.caption, spec.personName, spec.securityCode]) if (text) assertSealTextDrawable(text, font.coverage);

  const sizeMm = layout.shape === 'round' ? layout.diameterMm : layout.sideMm;
  const px = mmToPx(sizeMm, dpi);
  let body: string;
  let ring: [number, number] | null = null;
  if (layout.shape === 'round') {
    const round = roundSeal(layout, spec);
    body = round.body;
    ring = round.textRing;
  } else {
    body = squareSeal(layout, spec);
  }
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${px}" height="${px}" viewBox="0 0 ${sizeMm} ${sizeMm}">` +
    `<g fill="${SEAL_RED}" font-family="${font.family}" font-weight="bold">${body}</g></svg>`;
  // One of the process's few seal drawings at a time (seal-renders.ts): the steps below hold libuv's threads.
  return sealRenders.run(async () => {
    // renderAsync runs in libuv's pool, off the event loop (font loading + drawing take 100–300 ms).
    const rendered = await renderAsync(svg, {
      fitTo: { mode: 'original' },
      font: { loadSystemFonts: false, fontFiles: [font.file], defaultFontFamily: font.family, serifFamily: font.family, sansSerifFamily: font.family },
    });
    if (inkShare(rendered.pixels, rendered.width, sizeMm, ring) < 0.02) {
      throw new DocumentError('FONT_NOT_FOUND', `seal text did not render with ${font.file}`);
    }
    // PNG encoding by sharp in libuv's pool (resvg's asPng() blocks the event loop 33–90 ms for 992 px); resvg's pixels are premultiplied.
    const png = await sharp(rendered.pixels, { raw: { width: rendered.width, height: rendered.height, channels: 4, premultiplied: true } }).png().toBuffer();
    return { png: new Uint8Array(png), widthMm: sizeMm, heightMm: sizeMm, widthPx: rendered.width, heightPx: rendered.height };
  });
}
