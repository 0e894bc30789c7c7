import { DocumentError } from '../errors';

/**
 * 关键字定位: where keywords appear in a PDF (pdfjs-dist text content). In-thread implementation;
 * documents/pool runs it in a worker thread.
 *
 * Matching ignores whitespace and folds full-width ASCII (！…～, U+3000) to ASCII on both sides, so a keyword
 * split across text items (LibreOffice often cuts a line into several) or typed with half-width punctuation is
 * still found. Positions are PDF points from the displayed page's top-left corner (crop box, after /Rotate),
 * page 1-based: the box of the keyword's characters on the line where it starts. Hits are in reading order
 * (page, then top to bottom, then left to right); occurrences do not overlap.
 */

export interface KeywordHit {
  page: number;
  x: number;
  y: number;
  width: number;
  height: number;
}

export const KEYWORD_LIMITS = { maxKeywords: 50, maxKeywordLength: 100, maxPages: 500, maxHitsPerKeyword: 1000 };

interface TextItemLike {
  str: string;
  transform: number[];
  width: number;
  height: number;
  fontName: string;
}

interface PlacedChar {
  ch: string;
  /** Corners in displayed coordinates (top-left origin): the character's box. */
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** Baseline of its line, to keep a hit's box on the line it starts on. */
  line: number;
}

/** One character → one comparable character (so indices in the folded text map back to characters). */
function fold(ch: string): string {
  const c = ch.codePointAt(0) ?? 0;
  if (c >= 0xff01 && c <= 0xff5e) return String.fromCodePoint(c - 0xfee0);
  return ch;
}
const isSpace = (ch: string) => /\s/u.test(ch) || ch === '\u3000';

/** Relative advance of a character inside an item: full-width 1, narrow 0.5 (no font metrics needed). */
function advance(ch: string): number {
  const c = ch.codePointAt(0) ?? 0;
  const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6) || c >= 0x20000;
  return wide ? 1 : 0.5;
}

type ToView = (x: number, y: number) => [number, number];

