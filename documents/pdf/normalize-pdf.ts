import { DEFAULT_STRUCTURE_LIMITS, checkPageTree, listFields, signedFields } from './pdf-structure';
import { openInspectedPdf, type PdfInfo, type PdfLimits } from './inspect-pdf';
import { loadPdf } from './safe-load';

/** Classic cross-reference table, no object streams, appearances untouched. */
const PREPARED_SAVE_OPTIONS = { useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false };

/**
 * Makes an uploaded PDF ready for incremental signing: re-saves it once with pdf-lib using a
 * classic cross-reference table and no object streams (the incremental writer can only append
 * to such files). Metadata and form field appearances are left as they are.
 *
 * A PDF that already carries signatures is returned unchanged: re-saving would break them.
 */
export async function prepareForSigning(bytes: Uint8Array): Promise<Uint8Array> {
  const { doc } = await loadPdf(bytes);
  checkPageTree(doc, DEFAULT_STRUCTURE_LIMITS);
  if (signedFields(listFields(doc, DEFAULT_STRUCTURE_LIMITS)).length > 0) return bytes;
  return doc.save(PREPARED_SAVE_OPTIONS);
}

/**
 * An upload checked (`inspectPdf`, within `limits`) and made ready for signing from ONE parse: what
 * starting a contract needs (a heavy upload used to be parsed twice, once per step). The inspection
 * refuses signed PDFs, so the result is always the re-saved document.
 */
export async function inspectAndPrepareForSigning(bytes: Uint8Array, limits: PdfLimits): Promise<{ info: PdfInfo; prepared: Uint8Array }> {
  const { doc, info } = await openInspectedPdf(bytes, limits);
  return { info, prepared: await doc.save(PREPARED_SAVE_OPTIONS) };
}
