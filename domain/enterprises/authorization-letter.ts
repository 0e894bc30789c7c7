import { randomUUID } from 'node:crypto';
import type { DocumentStore } from '../../integrations/storage/document-store';
import { AppError, invalid } from '../errors';

export const MAX_LETTER_BYTES = 10 * 1024 * 1024;

const KINDS: { type: string; ext: string; magic: number[] }[] = [
  { type: 'application/pdf', ext: 'pdf', magic: [0x25, 0x50, 0x44, 0x46, 0x2d] },
  { type: 'image/png', ext: 'png', magic: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'image/jpeg', ext: 'jpg', magic: [0xff, 0xd8, 0xff] },
];

/** Checks an uploaded 授权书 by its content (PDF, PNG or JPEG; not by the name the browser sent) and stores it. */
export async function storeAuthorizationLetter(store: DocumentStore, owner: string, bytes: Uint8Array | undefined): Promise<{ key: string; type: string }> {
  if (!bytes || bytes.byteLength === 0) throw invalid('LETTER_REQUIRED', '请上传授权书（PDF 或图片）', 'Upload the authorisation letter (PDF or image)');
  if (bytes.byteLength > MAX_LETTER_BYTES) throw new AppError('too_large', 'FILE_TOO_LARGE', '授权书不能超过 10 MB', 'The authorisation letter must be at most 10 MB');
  const kind = KINDS.find((k) => k.magic.every((b, i) => bytes[i] === b));
  if (!kind) throw invalid('LETTER_BAD_TYPE', '授权书须为 PDF、PNG 或 JPEG 文件', 'The authorisation letter must be a PDF, PNG or JPEG file');
  const key = `letters/${owner}/${randomUUID()}.${kind.ext}`;
  await store.put(key, bytes);
  return { key, type: kind.type };
}

/** Runs `commit`, the write that refers to a letter just stored under `key`; if it fails, the letter is deleted (nothing else refers to it). */
export async function commitOrDropLetter(store: DocumentStore, key: string | null, commit: () => Promise<unknown>): Promise<void> {
  try {
    await commit();
  } catch (err) {
    if (key) await store.delete(key).catch(() => undefined);
    throw err;
  }
}
