import { useEffect, useRef, useState } from 'react';
import type { PDFDocumentProxy, RenderTask } from 'pdfjs-dist';
import { Box, CircularProgress } from '@mui/material';

/**
 * One page drawn by pdf.js into a canvas of `widthPx` × `heightPx` CSS pixels (at the device
 * pixel ratio), drawn only once it comes near the viewport and again when the width changes.
 */
export const PdfPageCanvas = ({
  doc,
  pageNumber,
  widthPx,
  heightPx,
  testId = 'pdf-page-canvas',
}: {
  doc: PDFDocumentProxy;
  pageNumber: number;
  widthPx: number;
  heightPx: number;
  testId?: string;
}) => {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [visible, setVisible] = useState(false);
  const [drawn, setDrawn] = useState(false);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    if (typeof IntersectionObserver === 'undefined') {
      setVisible(true);
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        setVisible(true);
        observer.disconnect();
      }
    }, { rootMargin: '600px 0px' });
    observer.observe(canvas);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!visible || !canvas || widthPx <= 0) return;
    let task: RenderTask | null = null;
    let cancelled = false;
    (async () => {
      const page = await doc.getPage(pageNumber);
      if (cancelled) return;
      const ratio = window.devicePixelRatio || 1;
      const base = page.getViewport({ scale: 1 });
      const viewport = page.getViewport({ scale: (widthPx / base.width) * ratio });
      canvas.width = Math.floor(viewport.width);
      canvas.height = Math.floor(viewport.height);
      task = page.render({ canvas, viewport });
      await task.promise;
      if (!cancelled) setDrawn(true);
    })().catch(() => {
      // A cancelled render rejects; a broken page stays blank (the document itself opened).
    });
    return () => {
      cancelled = true;
      task?.cancel();
    };
  }, [doc, pageNumber, widthPx, visible]);

  return (
    <>
      <canvas
        ref={canvasRef}
        data-testid={testId}
        data-drawn={drawn ? 'true' : 'false'}
        style={{ display: 'block', width: widthPx, height: heightPx }}
      />
      {!drawn && (
        <Box sx={{ position: 'absolute', inset: 0, display: 'flex', alignItems: 'center', justifyContent: 'center' }}>
          <CircularProgress size={24} />
        </Box>
      )}
    </>
  );
};
