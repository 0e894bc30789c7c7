import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Box, Button, IconButton, LinearProgress, Stack, Tooltip, Typography } from '@mui/material';
import ZoomInIcon from '@mui/icons-material/ZoomIn';
import ZoomOutIcon from '@mui/icons-material/ZoomOut';
import FitWidthIcon from '@mui/icons-material/WidthFull';
import { useTranslate } from 'react-admin';
import { ApiError } from '../../../ui-shared/src/api/apiFetch';
import type { Size } from './geometry';
import { PdfPageCanvas } from './PdfPageCanvas';
import { PdfThumbnails } from './PdfThumbnails';
import type { PdfSource } from './pdfjs';
import { usePdfDocument } from './usePdfDocument';
import { pageScale, zoomFactor, zoomIn, zoomOut, ZOOM_MAX, ZOOM_MIN, type Zoom } from './zoom';

/** What an overlay knows about the page it is drawn on. */
export interface PdfPageInfo {
  pageNumber: number;
  pageCount: number;
  /** Page size in PDF points. */
  width: number;
  height: number;
  /** CSS pixels per PDF point. */
  scale: number;
}

/** The page element under a screen point (overlays excluded only if they set pointer-events: none). */
export function pageElementAt(clientX: number, clientY: number): HTMLElement | null {
  for (const el of document.elementsFromPoint(clientX, clientY)) {
    const page = (el as HTMLElement).closest?.('[data-pdf-page]');
    if (page instanceof HTMLElement) return page;
  }
  return null;
}

/** The page whose box holds the middle of the window (else the nearest one above it). */
function pageInView(root: HTMLElement | null): number {
  let current = 1;
  const middle = window.innerHeight / 2;
  for (const el of root?.querySelectorAll<HTMLElement>('[data-pdf-page]') ?? []) {
    if (el.getBoundingClientRect().top <= middle) current = Number(el.dataset.pdfPage);
  }
  return current;
}

/**
 * All pages of a PDF rendered by pdf.js, one under the other, as wide as the container allows
 * (at most `maxPageWidth` pixels; every page at the same scale). `renderOverlay` draws over each
 * page in a box of the page's size (absolute positions in CSS pixels = points × scale).
 * Each page element carries data-pdf-page (its number) and data-scale.
 * `zoomable`: a toolbar with 缩小 / 放大 / 适合宽度 (pages wider than the container scroll
 * sideways inside it, never the window); `thumbnails`: page pictures beside the pages (wide
 * screens), a click jumps to the page.
 */
