// Page geometry of the placement editor: screen pixels ↔ PDF points from the page's top-left
// corner (the displayed orientation, as pdf.js shows it and as documents/pdf/page-geometry.ts
// places signatures), boxes kept on their page, 骑缝章 strips.
import { ridingPages, type RidingRule } from '../../../domain/contracts/riding-rule';

export interface Size {
  width: number;
  height: number;
}

export interface Point {
  x: number;
  y: number;
}

/** Two decimals: what the browser sends and what the server stores. */
export const roundPt = (v: number): number => Math.round(v * 100) / 100;

const clamp = (v: number, min: number, max: number) => Math.min(Math.max(v, min), Math.max(min, max));

/**
 * Top-left corner in PDF points of a box of `size` (points) whose top-left corner is at `localPx`
 * (pixels from the page's top-left corner, page shown at `scale` pixels per point), moved the
 * least needed to lie on the page.
 */
export function pixelsToPoints(localPx: Point, scale: number, size: Size, page: Size): Point {
  return {
    x: roundPt(clamp(localPx.x / scale, 0, page.width - size.width)),
    y: roundPt(clamp(localPx.y / scale, 0, page.height - size.height)),
  };
}

/** Top of a 骑缝章 whose top edge is at `localYPx`, kept on the page. */
export function ridingTopToPoints(localYPx: number, scale: number, size: Size, page: Size): number {
  return roundPt(clamp(localYPx / scale, 0, page.height - size.height));
}

/** True if the box (points, top-left origin) lies on the page. */
export function fitsOnPage(box: Point & Size, page: Size): boolean {
  const eps = 0.01;
  return box.x >= -eps && box.y >= -eps && box.x + box.width <= page.width + eps && box.y + box.height <= page.height + eps;
}

/**
 * The strip of a 骑缝章 on page `page` of the range `from..to`: the seal is cut into as many equal
 * vertical strips as its 骑缝规则 selects pages (all, the odd or the even ones: the server's own
 * selection, domain/contracts/riding-rule.ts); strip i sits at the right edge of the i-th selected
 * page. Null on a page without a strip.
 */
export function ridingStrip(
  seal: Size,
  range: { from: number; to: number; rule?: RidingRule | null },
  page: number,
  pageWidth: number,
  y: number,
): { index: number; count: number; x: number; y: number; width: number; height: number } | null {
  const pages = ridingPages(range.from, range.to, range.rule ?? 'all');
  const index = pages.indexOf(page);
  if (index < 0) return null;
  const count = pages.length;
  const width = seal.width / count;
  return { index, count, x: roundPt(pageWidth - width), y, width, height: seal.height };
}
