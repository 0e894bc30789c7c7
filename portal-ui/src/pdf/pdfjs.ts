// pdf.js (pdfjs-dist 5.6) loaded on demand, with its worker as a same-origin module file (Vite `?url`).
import type { PDFDocumentProxy } from 'pdfjs-dist';
import { fetchPdfBytes } from './fetchPdf';

type PdfjsModule = typeof import('pdfjs-dist');

let loading: Promise<PdfjsModule> | null = null;

/** The pdf.js module, its worker configured; loaded once, on first use (keeps it out of the main chunk). */
export function loadPdfjs(): Promise<PdfjsModule> {
  loading ??= Promise.all([import('pdfjs-dist'), import('pdfjs-dist/build/pdf.worker.min.mjs?url')]).then(([pdfjs, worker]) => {
    pdfjs.GlobalWorkerOptions.workerSrc = worker.default;
    return pdfjs;
  });
  return loading;
}

/** A PDF to show: a chosen file, bytes, or a same-origin URL (read with the session cookie). */
export type PdfSource = Blob | ArrayBuffer | Uint8Array | string;

/**
 * Opens a PDF. A URL is read first (fetchPdfBytes: a refusal is an ApiError with the server's message in the UI's
 * language) and its bytes handed over to pdf.js, which moves them to its worker: no copy stays here. Bytes the caller
 * gave are copied, since the caller keeps them. `signal` stops the download when the PDF is no longer wanted.
 */
export async function openPdf(source: PdfSource, signal?: AbortSignal): Promise<PDFDocumentProxy> {
  const [pdfjs, data] = await Promise.all([
    loadPdfjs(),
    typeof source === 'string'
      ? fetchPdfBytes(source, signal)
      : source instanceof Blob
        ? source.arrayBuffer().then((b) => new Uint8Array(b))
        : source instanceof Uint8Array
          ? source.slice()
          : new Uint8Array(source.slice(0)),
  ]);
  return pdfjs.getDocument({ isEvalSupported: false, enableXfa: false, data }).promise;
}
