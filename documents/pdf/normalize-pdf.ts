import { loadPdfOrThrow } from './inspect-pdf';
import { hasSignatures } from './signature-scan';

/**
 * Makes an uploaded PDF ready for incremental signing: re-saves it once with pdf-lib using a
 * classic cross-reference table and no object streams (the incremental writer can only append
 * to such files). Metadata and form field appearances are left as they are.
 *
 * A PDF that already carries signatures is returned unchanged: re-saving would break them.
 */
export async function prepareForSigning(bytes: Uint8Array): Promise<Uint8Array> {
  if (hasSignatures(bytes)) return bytes;
  const doc = await loadPdfOrThrow(bytes);
  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}
