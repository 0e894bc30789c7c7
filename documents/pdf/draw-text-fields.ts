import fontkit from '@pdf-lib/fontkit';
import { PDFDict, PDFName, PDFArray, PDFRef, concatTransformationMatrix, popGraphicsState, pushGraphicsState, rgb, type PDFDocument, type PDFFont, type PDFPage } from 'pdf-lib';
import { DocumentError } from '../errors';
import { cjkSubset, cffTableOf } from './cjk-subset';
import { fitsOnPage, pageGeometry, type PageGeometry } from './page-geometry';
import { DEFAULT_STRUCTURE_LIMITS, checkPageTree, readingStructure, readingStructureAsync } from './pdf-structure';
import { loadPdf } from './safe-load';

/**
 * Draws the field values of a Web template (issue 11, M19) as text into the template's PDF.
 * Boxes are in PDF points from the displayed page's top-left corner (as marks are), page 1-based.
 * The text is set in a subset of Noto Sans CJK SC (only the glyphs used), multiline text wraps
 * inside its box (Latin words kept whole where they fit, closing punctuation never starts a
 * line), a text that does not fit shrinks down to 6 pt and is refused below that. The page count
 * never changes.
 */

export interface TextFieldItem {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
  fontSize: number;
  align: 'left' | 'center' | 'right';
  multiline: boolean;
  text: string;
  /** Names the field in error messages (the field's label). */
  label?: string;
}

export const MIN_TEXT_FONT_SIZE = 6;
export const MAX_TEXT_FONT_SIZE = 72;
export const MAX_TEXT_ITEMS = 500;
export const MAX_TEXT_CHARS = 2000;
/** Distance between the baselines of two lines, in font sizes. */
export const LINE_HEIGHT = 1.3;
/** The ideographic em box of Noto CJK spans 0.88 em above the baseline and 0.12 em below. */
const EM_ABOVE = 0.88;

const CLOSING = '，。、；：！？）》」』】〕〉”’,.;:!?)]}%';
const TOKEN = new RegExp(`[A-Za-z0-9\\u00c0-\\u024f'’@#&_/+\\-]+[${escapeClass(CLOSING)}]*|\\s+|[^\\s][${escapeClass(CLOSING)}]*`, 'gu');

function escapeClass(chars: string): string {
  return chars.replace(/[\]\\^-]/g, (c) => `\\${c}`);
}

type WidthOf = (text: string) => number;

/**
 * Lines of `text` no wider than `maxWidth`, or null if one character is wider. `widthOf` must be
 * additive (the width of a concatenation is the sum; true without kerning, and the subset has no
 * GPOS), so each token is measured once: linear in the text's length.
 */
export function wrapText(text: string, maxWidth: number, widthOf: WidthOf): string[] | null {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineWidth = 0;
    const push = () => {
      lines.push(line.trimEnd());
      line = '';
      lineWidth = 0;
    };
    for (const token of paragraph.match(TOKEN) ?? []) {
      const tokenWidth = widthOf(token);
      if (lineWidth + tokenWidth <= maxWidth) {
        line += token;
        lineWidth += tokenWidth;
        continue;
      }
      if (/^\s+$/.test(token)) {
        push();
        continue;
      }
      if (line.trim() !== '') push();
      else {
        line = '';
        lineWidth = 0;
      }
      if (tokenWidth <= maxWidth) {
        line = token;
        lineWidth = tokenWidth;
        continue;
      }
      for (const ch of token) {
        const w = widthOf(ch);
        if (lineWidth + w <= maxWidth) {
          line += ch;
          lineWidth += w;
        } else if (line === '') return null;
        else {
          push();
          line = ch;
          lineWidth = w;
        }
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

export interface TextLayout {
  fontSize: number;
  lines: string[];
}

/** Height of n lines at size s: the first line's em box plus (n − 1) line steps. */
const blockHeight = (n: number, s: number) => s + (n - 1) * s * LINE_HEIGHT;
const EPS = 0.01;

/**
 * The font size and lines for one box: the requested size if the text fits, else the largest size
 * (in 0.25 pt steps, at least 6 pt) at which it does; null if it does not fit even at 6 pt.
 * `unitWidth` answers a text's width at size 1.
 */
export function layoutText(item: Pick<TextFieldItem, 'width' | 'height' | 'fontSize' | 'multiline' | 'text'>, unitWidth: WidthOf): TextLayout | null {
  const fits = (s: number): string[] | null => {
    if (blockHeight(1, s) > item.height + EPS) return null;
    if (!item.multiline) return unitWidth(item.text) * s <= item.width + EPS ? [item.text] : null;
    const lines = wrapText(item.text, item.width / s + EPS / s, unitWidth);
    return lines && blockHeight(lines.length, s) <= item.height + EPS ? lines : null;
  };
  const wanted = fits(item.fontSize);
  if (wanted) return { fontSize: item.fontSize, lines: wanted };
  if (!fits(MIN_TEXT_FONT_SIZE)) return null;
  // Fitting is monotone in the size: binary search on quarter points.
  let lo = MIN_TEXT_FONT_SIZE * 4;
  let hi = Math.floor(item.fontSize * 4);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid / 4)) lo = mid;
    else hi = mid - 1;
  }
  return { fontSize: lo / 4, lines: fits(lo / 4)! };
}