function placeItem(item: TextItemLike, style: { ascent?: number; descent?: number } | undefined, toView: ToView, out: PlacedChar[]): void {
  const [a = 0, b = 0, c = 0, d = 0, e = 0, f = 0] = item.transform;
  const chars = Array.from(item.str);
  if (!chars.length) return;
  const scaleX = Math.hypot(a, b) || 1;
  const fontSize = Math.hypot(c, d) || item.height || 1;
  const ascent = style?.ascent && style.ascent > 0 ? Math.min(style.ascent, 1.2) : 0.88;
  const descent = style?.descent && style.descent < 0 ? Math.max(style.descent, -0.5) : -0.12;
  // Unit vectors along the text direction and "up" (perpendicular), in user space.
  const ux = a / scaleX;
  const uy = b / scaleX;
  const upX = -uy;
  const upY = ux;
  const total = chars.reduce((s, ch) => s + advance(ch), 0);
  const width = item.width || total * fontSize;
  let at = 0;
  for (const ch of chars) {
    const from = (width * at) / total;
    at += advance(ch);
    const to = (width * at) / total;
    const corners = [
      [from, ascent],
      [to, ascent],
      [from, descent],
      [to, descent],
    ].map(([along = 0, up = 0]) => toView(e + ux * along + upX * up * fontSize, f + uy * along + upY * up * fontSize));
    const xs = corners.map((p) => p[0]);
    const ys = corners.map((p) => p[1]);
    out.push({ ch, left: Math.min(...xs), right: Math.max(...xs), top: Math.min(...ys), bottom: Math.max(...ys), line: toView(e, f)[1] });
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function hitBox(page: number, chars: PlacedChar[]): KeywordHit {
  const first = chars[0]!;
  const sameLine = chars.filter((ch) => Math.abs(ch.line - first.line) < 1);
  const left = Math.min(...sameLine.map((ch) => ch.left));
  const top = Math.min(...sameLine.map((ch) => ch.top));
  const right = Math.max(...sameLine.map((ch) => ch.right));
  const bottom = Math.max(...sameLine.map((ch) => ch.bottom));
  return { page, x: round2(left), y: round2(top), width: round2(right - left), height: round2(bottom - top) };
}

function checkKeywords(keywords: string[]): void {
  if (keywords.length > KEYWORD_LIMITS.maxKeywords) throw new DocumentError('INVALID_KEYWORD', `more than ${KEYWORD_LIMITS.maxKeywords} keywords`);
  for (const k of keywords) {
    if (typeof k !== 'string' || !Array.from(k).some((ch) => !isSpace(ch)) || k.length > KEYWORD_LIMITS.maxKeywordLength) {
      throw new DocumentError('INVALID_KEYWORD', `keyword "${String(k).slice(0, 40)}" is empty or longer than ${KEYWORD_LIMITS.maxKeywordLength} characters`);
    }
  }
}

/** Like String#indexOf on arrays of characters (code points, so astral characters count once). */
function indexOfSequence(hay: string[], needle: string[], from: number): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

interface PdfJsModule {
  getDocument(src: Record<string, unknown>): { promise: Promise<PdfJsDocument>; destroy(): Promise<void> };
}
interface PdfJsDocument {
  numPages: number;
  getPage(n: number): Promise<PdfJsPage>;
}
interface PdfJsPage {
  getViewport(p: { scale: number }): { convertToViewportPoint(x: number, y: number): number[] };
  getTextContent(p: { disableNormalization: boolean }): Promise<{ items: Array<TextItemLike | { type: string }>; styles: Record<string, { ascent?: number; descent?: number }> }>;
  cleanup(): void;
}

let pdfjs: Promise<PdfJsModule> | null = null;
const loadPdfJs = () => (pdfjs ??= import('pdfjs-dist/legacy/build/pdf.mjs') as unknown as Promise<PdfJsModule>);

/** Every occurrence of each keyword (keys as given; a keyword not found maps to []). */
export async function findKeywords(pdf: Uint8Array, keywords: string[]): Promise<Record<string, KeywordHit[]>> {
  checkKeywords(keywords);
  const result: Record<string, KeywordHit[]> = Object.fromEntries(keywords.map((k) => [k, []]));
  const wanted = [...new Set(keywords)].map((k) => ({ key: k, folded: Array.from(k).filter((ch) => !isSpace(ch)).map(fold) }));
  if (!wanted.length) return result;
  const lib = await loadPdfJs();
  const task = lib.getDocument({ data: pdf, isEvalSupported: false, disableFontFace: true, useSystemFonts: false, stopAtErrors: true, verbosity: 0 });
  try {
    let doc: PdfJsDocument;
    try {
      doc = await task.promise;
    } catch (err) {
      const name = (err as Error)?.name;
      if (name === 'PasswordException') throw new DocumentError('PDF_ENCRYPTED', 'the PDF is encrypted');
      throw new DocumentError(name === 'InvalidPDFException' ? 'NOT_A_PDF' : 'PDF_CORRUPT', `the PDF cannot be read: ${(err as Error)?.message ?? err}`);
    }
    if (doc.numPages > KEYWORD_LIMITS.maxPages) throw new DocumentError('PDF_TOO_MANY_PAGES', `${doc.numPages} pages (limit ${KEYWORD_LIMITS.maxPages})`);
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      const viewport = page.getViewport({ scale: 1 });
      const toView: ToView = (x, y) => viewport.convertToViewportPoint(x, y) as [number, number];
      const content = await page.getTextContent({ disableNormalization: true });
      const chars: PlacedChar[] = [];
      for (const item of content.items) if ('str' in item) placeItem(item, content.styles[item.fontName], toView, chars);
      page.cleanup();
      const visible = chars.filter((ch) => !isSpace(ch.ch));
      const text = visible.map((ch) => fold(ch.ch));
      const pageHits: Array<{ key: string; hit: KeywordHit }> = [];
      for (const { key, folded } of wanted) {
        let from = 0;
        for (let at = indexOfSequence(text, folded, from); at >= 0; at = indexOfSequence(text, folded, from)) {
          pageHits.push({ key, hit: hitBox(n, visible.slice(at, at + folded.length)) });
          from = at + folded.length;
        }
      }
      pageHits.sort((p, q) => p.hit.y - q.hit.y || p.hit.x - q.hit.x);
      for (const { key, hit } of pageHits) {
        const list = result[key]!;
        if (list.length < KEYWORD_LIMITS.maxHitsPerKeyword) list.push(hit);
      }
    }
    return result;
  } finally {
    await task.destroy().catch(() => undefined);
  }
}
