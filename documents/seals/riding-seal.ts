/**
 * 骑缝章 (cross-page seal): one seal cut into N equal vertical strips for the N pages of
 * pageFrom..pageTo; strip i sits at the right edge of page pageFrom + i, all at the same `y`.
 * When the pages are stacked and fanned out, the strips join into the whole seal.
 *
 * The strips are not separate images: each strip's appearance draws the whole seal image shifted
 * left by the strip's offset and clipped to the strip's box, so the PDF holds the image once
 * however many pages the seal spans (see signPdf).
 */

export interface RidingSeal {
  pageFrom: number;
  pageTo: number;
  /** Points from the top of the displayed page to the top of the seal. */
  y: number;
  /** Size of the whole seal, points. */
  width: number;
  height: number;
}

export interface RidingStrip {
  page: number;
  /** The strip's box on its page (top-left origin, displayed orientation). */
  x: number;
  y: number;
  width: number;
  height: number;
  /** Horizontal offset of this strip within the whole seal (points from the seal's left edge). */
  offset: number;
}

/** The strips of a 骑缝章, given each page's displayed width. Pages are 1-based; pageFrom ≤ pageTo is the caller's check. */
export function ridingStrips(seal: RidingSeal, pageWidth: (page: number) => number): RidingStrip[] {
  const count = seal.pageTo - seal.pageFrom + 1;
  if (!(count >= 1)) return [];
  const stripWidth = seal.width / count;
  return Array.from({ length: count }, (_, i) => {
    const page = seal.pageFrom + i;
    return { page, x: pageWidth(page) - stripWidth, y: seal.y, width: stripWidth, height: seal.height, offset: i * stripWidth };
  });
}
