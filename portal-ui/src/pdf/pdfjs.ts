// pdf.js (pdfjs-dist 5.6) loaded on demand, with its worker as a same-origin module file (Vite `?url`).
import type { PDFDocumentProxy } from 'pdfjs-dist';

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

/** A PDF to show: a chosen file, bytes, or a same-origin URL (sent with the session cookie). */
export type PdfSource = Blob | ArrayBuffer | Uint8Array | string;

/** Opens a PDF. Bytes are copied: pdf.js hands its buffer to the worker. */
export async function openPdf(source: PdfSource): Promise<PDFDocumentProxy> {
  const pdfjs = await loadPdfjs();
  const common = { isEvalSupported: false, enableXfa: false } as const;
  if (typeof source === 'string') return pdfjs.getDocument({ ...common, url: source, withCredentials: true }).promise;
  const data =
    source instanceof Blob ? new Uint8Array(await source.arrayBuffer()) : source instanceof Uint8Array ? source.slice() : new Uint8Array(source.slice(0));
  return pdfjs.getDocument({ ...common, data }).promise;
}
