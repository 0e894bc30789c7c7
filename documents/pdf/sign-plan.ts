import { PDFHexString, PDFString, type PDFObject } from 'pdf-lib-incremental-save';
import { DocumentError } from '../errors';
import { ridingStrips } from '../seals/riding-seal';
import { fitsOnPage, placeRect, type PageGeometry, type PlacedRect } from './page-geometry';
import type { SignAppearance, SignPdfInput } from './sign-pdf';

/**
 * What both incremental writers of signPdf share (the lean one in incremental/lean-sign.ts and the
 * pdf-lib one in sign-pdf.ts): the widget plan with its checks, each widget's appearance, the
 * signature dictionary's placeholders and text encodings. One place per rule.
 */

/** At most this many widgets (marks + riding strips, one per page a 骑缝章's rule selects) per signature. */
export const MAX_WIDGETS_PER_SIGNATURE = 500;

export const BYTE_RANGE_PLACEHOLDER = '[0 9999999999 9999999999 9999999999]';
export const n2 = (v: number) => String(Math.round(v * 100) / 100);

/** PDF text strings: plain ASCII as literal, anything else as UTF-16BE with BOM. */
export function pdfText(text: string): PDFObject {
  return /^[\x20-\x7e]*$/.test(text) ? PDFString.of(text.replace(/([\\()])/g, '\\$1')) : PDFHexString.fromText(text);
}

export const marksOf = (input: SignPdfInput): SignAppearance[] => [...(input.appearance ? [input.appearance] : []), ...(input.appearances ?? [])];

/** A widget to add: its box on a page and how the image is drawn in it (a 骑缝章 strip shows a slice of a larger seal). */
export interface PlannedWidget {
  page: number;
  box: { x: number; y: number; width: number; height: number };
  png: Uint8Array;
  /** The image is fitted into draw.width×draw.height and shifted left by draw.offset; the box clips it. */
  draw: { width: number; height: number; offset: number };
}

const outside = (page: number, box: PlannedWidget['box'], g: PageGeometry) =>
  new DocumentError('POSITION_OUT_OF_PAGE', `the signature box (${box.x}, ${box.y}, ${box.width}×${box.height}) is outside page ${page} (${g.width}×${g.height})`);

/** Checks every mark against its page and lays out the 骑缝章 strips; pages are 1-based. */
export function planWidgets(input: SignPdfInput, geometries: PageGeometry[]): PlannedWidget[] {
  const pageOf = (page: number) => {
    const g = Number.isInteger(page) ? geometries[page - 1] : undefined;
    if (!g) throw new DocumentError('PAGE_NOT_FOUND', `page ${page} does not exist (the PDF has ${geometries.length} pages)`);
    return g;
  };
  const planned: PlannedWidget[] = [];
  for (const m of marksOf(input)) {
    const g = pageOf(m.page);
    const box = { x: m.x, y: m.y, width: m.width, height: m.height };
    if (!fitsOnPage(g, box)) throw outside(m.page, box, g);
    planned.push({ page: m.page, box, png: m.png, draw: { width: m.width, height: m.height, offset: 0 } });
  }
  for (const r of input.riding ?? []) {
    pageOf(r.pageFrom);
    pageOf(r.pageTo);
    if (r.pageFrom > r.pageTo) throw new DocumentError('PAGE_NOT_FOUND', `riding seal range ${r.pageFrom}–${r.pageTo} is empty`);
    if (!(r.width > 0 && r.height > 0)) throw outside(r.pageFrom, { x: 0, y: r.y, width: r.width, height: r.height }, pageOf(r.pageFrom));
    // One strip per page the 骑缝规则 selects (RIDING_NO_PAGES when none): the budget below counts these.
    for (const strip of ridingStrips(r, (page) => pageOf(page).width)) {
      const box = { x: strip.x, y: strip.y, width: strip.width, height: strip.height };
      const g = pageOf(strip.page);
      if (!fitsOnPage(g, box)) throw outside(strip.page, box, g);
      planned.push({ page: strip.page, box, png: r.png, draw: { width: r.width, height: r.height, offset: strip.offset } });
    }
  }
  if (planned.length > MAX_WIDGETS_PER_SIGNATURE) {
    throw new DocumentError('PDF_TOO_COMPLEX', `a signature may show at most ${MAX_WIDGETS_PER_SIGNATURE} marks (${planned.length} requested)`);
  }
  return planned;
}

export interface WidgetAppearance extends PlacedRect {
  /** Content of the appearance stream: draws /Seal with the /GS0 (multiply) graphics state. */
  ops: string;
  bbox: [number, number, number, number];
}

/** The image, aspect ratio kept, centred in draw.width×draw.height, shifted by the strip offset, clipped to the box, multiply blend. */
export function widgetAppearance(w: PlannedWidget, g: PageGeometry, image: { width: number; height: number }): WidgetAppearance {
  const placed = placeRect(g, w.box);
  const { width: bw, height: bh } = w.box;
  const scale = Math.min(w.draw.width / image.width, w.draw.height / image.height);
  const [iw, ih] = [image.width * scale, image.height * scale];
  const dx = (w.draw.width - iw) / 2 - w.draw.offset;
  const dy = (bh - ih) / 2;
  const clip = w.draw.offset > 0 || w.draw.width > bw ? `0 0 ${n2(bw)} ${n2(bh)} re W n ` : '';
  return {
    ...placed,
    ops: `q ${clip}/GS0 gs ${n2(iw)} 0 0 ${n2(ih)} ${n2(dx)} ${n2(dy)} cm /Seal Do Q`,
    bbox: [0, 0, Number(n2(bw)), Number(n2(bh))],
  };
}

/**
 * Bytes kept in /Contents, beyond the CMS at its longest, for an RFC 3161 signature timestamp (an
 * unsigned attribute of the SignerInfo, once a TSA is configured): a TimeStampToken requested with
 * certReq = false — TSTInfo, the TSA's signed attributes and one signature of up to RSA-4096,
 * ≈ 0.9–1.4 KB DER — rounded up to 2 KB. The TSA's certificates and any revocation data go in a
 * later incremental update (DSS/VRI), not in /Contents.
 */
export const TIMESTAMP_TOKEN_ROOM = 2048;
