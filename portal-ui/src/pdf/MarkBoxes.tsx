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
  disabled?: boolean;
}

/** The placed marks on one page: boxes (and 骑缝章 strips at the right edge) the user can drag, nudge with the arrow keys, or remove. */
export const MarkBoxes = ({ page, marks, sizeOf, colorOf, labelOf, dragHandlers, draggingId, onRemove, onNudge, disabled }: MarkBoxesProps) => {
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
    }
  };

  return (
    <>
      {marks.map((mark) => {
        const size = sizeOf(mark);
        let rect: { x: number; y: number; width: number; height: number } | null = null;
        if (mark.kind === 'riding') {
          if (mark.pageFrom == null || mark.pageTo == null || mark.y == null) return null;
          rect = ridingStrip(size, { from: mark.pageFrom, to: mark.pageTo }, page.pageNumber, page.width, mark.y);
        } else if (mark.page === page.pageNumber && mark.x != null && mark.y != null) {
          rect = { x: mark.x, y: mark.y, ...size };
        }
        if (!rect) return null;
        const color = colorOf(mark);
        const label = labelOf(mark);
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
            data-page={page.pageNumber}
            data-x={rect.x}
            data-y={rect.y}
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
            {mark.kind === 'riding' ? null : label}
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
                  width: 16,
                  height: 16,
                  bgcolor: color,
                  color: '#fff',
                  cursor: 'pointer',
                  display: 'flex',
                  alignItems: 'center',
                  justifyContent: 'center',
                }}
              >
                <CloseIcon sx={{ fontSize: 12 }} />
              </Box>
            )}
          </Box>
        );
      })}
    </>
  );
};
