/**
 * Dragging mark boxes in the portal's PlacementEditor (pdf.js pages) the way a user does: pointer
 * down on a palette item or a placed box, moves, pointer up over the target page.
 */
import type { Locator, Page } from 'playwright-core';

export interface Point {
  x: number;
  y: number;
}

/**
 * Where a drag must let go so that a box of `size` points, grabbed at its centre, lands with its
 * top-left corner at `at` (PDF points from the top-left) on page `pageNumber`. Scrolls the target
 * into the middle of the window first (the palette is sticky and stays in view).
 */
export async function dropPoint(page: Page, pageNumber: number, size: { width: number; height: number }, at: Point): Promise<Point> {
  const pageEl = page.locator(`[data-pdf-page="${pageNumber}"]`);
  const scale = Number(await pageEl.getAttribute('data-scale'));
  const before = (await pageEl.boundingBox())!;
  await page.evaluate((y) => window.scrollBy(0, y - window.innerHeight / 2), before.y + (at.y + size.height / 2) * scale);
  const box = (await pageEl.boundingBox())!;
  return { x: box.x + (at.x + size.width / 2) * scale, y: box.y + (at.y + size.height / 2) * scale };
}

/** A mouse drag with intermediate moves; `target` may be measured after the handle is scrolled into view. */
export async function drag(page: Page, handle: Locator, target: Point | (() => Promise<Point>), grab?: Point): Promise<void> {
  await handle.scrollIntoViewIfNeeded();
  const to = typeof target === 'function' ? await target() : target;
  const b = (await handle.boundingBox())!;
  const from = grab ?? { x: b.x + b.width / 2, y: b.y + b.height / 2 };
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(from.x + 12, from.y + 12, { steps: 3 });
  await page.mouse.move(to.x, to.y, { steps: 12 });
  await page.mouse.up();
}
