import { DEFAULT_STRUCTURE_LIMITS, checkPageTree, listFields, signedFields } from './pdf-structure';
import { loadPdf } from './safe-load';

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
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}
