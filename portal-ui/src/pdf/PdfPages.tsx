import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { Alert, Box, LinearProgress, Typography } from '@mui/material';
import { useTranslate } from 'react-admin';
import type { Size } from './geometry';
import { PdfPageCanvas } from './PdfPageCanvas';
import type { PdfSource } from './pdfjs';
import { usePdfDocument } from './usePdfDocument';

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

/**
 * All pages of a PDF rendered by pdf.js, one under the other, as wide as the container allows
 * (at most `maxPageWidth` pixels; every page at the same scale). `renderOverlay` draws over each
 * page in a box of the page's size (absolute positions in CSS pixels = points × scale).
 * Each page element carries data-pdf-page (its number) and data-scale.
 */
export const PdfPages = ({
  source,
  renderOverlay,
  onLoaded,
  maxPageWidth = 820,
  testId = 'pdf-pages',
}: {
  source: PdfSource | null;
  renderOverlay?: (page: PdfPageInfo) => ReactNode;
  onLoaded?: (pages: Size[]) => void;
  maxPageWidth?: number;
  testId?: string;
}) => {
  const translate = useTranslate();
  const { doc, pages, error, loading } = usePdfDocument(source);
  const containerRef = useRef<HTMLDivElement>(null);
  const [containerWidth, setContainerWidth] = useState(0);

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

  const widestPt = Math.max(1, ...pages.map((p) => p.width));
  const scale = Math.max(0.1, Math.min(containerWidth, maxPageWidth) / widestPt);

  return (
    <Box ref={containerRef} data-testid={testId} data-page-count={doc ? pages.length : undefined} sx={{ width: '100%', minWidth: 0 }}>
      {loading && (
        <Box sx={{ py: 2 }}>
          <Typography variant="body2" color="text.secondary">
            {translate('portal.pdf.loading')}
          </Typography>
          <LinearProgress sx={{ mt: 1 }} />
        </Box>
      )}
      {error && (
        <Alert severity="error" data-testid={`${testId}-error`}>
          {translate('portal.pdf.error', { message: error.message })}
        </Alert>
      )}
      {doc &&
        containerWidth > 0 &&
        pages.map((size, index) => {
          const info: PdfPageInfo = { pageNumber: index + 1, pageCount: pages.length, width: size.width, height: size.height, scale };
          const widthPx = size.width * scale;
          const heightPx = size.height * scale;
          return (
            <Box key={index} sx={{ mb: 2 }}>
              <Box
                data-testid="pdf-page"
                data-pdf-page={index + 1}
                data-scale={scale}
                sx={{ position: 'relative', width: widthPx, height: heightPx, mx: 'auto', bgcolor: '#fff', boxShadow: 2, userSelect: 'none' }}
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
  );
};
