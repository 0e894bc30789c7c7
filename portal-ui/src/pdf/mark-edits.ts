// Edits of placed marks that are pure arithmetic: resizing within the server's limits (aspect
// ratio kept, the box stays on its page) and 多页盖章 (one mark copied onto a range of pages).
import { roundPt, type Size } from './geometry';
import { newMarkId, type EditorMark, type SizeLimits } from './placement';

/**
 * The size of a box resized from `start` by dragging its bottom-right corner by `dx`/`dy` points:
 * the aspect ratio of `start` is kept, the width stays within `limits`, and the box (top-left at
 * `at`) stays on the page.
 */
export function resizedBox(start: Size, dx: number, dy: number, limits: SizeLimits, at: { x: number; y: number }, page: Size): Size {
  const ratio = start.height / Math.max(0.01, start.width);
  // The larger of the two relative changes drives the size (a corner drag mostly moves one way).
  const byWidth = (start.width + dx) / start.width;
  const byHeight = (start.height + dy) / start.height;
  const factor = Math.abs(byWidth - 1) >= Math.abs(byHeight - 1) ? byWidth : byHeight;
  const onPage = Math.min((page.width - at.x) / start.width, (page.height - at.y) / start.height);
  const minWidth = Math.max(limits.min.width, limits.min.height / ratio);
  const maxWidth = Math.min(limits.max.width, limits.max.height / ratio, start.width * onPage);
  const width = Math.min(Math.max(start.width * factor, minWidth), Math.max(minWidth, maxWidth));
  return { width: roundPt(width), height: roundPt(width * ratio) };
}

/** Steps the size of a box by `factor` (keyboard + / −), within the limits and on its page. */
export function scaledBox(start: Size, factor: number, limits: SizeLimits, at: { x: number; y: number }, page: Size): Size {
  return resizedBox(start, start.width * (factor - 1), 0, limits, at, page);
}

/**
 * 多页盖章: copies of `mark` at the same position on every page of `from..to` that does not already
 * carry the same mark there; the position is kept on pages of another size (moved the least). At
 * most `room` copies are made (the server caps the marks per signature).
 */
export function copiesOnPages(mark: EditorMark, size: Size, from: number, to: number, pages: Size[], existing: EditorMark[], room: number): EditorMark[] {
  if (mark.kind === 'riding' || mark.x == null || mark.y == null) return [];
  const out: EditorMark[] = [];
  for (let n = Math.max(1, from); n <= Math.min(to, pages.length) && out.length < room; n++) {
    const page = pages[n - 1]!;
    const x = roundPt(Math.min(Math.max(mark.x, 0), Math.max(0, page.width - size.width)));
    const y = roundPt(Math.min(Math.max(mark.y, 0), Math.max(0, page.height - size.height)));
    const taken = [mark, ...existing].some(
      (m) => m.page === n && m.kind === mark.kind && (m.sealId ?? null) === (mark.sealId ?? null) && (m.signatureId ?? null) === (mark.signatureId ?? null) && (m.sealType ?? null) === (mark.sealType ?? null) && m.x === x && m.y === y,
    );
    if (!taken) out.push({ ...mark, id: newMarkId(), page: n, x, y });
  }
  return out;
}
