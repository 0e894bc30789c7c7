// Zoom of the rendered pages: a factor over the base scale (the pages as wide as the container
// allows, at most the viewer's maximum width). "Fit width" fills the container exactly.

export const ZOOM_MIN = 0.5;
export const ZOOM_MAX = 3;
export const ZOOM_STEP = 1.25;

/** The zoom the viewer shows: a factor over the base scale, or 'fit' (as wide as the container). */
export type Zoom = number | 'fit';

const clamp = (v: number) => Math.min(ZOOM_MAX, Math.max(ZOOM_MIN, v));

/** CSS pixels per PDF point for `zoom`, pages `widestPt` wide in a container `containerPx` wide. */
export function pageScale(zoom: Zoom, containerPx: number, maxPageWidthPx: number, widestPt: number): number {
  const widest = Math.max(1, widestPt);
  const fit = Math.max(0.1, containerPx / widest);
  if (zoom === 'fit') return fit;
  const base = Math.max(0.1, Math.min(containerPx, maxPageWidthPx) / widest);
  return base * zoom;
}

/** The factor `zoom` stands for (for 'fit': what fills the container, relative to the base scale). */
export function zoomFactor(zoom: Zoom, containerPx: number, maxPageWidthPx: number): number {
  if (zoom !== 'fit') return zoom;
  const base = Math.min(containerPx, maxPageWidthPx);
  return base > 0 ? containerPx / base : 1;
}

export const zoomIn = (factor: number): number => clamp(Math.round(factor * ZOOM_STEP * 100) / 100);
export const zoomOut = (factor: number): number => clamp(Math.round((factor / ZOOM_STEP) * 100) / 100);
