import type { PDFDocument, PDFPage } from 'pdf-lib';
import { DocumentError } from '../errors';
import { DEFAULT_DECLARED_COUNT_BUDGET, declaredPageCount } from './declared-page-count';
import { isPlatformFieldName } from './field-names';
import { pageGeometry } from './page-geometry';
import { DEFAULT_STRUCTURE_LIMITS, checkObjectShapes, checkPageTree, listFields, signedFields } from './pdf-structure';
import { DEFAULT_PARSE_BUDGET, loadPdf } from './safe-load';

export { hasPdfMagic } from './pdf-magic';

export interface PdfLimits {
  maxBytes: number;
  maxPages: number;
  /** Optional tighter budgets (defaults: DEFAULT_PARSE_BUDGET, DEFAULT_STRUCTURE_LIMITS). */
  maxObjects?: number;
  maxDecodedBytes?: number;
  maxFields?: number;
}

const tooManyPages = (pages: number, max: number) => new DocumentError('PDF_TOO_MANY_PAGES', `the PDF has ${pages} pages; the limit is ${max}`);

export interface PdfInfo {
  pageCount: number;
  /** Displayed size in PDF points (crop box, after /Rotate). */
  pages: { width: number; height: number }[];
}

/**
 * Checks an upload before anything else touches it, within budgets (objects, decoded bytes, pages,
 * fields), and refuses what could never be signed: already-signed PDFs (PDF_ALREADY_SIGNED) and
 * form fields named like the platform's signature fields (FIELD_NAME_TAKEN), and objects of a kind
 * signing or text drawing cannot read (an /Annots that is not an array, …: PDF_CORRUPT,
 * checkObjectShapes in pdf-structure.ts).
 * A file that declares more pages than the limit is refused from its /Count alone, read through
 * the cross-reference data before the full parse (declared-page-count.ts); the full parse checks
 * /Count again and then counts the pages it walks.
 */
export async function inspectPdf(bytes: Uint8Array, limits: PdfLimits): Promise<PdfInfo> {
  return (await openInspectedPdf(bytes, limits)).info;
}

/** `inspectPdf`, answering the parsed document too (to work on it without parsing the upload again). */
export async function openInspectedPdf(bytes: Uint8Array, limits: PdfLimits): Promise<{ doc: PDFDocument; info: PdfInfo }> {
  if (bytes.length > limits.maxBytes) {
    throw new DocumentError('PDF_TOO_LARGE', `the PDF is ${bytes.length} bytes; the limit is ${limits.maxBytes}`);
  }
  const declared = declaredPageCount(bytes, {
    ...DEFAULT_DECLARED_COUNT_BUDGET,
    maxDecodedBytes: Math.min(DEFAULT_DECLARED_COUNT_BUDGET.maxDecodedBytes, limits.maxDecodedBytes ?? Infinity),
  });
  if (declared !== null && declared > limits.maxPages) throw tooManyPages(declared, limits.maxPages);
  const { doc } = await loadPdf(bytes, {
    maxObjects: limits.maxObjects ?? DEFAULT_PARSE_BUDGET.maxObjects,
    maxDecodedBytes: limits.maxDecodedBytes ?? DEFAULT_PARSE_BUDGET.maxDecodedBytes,
  });
  const pageCount = checkPageTree(doc, { maxPages: limits.maxPages, maxDepth: DEFAULT_STRUCTURE_LIMITS.maxDepth });
  if (pageCount === 0) throw new DocumentError('PDF_NO_PAGES', 'the PDF has no pages');
  const fields = listFields(doc, { maxFields: limits.maxFields ?? DEFAULT_STRUCTURE_LIMITS.maxFields, maxDepth: DEFAULT_STRUCTURE_LIMITS.maxDepth });
  if (signedFields(fields).length > 0) {
    throw new DocumentError('PDF_ALREADY_SIGNED', 'the PDF already carries digital signatures; upload the unsigned original');
  }
  const clash = fields.find((f) => isPlatformFieldName(f.name));
  if (clash) throw new DocumentError('FIELD_NAME_TAKEN', `the PDF already has a form field named "${clash.name}", reserved for the platform's signature fields`);
  let docPages: PDFPage[];
  try {
    docPages = doc.getPages();
  } catch (err) {
    throw new DocumentError('PDF_CORRUPT', `the PDF page tree is broken: ${(err as Error).message}`, { cause: err });
  }
  // What signing and text drawing read with typed lookups (the AcroForm, /Annots, /Resources, /Contents).
  checkObjectShapes(doc, docPages.map((p) => p.node), DEFAULT_STRUCTURE_LIMITS);
  let pages: PdfInfo['pages'];
  try {
    pages = docPages.map((page) => {
      const g = pageGeometry(page);
      if (!(g.width > 0 && g.height > 0)) throw new Error('page with an empty or missing MediaBox');
      return { width: g.width, height: g.height };
    });
  } catch (err) {
    throw new DocumentError('PDF_CORRUPT', `the PDF page tree is broken: ${(err as Error).message}`, { cause: err });
  }
  return { doc, info: { pageCount: pages.length, pages } };
}
