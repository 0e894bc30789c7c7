import { useEffect, useState } from 'react';
import type { PDFDocumentProxy } from 'pdfjs-dist';
import type { Size } from './geometry';
import { openPdf, type PdfSource } from './pdfjs';

export interface PdfDocumentState {
  doc: PDFDocumentProxy | null;
  /** Page sizes in PDF points (displayed orientation), page 1 first. */
  pages: Size[];
  error: Error | null;
  loading: boolean;
}

const EMPTY: PdfDocumentState = { doc: null, pages: [], error: null, loading: false };

/** Opens `source` with pdf.js and reads every page's size; closes the document when the source changes. */
export function usePdfDocument(source: PdfSource | null): PdfDocumentState {
  const [state, setState] = useState<PdfDocumentState>(EMPTY);
  useEffect(() => {
    if (source === null) {
      setState(EMPTY);
      return;
    }
    let cancelled = false;
    let opened: PDFDocumentProxy | null = null;
    setState({ ...EMPTY, loading: true });
    (async () => {
      const doc = await openPdf(source);
      opened = doc;
      if (cancelled) return;
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
      void opened?.destroy();
    };
  }, [source]);
  return state;
}
