import { useRef, useState, type PointerEvent as ReactPointerEvent } from 'react';
import type { Point, Size } from './geometry';
import { resizedBox } from './mark-edits';
import type { SizeLimits } from './placement';

interface Active {
  pointerId: number;
  markId: string;
  start: Size;
  client: Point;
  scale: number;
  limits: SizeLimits;
  at: Point;
  page: Size;
}

/**
 * Resizing a placed box by its corner handle with pointer events (mouse, pen, touch): the size
 * follows the pointer (aspect ratio kept, within the limits, on the page) and is committed when
 * the pointer is let go.
 */
export function useMarkResize(onCommit: (markId: string, size: Size) => void) {
  const active = useRef<Active | null>(null);
  const [preview, setPreview] = useState<{ markId: string; size: Size } | null>(null);

  const sizeAt = (a: Active, e: ReactPointerEvent) =>
    resizedBox(a.start, (e.clientX - a.client.x) / a.scale, (e.clientY - a.client.y) / a.scale, a.limits, a.at, a.page);

  const bind = (markId: string, args: { start: Size; scale: number; limits: SizeLimits; at: Point; page: Size }) => ({
    onPointerDown: (e: ReactPointerEvent<HTMLElement>) => {
      if (e.pointerType === 'mouse' && e.button !== 0) return;
      e.preventDefault();
      e.stopPropagation();
      e.currentTarget.setPointerCapture?.(e.pointerId);
      active.current = { pointerId: e.pointerId, markId, client: { x: e.clientX, y: e.clientY }, ...args };
      setPreview({ markId, size: args.start });
    },
    onPointerMove: (e: ReactPointerEvent<HTMLElement>) => {
      const a = active.current;
      if (!a || a.pointerId !== e.pointerId) return;
      e.stopPropagation();
      setPreview({ markId: a.markId, size: sizeAt(a, e) });
    },
    onPointerUp: (e: ReactPointerEvent<HTMLElement>) => {
      const a = active.current;
      if (!a || a.pointerId !== e.pointerId) return;
      e.stopPropagation();
      active.current = null;
      setPreview(null);
      onCommit(a.markId, sizeAt(a, e));
    },
    onPointerCancel: () => {
      active.current = null;
      setPreview(null);
    },
  });

  return { preview, bind };
}
