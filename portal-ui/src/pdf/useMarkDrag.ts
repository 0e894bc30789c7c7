import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Point, Size } from './geometry';
import { pageElementAt } from './PdfPages';

/** What is dragged: a new mark from the palette, or a placed mark. */
export type DragPayload = { type: 'new'; participantKey: string; itemIndex: number } | { type: 'move'; markId: string };

/** Where it was dropped: the page and the dragged box's top-left corner in CSS pixels from the page's corner. */
export interface DropTarget {
  page: number;
  localPx: Point;
  scale: number;
}

export interface Ghost {
  left: number;
  top: number;
  width: number;
  height: number;
  payload: DragPayload;
}

interface Active {
  pointerId: number;
  payload: DragPayload;
  grab: Point;
  start: Point;
  sizePx: Size;
  moved: boolean;
}

const MOVE_THRESHOLD_PX = 4;
const EDGE_PX = 48;

/**
 * Pointer-event dragging (mouse, pen and touch alike: the handles set touch-action: none) of mark
 * boxes onto the rendered pages. The pointer is captured by the handle, a ghost box follows it,
 * and the drop names the page under the pointer. A press without movement is a tap.
 */
export function useMarkDrag({
  sizeOf,
  scale,
  onDrop,
  onTap,
}: {
  /** Size in PDF points of the box for this payload. */
  sizeOf: (payload: DragPayload) => Size;
  /** Current CSS pixels per PDF point of the pages. */
  scale: () => number;
  onDrop: (payload: DragPayload, target: DropTarget) => void;
  onTap: (payload: DragPayload) => void;
}) {
  const active = useRef<Active | null>(null);
  const [ghost, setGhost] = useState<Ghost | null>(null);

  const ghostAt = (a: Active, client: Point): Ghost => ({
    left: client.x - a.grab.x,
    top: client.y - a.grab.y,
    width: a.sizePx.width,
    height: a.sizePx.height,
    payload: a.payload,
  });

  const bind = (payload: DragPayload, grabAt: 'center' | 'pointer', disabled = false) => ({
    onPointerDown: (e: ReactPointerEvent<HTMLElement>) => {
      if (disabled || (e.pointerType === 'mouse' && e.button !== 0)) return;
      e.preventDefault();
      e.stopPropagation();
      e.currentTarget.setPointerCapture?.(e.pointerId);
      const s = scale();
      const size = sizeOf(payload);
      const sizePx = { width: size.width * s, height: size.height * s };
      const rect = e.currentTarget.getBoundingClientRect();
      const grab = grabAt === 'center' ? { x: sizePx.width / 2, y: sizePx.height / 2 } : { x: e.clientX - rect.left, y: e.clientY - rect.top };
      active.current = { pointerId: e.pointerId, payload, grab, start: { x: e.clientX, y: e.clientY }, sizePx, moved: false };
    },
    onPointerMove: (e: ReactPointerEvent<HTMLElement>) => {
      const a = active.current;
      if (!a || a.pointerId !== e.pointerId) return;
      if (!a.moved && Math.hypot(e.clientX - a.start.x, e.clientY - a.start.y) < MOVE_THRESHOLD_PX) return;
      a.moved = true;
      setGhost(ghostAt(a, { x: e.clientX, y: e.clientY }));
      // Near the top or bottom edge of the window: scroll, so that other pages can be reached.
      if (e.clientY < EDGE_PX) window.scrollBy(0, -24);
      else if (e.clientY > window.innerHeight - EDGE_PX) window.scrollBy(0, 24);
    },
    onPointerUp: (e: ReactPointerEvent<HTMLElement>) => {
      const a = active.current;
      if (!a || a.pointerId !== e.pointerId) return;
      active.current = null;
      setGhost(null);
      if (!a.moved) {
        onTap(a.payload);
        return;
      }
      const page = pageElementAt(e.clientX, e.clientY);
      if (!page) return;
      const rect = page.getBoundingClientRect();
      onDrop(a.payload, {
        page: Number(page.dataset.pdfPage),
        scale: Number(page.dataset.scale),
        localPx: { x: e.clientX - a.grab.x - rect.left, y: e.clientY - a.grab.y - rect.top },
      });
    },
    onPointerCancel: () => {
      active.current = null;
      setGhost(null);
    },
  });

  return { ghost, bind };
}
