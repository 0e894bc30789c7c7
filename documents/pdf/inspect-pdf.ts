import { PDFDocument } from 'pdf-lib';
import { DocumentError } from '../errors';
import { pageGeometry } from './page-geometry';

export interface PdfLimits {
  maxBytes: number;
  maxPages: number;
}

export interface PdfInfo {
  pageCount: number;
  /** Displayed size in PDF points (crop box, after /Rotate). */
  pages: { width: number; height: number }[];
}

const MAGIC = [0x25, 0x50, 0x44, 0x46, 0x2d]; // "%PDF-"

/** True if "%PDF-" appears within the first 1024 bytes (what readers accept). */
export function hasPdfMagic(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length - MAGIC.length, 1024);
  outer: for (let i = 0; i <= end; i++) {
    for (let j = 0; j < MAGIC.length; j++) if (bytes[i + j] !== MAGIC[j]) continue outer;
    return true;
  }
  return false;
}

/** Loads with pdf-lib, mapping failures to DocumentError (NOT_A_PDF, PDF_CORRUPT, PDF_ENCRYPTED). */
export async function loadPdfOrThrow(bytes: Uint8Array): Promise<PDFDocument> {
  if (!hasPdfMagic(bytes)) throw new DocumentError('NOT_A_PDF', 'the file is not a PDF (missing %PDF- header)');
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { ignoreEncryption: true, updateMetadata: false, throwOnInvalidObject: true });
  } catch (err) {
    // Encrypted object streams do not parse; tell that apart from real corruption.
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
    if (/\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/.test(text)) {
      throw new DocumentError('PDF_ENCRYPTED', 'encrypted or password-protected PDFs are not accepted');
    }
    throw new DocumentError('PDF_CORRUPT', `the PDF cannot be parsed: ${(err as Error).message}`, { cause: err });
  }
  if (doc.isEncrypted) throw new DocumentError('PDF_ENCRYPTED', 'encrypted or password-protected PDFs are not accepted');
  return doc;
}

export async function inspectPdf(bytes: Uint8Array, limits: PdfLimits): Promise<PdfInfo> {
  if (bytes.length > limits.maxBytes) {
    throw new DocumentError('PDF_TOO_LARGE', `the PDF is ${bytes.length} bytes; the limit is ${limits.maxBytes}`);
  }
  const doc = await loadPdfOrThrow(bytes);
  let pages: PdfInfo['pages'];
  try {
    pages = doc.getPages().map((page) => {
      const g = pageGeometry(page);
      if (!(g.width > 0 && g.height > 0)) throw new Error('page with an empty or missing MediaBox');
      return { width: g.width, height: g.height };
    });
  } catch (err) {
    throw new DocumentError('PDF_CORRUPT', `the PDF page tree is broken: ${(err as Error).message}`, { cause: err });
  }
  if (pages.length === 0) throw new DocumentError('PDF_NO_PAGES', 'the PDF has no pages');
  if (pages.length > limits.maxPages) {
    throw new DocumentError('PDF_TOO_MANY_PAGES', `the PDF has ${pages.length} pages; the limit is ${limits.maxPages}`);
  }
  return { pageCount: pages.length, pages };
}