const nameOf = (item: TextFieldItem, index: number) => (item.label ? `"${item.label}"` : `text item ${index + 1}`);

function normalize(item: TextFieldItem): string {
  const text = item.text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ');
  return item.multiline ? text.replace(/\s+$/u, '') : text.replace(/\n/g, ' ').trim();
}

function checkItems(items: TextFieldItem[], pages: PageGeometry[]): void {
  if (items.length > MAX_TEXT_ITEMS) throw new DocumentError('PDF_TOO_COMPLEX', `more than ${MAX_TEXT_ITEMS} text fields`);
  items.forEach((item, i) => {
    const geometry = Number.isInteger(item.page) ? pages[item.page - 1] : undefined;
    if (!geometry) throw new DocumentError('PAGE_NOT_FOUND', `${nameOf(item, i)}: page ${item.page} does not exist (${pages.length} pages)`);
    if (!fitsOnPage(geometry, item)) throw new DocumentError('POSITION_OUT_OF_PAGE', `${nameOf(item, i)}: the box is not inside page ${item.page}`);
    if (!(item.fontSize >= MIN_TEXT_FONT_SIZE && item.fontSize <= MAX_TEXT_FONT_SIZE)) {
      throw new DocumentError('TEXT_DOES_NOT_FIT', `${nameOf(item, i)}: font size ${item.fontSize} is outside ${MIN_TEXT_FONT_SIZE}–${MAX_TEXT_FONT_SIZE} pt`);
    }
    if (typeof item.text !== 'string' || [...item.text].length > MAX_TEXT_CHARS) {
      throw new DocumentError('TEXT_DOES_NOT_FIT', `${nameOf(item, i)}: the text is longer than ${MAX_TEXT_CHARS} characters`);
    }
  });
}

/** Matrix from the displayed page (origin bottom-left, y up) to user space, for the page's /Rotate. */
function displayToUser(g: PageGeometry): [number, number, number, number, number, number] {
  const { x: X0, y: Y0, width: W, height: H } = g.box;
  switch (g.rotation) {
    case 90:
      return [0, 1, -1, 0, X0 + W, Y0];
    case 180:
      return [-1, 0, 0, -1, X0 + W, Y0 + H];
    case 270:
      return [0, -1, 1, 0, X0, Y0 + H];
    default:
      return [1, 0, 0, 1, X0, Y0];
  }
}

function drawItem(page: PDFPage, g: PageGeometry, font: PDFFont, item: TextFieldItem, layout: TextLayout): void {
  const s = layout.fontSize;
  const left = item.x;
  const top = g.height - item.y;
  page.pushOperators(pushGraphicsState(), concatTransformationMatrix(...displayToUser(g)));
  layout.lines.forEach((line, i) => {
    if (line === '') return;
    const width = font.widthOfTextAtSize(line, s);
    const x = item.align === 'center' ? left + (item.width - width) / 2 : item.align === 'right' ? left + item.width - width : left;
    const baseline = item.multiline ? top - i * s * LINE_HEIGHT - EM_ABOVE * s : top - item.height / 2 - (EM_ABOVE - 0.5) * s;
    page.drawText(line, { x, y: baseline, size: s, font, color: rgb(0, 0, 0) });
  });
  page.pushOperators(popGraphicsState());
}

const SUBSET_TAG_LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** A subset tag derived from the glyphs (PDF 32000 §9.6.4: six capitals, then '+'). */
function subsetTag(text: string): string {
  let h = 2166136261;
  for (const ch of text) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619) >>> 0;
  let tag = '';
  for (let i = 0; i < 6; i++) {
    tag += SUBSET_TAG_LETTERS[h % 26];
    h = Math.floor(h / 26) + (i + 1) * 7919;
  }
  return tag;
}

