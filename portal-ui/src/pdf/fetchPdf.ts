// The bytes of a PDF the API serves (same origin, with the session cookie), read before pdf.js sees them: a
// refusal or a lost connection is an ApiError with the message in the UI's language, like every other call
// (pdf.js fetching the URL itself reported "Unexpected server response (503) while retrieving PDF …").
import { fetchBlob } from '../../../ui-shared/src/api/apiFetch';

/** GET `url` → its bytes; throws ApiError (status 0, code NETWORK, when there was no answer), or the AbortError once `signal` aborted. */
export async function fetchPdfBytes(url: string, signal?: AbortSignal): Promise<Uint8Array> {
  return new Uint8Array(await (await fetchBlob(url, { accept: 'application/pdf, application/json', signal })).arrayBuffer());
}
