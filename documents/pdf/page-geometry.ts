/**
 * Page geometry as the reader sees it: the crop box, after /Rotate. Both inspectPdf (reported
 * sizes) and signPdf (placement from the top-left corner) use this, so the two always agree.
 */

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Minimal view of a pdf-lib page (works for both pdf-lib and pdf-lib-incremental-save). */
export interface PageLike {
  getCropBox(): Box;
  getRotation(): { angle: number };
}

export interface PageGeometry {
  /** Visible box in user space (unrotated). */
  box: Box;
  rotation: 0 | 90 | 180 | 270;
  /** Displayed width and height in points (after rotation). */
  width: number;
  height: number;
}

export interface PlacedRect {
  /** [llx, lly, urx, ury] in user space, for the widget's /Rect. */
  rect: [number, number, number, number];
  /** /Matrix for the appearance stream so the image looks upright on a rotated page. */
  matrix: [number, number, number, number, number, number];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function pageGeometry(page: PageLike): PageGeometry {
  const box = page.getCropBox();
  const angle = ((Math.round(page.getRotation().angle / 90) * 90) % 360 + 360) % 360;
  const rotation = angle as PageGeometry['rotation'];
  const quarter = rotation === 90 || rotation === 270;
  return {
    box,
    rotation,
    width: round2(Math.abs(quarter ? box.height : box.width)),
    height: round2(Math.abs(quarter ? box.width : box.height)),
  };
}

/** True if the rectangle (top-left origin, displayed orientation) lies within the page. */
export function fitsOnPage(g: PageGeometry, r: Box): boolean {
  const eps = 0.01;
  return (
    [r.x, r.y, r.width, r.height].every(Number.isFinite) &&
    r.width > 0 &&
    r.height > 0 &&
    r.x >= -eps &&
    r.y >= -eps &&
    r.x + r.width <= g.width + eps &&
    r.y + r.height <= g.height + eps
  );
}

/** Maps a rectangle given from the displayed top-left corner to user space. */
export function placeRect(g: PageGeometry, r: Box): PlacedRect {
  const { x: X0, y: Y0, width: W, height: H } = g.box;
  const toUser = (u: number, v: number): [number, number] => {
    switch (g.rotation) {
      case 90:
        return [X0 + v, Y0 + u];
      case 180:
        return [X0 + W - u, Y0 + v];
      case 270:
        return [X0 + W - v, Y0 + H - u];
      default:
        return [X0 + u, Y0 + H - v];
    }
  };
  const [ax, ay] = toUser(r.x, r.y);
  const [bx, by] = toUser(r.x + r.width, r.y + r.height);
  const rect: PlacedRect['rect'] = [Math.min(ax, bx), Math.min(ay, by), Math.max(ax, bx), Math.max(ay, by)];
  // Counter-clockwise rotation by the page rotation cancels the viewer's clockwise /Rotate.
  const matrices: Record<PageGeometry['rotation'], PlacedRect['matrix']> = {
    0: [1, 0, 0, 1, 0, 0],
    90: [0, 1, -1, 0, 0, 0],
    180: [-1, 0, 0, -1, 0, 0],
    270: [0, -1, 1, 0, 0, 0],
  };
  return { rect: rect.map(round2) as PlacedRect['rect'], matrix: matrices[g.rotation] };
}
