import type { KeyboardEvent, PointerEvent as ReactPointerEvent } from 'react';
import { Box } from '@mui/material';
import CloseIcon from '@mui/icons-material/Close';
import { useTranslate } from 'react-admin';
import { ridingStrip, type Size } from './geometry';
import type { EditorMark } from './placement';
import type { PdfPageInfo } from './PdfPages';

type DragHandlers = {
  onPointerDown: (e: ReactPointerEvent<HTMLElement>) => void;
  onPointerMove: (e: ReactPointerEvent<HTMLElement>) => void;
  onPointerUp: (e: ReactPointerEvent<HTMLElement>) => void;
  onPointerCancel: () => void;
};

export interface MarkBoxesProps {
  page: PdfPageInfo;
  marks: EditorMark[];
  sizeOf: (mark: EditorMark) => Size;
  colorOf: (mark: EditorMark) => string;
  labelOf: (mark: EditorMark) => string;
  dragHandlers: (mark: EditorMark) => DragHandlers;
  draggingId: string | null;
  onRemove: (mark: EditorMark) => void;
  onNudge: (mark: EditorMark, dx: number, dy: number) => void;
  /** Corner handle that resizes the box (null: not resizable). */
  resizeHandlers?: (mark: EditorMark) => DragHandlers | null;
  /** + / − on the focused box: grow or shrink by this factor. */
  onScale?: (mark: EditorMark, factor: number) => void;
  /** Picture drawn in the box (seal, handwritten signature); 骑缝章 strips show their slice. */
  imageOf?: (mark: EditorMark) => string | null;
  disabled?: boolean;
}

/** Touch targets: at least 24 px on coarse pointers. */
const HANDLE_SX = { width: 18, height: 18, '@media (pointer: coarse)': { width: 26, height: 26 } } as const;

/** The placed marks on one page: boxes (and 骑缝章 strips at the right edge) the user can drag, nudge with the arrow keys, or remove. */
export const MarkBoxes = ({ page, marks, sizeOf, colorOf, labelOf, dragHandlers, draggingId, onRemove, onNudge, resizeHandlers, onScale, imageOf, disabled }: MarkBoxesProps) => {
  const translate = useTranslate();
  const s = page.scale;

  const onKeyDown = (mark: EditorMark) => (e: KeyboardEvent) => {
    if (disabled) return;
    const step = e.shiftKey ? 10 : 1;
    const moves: Record<string, [number, number]> = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    const move = moves[e.key];
    if (move) {
      e.preventDefault();
      onNudge(mark, move[0], move[1]);
    } else if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      onRemove(mark);
    } else if (onScale && (e.key === '+' || e.key === '=' || e.key === '-')) {
      e.preventDefault();
      onScale(mark, e.key === '-' ? 1 / 1.05 : 1.05);
    }
  };

  return (
    <>
      {marks.map((mark) => {
        const size = sizeOf(mark);
        let rect: { x: number; y: number; width: number; height: number } | null = null;
        let strip: { index: number; count: number } | null = null;
        if (mark.kind === 'riding') {
          if (mark.pageFrom == null || mark.pageTo == null || mark.y == null) return null;
          rect = strip = ridingStrip(size, { from: mark.pageFrom, to: mark.pageTo, rule: mark.ridingRule }, page.pageNumber, page.width, mark.y);
        } else if (mark.page === page.pageNumber && mark.x != null && mark.y != null) {
          rect = { x: mark.x, y: mark.y, ...size };
        }
        if (!rect) return null;
        const color = colorOf(mark);
        const label = labelOf(mark);
        const image = imageOf?.(mark) ?? null;
        const resize = !disabled && mark.kind !== 'riding' ? (resizeHandlers?.(mark) ?? null) : null;
        // A strip shows its slice of the seal: the picture is `count` strips wide, shifted to strip `index`.
        const background = image
          ? strip
            ? { backgroundImage: `url("${image}")`, backgroundSize: `${strip.count * 100}% 100%`, backgroundPosition: `${strip.count > 1 ? (strip.index / (strip.count - 1)) * 100 : 0}% 0`, backgroundRepeat: 'no-repeat' }
            : { backgroundImage: `url("${image}")`, backgroundSize: 'contain', backgroundPosition: 'center', backgroundRepeat: 'no-repeat' }
          : {};
        return (
          <Box
            key={mark.id}
            role="button"
            tabIndex={disabled ? -1 : 0}
            aria-label={label}
            title={label}
            data-testid={mark.kind === 'riding' ? 'placed-riding-strip' : 'placed-mark'}
            data-mark-id={mark.id}
            data-participant={mark.participantKey}
            data-kind={mark.kind}
            data-seal-type={mark.sealType ?? ''}
            data-ref={mark.ref ?? ''}
            data-page={page.pageNumber}
            data-x={rect.x}
            data-y={rect.y}
            data-width={rect.width}
            data-height={rect.height}
            {...dragHandlers(mark)}
            onKeyDown={onKeyDown(mark)}
            sx={{
              position: 'absolute',
              left: rect.x * s,
              top: rect.y * s,
              width: rect.width * s,
              height: rect.height * s,
              border: `2px solid ${color}`,
              bgcolor: `${color}26`,
              ...background,
              color,
              borderRadius: 0.5,
              boxSizing: 'border-box',
              opacity: draggingId === mark.id ? 0.3 : 1,
              cursor: disabled ? 'default' : 'move',
              touchAction: 'none',
              overflow: 'hidden',
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              textAlign: 'center',
              fontSize: 11,
              lineHeight: 1.2,
              fontWeight: 600,
              '&:focus-visible': { outline: `3px solid ${color}`, outlineOffset: 2 },
            }}
          >
            {mark.kind === 'riding' || image ? null : label}
            {!disabled && mark.kind !== 'riding' && (
              <Box
                component="button"
                type="button"
                aria-label={translate('portal.pdf.remove')}
                data-testid="placed-mark-remove"
                onPointerDown={(e: ReactPointerEvent) => e.stopPropagation()}
                onClick={() => onRemove(mark)}
                sx={{
                  position: 'absolute',
                  top: 0,
                  right: 0,
                  p: 0,
                  border: 0,
                  ...HANDLE_SX,
                  bgcolor: color,
                  color: '#fff',
                  cursor: 'pointer',
                  display: 'flex',
                  alignItems: 'center',
                  justifyContent: 'center',
                }}
              >
                <CloseIcon sx={{ fontSize: 14 }} />
              </Box>
            )}
            {resize && (
              <Box
                role="presentation"
                data-testid="placed-mark-resize"
                {...resize}
                sx={{
                  position: 'absolute',
                  right: 0,
                  bottom: 0,
                  ...HANDLE_SX,
                  bgcolor: color,
                  cursor: 'nwse-resize',
                  touchAction: 'none',
                  clipPath: 'polygon(100% 0, 100% 100%, 0 100%)',
                }}
              />
            )}
          </Box>
        );
      })}
    </>
  );
};