export const PdfPages = ({
  source,
  renderOverlay,
  onLoaded,
  maxPageWidth = 820,
  testId = 'pdf-pages',
  zoomable = false,
  thumbnails = false,
}: {
  source: PdfSource | null;
  renderOverlay?: (page: PdfPageInfo) => ReactNode;
  onLoaded?: (pages: Size[]) => void;
  maxPageWidth?: number;
  testId?: string;
  zoomable?: boolean;
  thumbnails?: boolean;
}) => {
  const translate = useTranslate();
  const { doc, pages, error, loading, retry } = usePdfDocument(source);
  const rootRef = useRef<HTMLDivElement>(null);
  const containerRef = useRef<HTMLDivElement>(null);
  const [containerWidth, setContainerWidth] = useState(0);
  const [zoom, setZoom] = useState<Zoom>(1);
  const [current, setCurrent] = useState(1);

  useLayoutEffect(() => {
    const el = containerRef.current;
    if (!el) return;
    setContainerWidth(el.clientWidth);
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => setContainerWidth(el.clientWidth));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const onLoadedRef = useRef(onLoaded);
  onLoadedRef.current = onLoaded;
  useEffect(() => {
    if (doc) onLoadedRef.current?.(pages);
  }, [doc, pages]);

  // The page in view (toolbar and thumbnails): any scrolling container, the window included.
  useEffect(() => {
    if (!doc || (!zoomable && !thumbnails)) return;
    let frame = 0;
    const onScroll = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => setCurrent(pageInView(rootRef.current)));
    };
    document.addEventListener('scroll', onScroll, { capture: true, passive: true });
    return () => {
      cancelAnimationFrame(frame);
      document.removeEventListener('scroll', onScroll, { capture: true });
    };
  }, [doc, zoomable, thumbnails]);

  const widestPt = Math.max(1, ...pages.map((p) => p.width));
  const scale = pageScale(zoomable ? zoom : 1, containerWidth, maxPageWidth, widestPt);
  const factor = zoomFactor(zoom, containerWidth, maxPageWidth);

  const jumpTo = (page: number) => {
    rootRef.current?.querySelector<HTMLElement>(`[data-pdf-page="${page}"]`)?.scrollIntoView({ block: 'start' });
    setCurrent(page);
  };
  /** Zooms keeping the page in view in view. */
  const changeZoom = (next: Zoom) => {
    const page = pageInView(rootRef.current);
    setZoom(next);
    requestAnimationFrame(() => rootRef.current?.querySelector<HTMLElement>(`[data-pdf-page="${page}"]`)?.scrollIntoView({ block: 'start' }));
  };
  const tz = (key: string) => translate(`portal.contracts.sign.pdf.${key}`);

  return (
    <Box ref={rootRef} data-testid={testId} data-page-count={doc ? pages.length : undefined} sx={{ width: '100%', minWidth: 0 }}>
      {loading && (
        <Box sx={{ py: 2 }}>
          <Typography variant="body2" color="text.secondary">
            {translate('portal.pdf.loading')}
          </Typography>
          <LinearProgress sx={{ mt: 1 }} />
        </Box>
      )}
      {error && (
        // A failed download says the server's message (in the UI's language) and may be retried; a file pdf.js cannot read is said so.
        <Alert
          severity="error"
          role="alert"
          data-testid={`${testId}-error`}
          action={
            error instanceof ApiError ? (
              <Button color="inherit" size="small" onClick={retry} data-testid={`${testId}-retry`}>
                {translate('sf.common.retry')}
              </Button>
            ) : undefined
          }
        >
          {translate('portal.pdf.error', { message: error instanceof ApiError ? error.message : translate('portal.pdf.unreadable') })}
        </Alert>
      )}
      {doc && zoomable && (
        <Stack
          direction="row"
          data-testid="pdf-toolbar"
          sx={{ position: 'sticky', top: 0, zIndex: 3, alignItems: 'center', justifyContent: 'center', gap: 0.5, mb: 1, py: 0.25, bgcolor: 'background.paper', borderRadius: 1, boxShadow: 1 }}
        >
          <Tooltip title={tz('zoom_out')}>
            <span>
              <IconButton size="small" aria-label={tz('zoom_out')} onClick={() => changeZoom(zoomOut(factor))} disabled={factor <= ZOOM_MIN} data-testid="pdf-zoom-out">
                <ZoomOutIcon />
              </IconButton>
            </span>
          </Tooltip>
          <Typography variant="body2" data-testid="pdf-zoom-level" data-zoom={zoom} sx={{ minWidth: 48, textAlign: 'center' }}>
            {Math.round(factor * 100)}%
          </Typography>
          <Tooltip title={tz('zoom_in')}>
            <span>
              <IconButton size="small" aria-label={tz('zoom_in')} onClick={() => changeZoom(zoomIn(factor))} disabled={factor >= ZOOM_MAX} data-testid="pdf-zoom-in">
                <ZoomInIcon />
              </IconButton>
            </span>
          </Tooltip>
          <Tooltip title={tz('fit_width')}>
            <IconButton size="small" aria-label={tz('fit_width')} onClick={() => changeZoom('fit')} color={zoom === 'fit' ? 'primary' : 'default'} data-testid="pdf-zoom-fit">
              <FitWidthIcon />
            </IconButton>
          </Tooltip>
          <Typography variant="caption" color="text.secondary" data-testid="pdf-current-page" data-page={current} sx={{ ml: 1 }}>
            {translate('portal.pdf.page_label', { page: current, pages: pages.length })}
          </Typography>
        </Stack>
      )}
      <Box sx={{ display: 'flex', gap: 1, alignItems: 'flex-start' }}>
        {doc && thumbnails && (
          <Box sx={{ display: { xs: 'none', lg: 'block' }, alignSelf: 'stretch' }}>
            <PdfThumbnails doc={doc} pages={pages} current={current} onJump={jumpTo} />
          </Box>
        )}
        <Box ref={containerRef} data-testid={`${testId}-scroller`} sx={{ flex: 1, minWidth: 0, overflowX: 'auto' }}>
          {doc &&
            containerWidth > 0 &&
            pages.map((size, index) => {
              const info: PdfPageInfo = { pageNumber: index + 1, pageCount: pages.length, width: size.width, height: size.height, scale };
              const widthPx = size.width * scale;
              const heightPx = size.height * scale;
              return (
                <Box key={index} sx={{ mb: 2, width: 'fit-content', minWidth: '100%' }}>
                  <Box
                    data-testid="pdf-page"
                    data-pdf-page={index + 1}
                    data-scale={scale}
                    sx={{ position: 'relative', width: widthPx, height: heightPx, mx: 'auto', bgcolor: '#fff', boxShadow: 2, userSelect: 'none', scrollMarginTop: zoomable ? 56 : 0 }}
                  >
                    <PdfPageCanvas doc={doc} pageNumber={index + 1} widthPx={widthPx} heightPx={heightPx} />
                    {renderOverlay && <Box sx={{ position: 'absolute', inset: 0 }}>{renderOverlay(info)}</Box>}
                  </Box>
                  <Typography variant="caption" color="text.secondary" component="p" sx={{ textAlign: 'center', mt: 0.5 }}>
                    {translate('portal.pdf.page_label', { page: index + 1, pages: pages.length })}
                  </Typography>
                </Box>
              );
            })}
        </Box>
      </Box>
    </Box>
  );
};
