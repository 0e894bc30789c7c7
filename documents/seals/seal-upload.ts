import sharp from 'sharp';
import { AppError } from '../../domain/errors';
import { whiteToAlphaInThread } from '../pool/pixel-tasks';
import { sealRenders } from './seal-renders';

/**
 * An uploaded seal image (a scan or photo of a real seal) made fit for stamping: PNG or JPEG only
 * (by magic bytes, never by name or declared type), bounded in bytes and pixels before anything is
 * decoded, the white paper made transparent (colour-to-alpha against white), trimmed to the ink and
 * re-encoded as PNG. sharp decodes in libuv's thread pool and the colour-to-alpha pass runs in a document
 * worker thread: nothing here holds the event loop.
 */

export const SEAL_UPLOAD_LIMITS = {
  maxBytes: 2 * 1024 * 1024,
  /** Per side, read from the header before decoding (decompression bombs stop here). */
  maxSidePx: 4000,
  minSidePx: 64,
  /** The trimmed ink must be at least this big. */
  minInkSidePx: 48,
  /** Longest side of the stored PNG. */
  maxOutputSidePx: 1200,
  /** A channel minimum at or above this is paper (fully transparent). */
  paperLevel: 230,
};

export interface PreparedSealImage {
  png: Uint8Array;
  widthPx: number;
  heightPx: number;
  widthMm: number;
  heightMm: number;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG_MAGIC = [0xff, 0xd8, 0xff];

const startsWith = (bytes: Uint8Array, magic: number[]) => bytes.length >= magic.length && magic.every((b, i) => bytes[i] === b);

export function sealImageFormat(bytes: Uint8Array): 'png' | 'jpeg' | null {
  if (startsWith(bytes, PNG_MAGIC)) return 'png';
  if (startsWith(bytes, JPEG_MAGIC)) return 'jpeg';
  return null;
}

const err = {
  empty: () => new AppError('validation', 'SEAL_IMAGE_EMPTY', '请上传印章图片', 'Upload a seal image'),
  tooBig: () => new AppError('too_large', 'SEAL_IMAGE_TOO_LARGE', '印章图片不能超过 2 MB', 'The seal image must not exceed 2 MB'),
  type: () => new AppError('unsupported_media', 'SEAL_IMAGE_TYPE', '印章图片只支持 PNG 或 JPEG 格式', 'The seal image must be a PNG or JPEG file'),
  corrupt: () => new AppError('validation', 'SEAL_IMAGE_CORRUPT', '印章图片已损坏或无法读取', 'The seal image is damaged or cannot be read'),
  dimensionsLarge: (w: number, h: number) =>
    new AppError('too_large', 'SEAL_IMAGE_DIMENSIONS', `印章图片尺寸过大（${w}×${h}），每边不超过 ${SEAL_UPLOAD_LIMITS.maxSidePx} 像素`, `The seal image is too large (${w}×${h}); at most ${SEAL_UPLOAD_LIMITS.maxSidePx} pixels per side`),
  dimensionsSmall: (w: number, h: number) =>
    new AppError('rejected', 'SEAL_IMAGE_TOO_SMALL', `印章图片过小（${w}×${h}），每边至少 ${SEAL_UPLOAD_LIMITS.minSidePx} 像素`, `The seal image is too small (${w}×${h}); at least ${SEAL_UPLOAD_LIMITS.minSidePx} pixels per side`),
  blank: () => new AppError('rejected', 'SEAL_IMAGE_BLANK', '印章图片是空白的（去除白色背景后没有印迹）', 'The seal image is blank (nothing left once the white background is removed)'),
  inkSmall: () => new AppError('rejected', 'SEAL_IMAGE_TOO_SMALL', '印章图片中的印迹过小，请上传更清晰的图片', 'The seal in the image is too small; upload a sharper image'),
};

/**
 * Validates and prepares an uploaded seal image. `widthMm` is the physical width the seal should
 * have when stamped (from the seal type); the height follows the image's aspect ratio.
 */
export async function prepareUploadedSealImage(bytes: Uint8Array | undefined, widthMm: number): Promise<PreparedSealImage> {
  const L = SEAL_UPLOAD_LIMITS;
  if (!bytes || bytes.length === 0) throw err.empty();
  if (bytes.length > L.maxBytes) throw err.tooBig();
  const format = sealImageFormat(bytes);
  if (!format) throw err.type();
  const input = () => sharp(bytes, { limitInputPixels: L.maxSidePx * L.maxSidePx, failOn: 'error', sequentialRead: true });
  let meta: sharp.Metadata;
  try {
    // Header only (no pixel decoding): unlimited here so an over-sized header gets the dimensions answer below.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw err.corrupt();
  }
  if (meta.format !== format || !meta.width || !meta.height) throw err.corrupt();
  // EXIF orientations 5–8 swap the sides; bounds hold either way.
  if (meta.width > L.maxSidePx || meta.height > L.maxSidePx) throw err.dimensionsLarge(meta.width, meta.height);
  if (meta.width < L.minSidePx || meta.height < L.minSidePx) throw err.dimensionsSmall(meta.width, meta.height);

  let raw: { data: Buffer; info: sharp.OutputInfo };
  try {
    // Decoded and scaled down by sharp in libuv's pool (one of the process's seal drawings: seal-renders.ts).
    const side = L.maxOutputSidePx * 1.5;
    raw = await sealRenders.run(() => input().rotate().flatten({ background: '#ffffff' }).resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true }).ensureAlpha().raw().toBuffer({ resolveWithObject: true }));
  } catch {
    throw err.corrupt();
  }
  const { info } = raw;
  // The colour-to-alpha pass (up to 1800 × 1800 pixels) in a document worker thread, off the event loop.
  const { data, box } = await whiteToAlphaInThread({ data: raw.data, width: info.width, height: info.height }, L.paperLevel);
  if (!box) throw err.blank();
  if (box.width < L.minInkSidePx || box.height < L.minInkSidePx) throw err.inkSmall();
  const scale = Math.min(1, L.maxOutputSidePx / Math.max(box.width, box.height));
  const png = await sealRenders.run(() =>
    sharp(data, { raw: { width: info.width, height: info.height, channels: 4 } })
      .extract(box)
      .resize(Math.max(1, Math.round(box.width * scale)), Math.max(1, Math.round(box.height * scale)))
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true }),
  );
  return {
    png: new Uint8Array(png.data),
    widthPx: png.info.width,
    heightPx: png.info.height,
    widthMm,
    heightMm: Number(((widthMm * png.info.height) / png.info.width).toFixed(2)),
  };
}
