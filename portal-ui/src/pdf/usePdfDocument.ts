import { useCallback, useEffect, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { Size } from './geometry';
import { openPdf, type PdfSource } from './pdfjs';

export interface PdfDocumentState {
  doc: PDFDocumentProxy | null;
  /** Page sizes in PDF points (displayed orientation), page 1 first. */
  pages: Size[];
  /** Why it could not be shown: an ApiError (the server's localized message) when reading a URL failed, else pdf.js's error. */
  error: Error | null;
  loading: boolean;
  /** Opens the same source again (重试 after a failed download). */
  retry: () => void;
}

type Loaded = Omit<PdfDocumentState, 'retry'>;

const EMPTY: Loaded = { doc: null, pages: [], error: null, loading: false };

/** Opens `source` with pdf.js and reads every page's size; closes the document (and stops its download) when the source changes. */
export function usePdfDocument(source: PdfSource | null): PdfDocumentState {
  const [state, setState] = useState<Loaded>(EMPTY);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (source === null) {
      setState(EMPTY);
      return;
    }
    let cancelled = false;
    const download = new AbortController();
    let opened: PDFDocumentProxy | null = null;
    setState({ ...EMPTY, loading: true });
    (async () => {
      const doc = await openPdf(source, download.signal);
      if (cancelled) {
        void doc.destroy(); // opened after the source changed: nobody shows it
        return;
      }
      opened = doc;
      const pages: Size[] = [];
      for (let n = 1; n <= doc.numPages; n++) {
        const viewport = (await doc.getPage(n)).getViewport({ scale: 1 });
        pages.push({ width: viewport.width, height: viewport.height });
      }
      if (!cancelled) setState({ doc, pages, error: null, loading: false });
    })().catch((e: unknown) => {
      if (!cancelled) setState({ ...EMPTY, error: e instanceof Error ? e : new Error(String(e)) });
    });
    return () => {
      cancelled = true;
      download.abort();
      void opened?.destroy();
    };
  }, [source, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}