/**
 * pdf-lib 1.17 decides "CFF" by a property @pdf-lib/fontkit does not have, so it embeds an
 * OpenType/CFF font as a TrueType CIDFont (CIDFontType2, FontFile2 holding the whole OpenType
 * file). Readers guess their way around it (poppler: "Mismatch between font type and embedded
 * font file"). Rewrites it as the specification says: CIDFontType0 with the bare CFF table in
 * FontFile3 /CIDFontType0C (its charset is the identity, so CID = glyph id), no CIDToGIDMap.
 */
function embedAsCidFontType0(doc: PDFDocument, font: PDFFont, fontBytes: Uint8Array): void {
  const type0 = doc.context.lookup(font.ref, PDFDict);
  const cidFont = type0.lookup(PDFName.of('DescendantFonts'), PDFArray).lookup(0, PDFDict);
  const descriptor = cidFont.lookup(PDFName.of('FontDescriptor'), PDFDict);
  const fileKey = [PDFName.of('FontFile2'), PDFName.of('FontFile3')].find((k) => descriptor.has(k));
  const fileRef = fileKey && descriptor.get(fileKey);
  if (!(fileRef instanceof PDFRef)) throw new DocumentError('FONT_NOT_FOUND', 'the embedded CJK font has no font file');
  doc.context.assign(fileRef, doc.context.flateStream(cffTableOf(fontBytes), { Subtype: 'CIDFontType0C' }));
  descriptor.delete(fileKey!);
  descriptor.set(PDFName.of('FontFile3'), fileRef);
  cidFont.set(PDFName.of('Subtype'), PDFName.of('CIDFontType0'));
  cidFont.delete(PDFName.of('CIDToGIDMap'));
}

/**
 * Draws the items; answers the new PDF (same pages, classic cross-reference table for signing).
 * The steps that read or write the template's own objects (its pages, their /Resources, /Contents
 * and /Annots as pdf-lib normalizes them for drawing, the save) run in readingStructure: an object
 * of the wrong kind fails as PDF_CORRUPT (permanent), never as a plain Error retried as
 * infrastructure. Uploads are checked for these shapes by inspectPdf (checkObjectShapes).
 */
export async function drawTextFields(pdf: Uint8Array, items: TextFieldItem[]): Promise<Uint8Array> {
  const { doc } = await loadPdf(pdf);
  checkPageTree(doc, DEFAULT_STRUCTURE_LIMITS);
  const { pages, geometries } = readingStructure('reading the pages', () => {
    const pages = doc.getPages();
    return { pages, geometries: pages.map((p) => pageGeometry(p)) };
  });
  checkItems(items, geometries);
  const texts = items.map(normalize);
  const drawn = items.map((item, i) => ({ item, text: texts[i]!, index: i })).filter((d) => d.text !== '');
  if (drawn.length > 0) {
    const allText = drawn.map((d) => d.text).join('');
    const subset = await cjkSubset(allText);
    if (subset.missing.length > 0) {
      const first = subset.missing[0]!;
      const owner = drawn.find((d) => [...d.text].some((c) => c.codePointAt(0) === first))!;
      throw new DocumentError(
        'TEXT_UNSUPPORTED_CHARACTER',
        `${nameOf(owner.item, owner.index)}: the font has no glyph for ${subset.missing.map((cp) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`).join(', ')}`,
      );
    }
    doc.registerFontkit(fontkit);
    const font = await doc.embedFont(subset.bytes, { subset: false, customName: `${subsetTag(allText)}+NotoSansCJKsc-Regular` });
    const widths = new Map<string, number>();
    const unitWidth: WidthOf = (text) => {
      let w = 0;
      for (const ch of text) {
        let cw = widths.get(ch);
        if (cw === undefined) widths.set(ch, (cw = font.widthOfTextAtSize(ch, 1000) / 1000));
        w += cw;
      }
      return w;
    };
    for (const { item, text, index } of drawn) {
      const layout = layoutText({ ...item, text }, unitWidth);
      if (!layout) {
        throw new DocumentError('TEXT_DOES_NOT_FIT', `${nameOf(item, index)} does not fit its box (${item.width}×${item.height} pt) even at ${MIN_TEXT_FONT_SIZE} pt`);
      }
      readingStructure(`drawing on page ${item.page}`, () => drawItem(pages[item.page - 1]!, geometries[item.page - 1]!, font, { ...item, text }, layout));
    }
    await font.embed();
    embedAsCidFontType0(doc, font, subset.bytes);
  }
  return readingStructureAsync('saving', () => doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false }));
}
