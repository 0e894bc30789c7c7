/**
 * Checks and cleans a handwritten signature drawn on a phone (signature_pad → PNG):
 * PNG magic bytes, at most 512 KB, a pixel budget read from the header BEFORE decoding (a
 * "PNG bomb" that declares 100 000 × 100 000 pixels is refused without allocating them), some
 * opaque ink, transparent background (an opaque white canvas is made transparent), trimmed to
 * the ink with a small margin. Hostile input is a 4xx AppError, never a 500 or a long decode.
 */
import sharp from 'sharp';
import { clearAroundInkInThread } from '../../documents/pool/pixel-tasks';
import { AppError } from '../errors';

export const SIGNATURE_PNG_MAX_BYTES = 512 * 1024;
/** Decoded pixels at most (a 390-px-wide phone at devicePixelRatio 3 draws ≈ 1170 × 600). */
export const SIGNATURE_MAX_PIXELS = 4_000_000;
export const SIGNATURE_MAX_SIDE = 4096;
/** Ink pixels a drawing needs at least (a dot is not a signature). */
export const SIGNATURE_MIN_INK_PIXELS = 50;
const TRIM_MARGIN = 8;
const INK_ALPHA = 32;
/** Near-white opaque pixels count as background (a canvas exported with a white fill). */
const WHITE = 235;

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

export interface SignaturePng {
  png: Uint8Array;
  width: number;
  height: number;
}

const notPng = () => new AppError('unsupported_media', 'SIGNATURE_NOT_PNG', '签名图片必须是 PNG 格式', 'The signature image must be a PNG');
const corrupt = () => new AppError('validation', 'SIGNATURE_IMAGE_CORRUPT', '签名图片已损坏，无法读取', 'The signature image is corrupt and cannot be read');
const tooLarge = () => new AppError('too_large', 'SIGNATURE_IMAGE_TOO_LARGE', '签名图片过大（最大 512 KB）', 'The signature image is too large (512 KB at most)');
const tooManyPixels = () =>
  new AppError('too_large', 'SIGNATURE_IMAGE_TOO_MANY_PIXELS', '签名图片尺寸过大', 'The signature image has too many pixels');
const blank = () => new AppError('validation', 'SIGNATURE_BLANK', '未检测到签名笔迹，请重新签写', 'The drawing is empty; please sign again');

export const hasPngMagic = (bytes: Uint8Array) => bytes.length >= 8 && PNG_MAGIC.every((b, i) => bytes[i] === b);

/** Validates the drawing and returns it trimmed to the ink, on a transparent background. */
export async function normalizeSignaturePng(bytes: Uint8Array): Promise<SignaturePng> {
  if (bytes.length > SIGNATURE_PNG_MAX_BYTES) throw tooLarge();
  if (!hasPngMagic(bytes)) throw notPng();
  const options = { limitInputPixels: SIGNATURE_MAX_PIXELS, failOn: 'error' as const };
  // The header first: dimensions are known without decoding a single row.
  let meta: sharp.Metadata;
  try {
    meta = await sharp(bytes, options).metadata();
  } catch (err) {
    // sharp refuses a header over limitInputPixels before decoding.
    throw /pixel limit/i.test(String((err as Error)?.message)) ? tooManyPixels() : corrupt();
  }
  if (meta.format !== 'png') throw notPng();
  const { width = 0, height = 0 } = meta;
  if (!width || !height) throw corrupt();
  if (width > SIGNATURE_MAX_SIDE || height > SIGNATURE_MAX_SIDE || width * height > SIGNATURE_MAX_PIXELS) throw tooManyPixels();
  if ((meta.pages ?? 1) > 1) throw notPng(); // APNG animations are not a signature

  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    decoded = await sharp(bytes, options).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  } catch {
    throw corrupt();
  }
  const { data, info } = decoded;
  if (info.channels !== 4 || info.width !== width || info.height !== height) throw corrupt();

  // The pass over every pixel (up to 4 M) in a document worker thread, off the event loop.
  const { data: cleared, ink, box } = await clearAroundInkInThread({ data, width, height }, { minAlpha: INK_ALPHA, white: WHITE });
  if (ink < SIGNATURE_MIN_INK_PIXELS || !box) throw blank();

  const left = Math.max(0, box.left - TRIM_MARGIN);
  const top = Math.max(0, box.top - TRIM_MARGIN);
  const region = { left, top, width: Math.min(width, box.left + box.width + TRIM_MARGIN) - left, height: Math.min(height, box.top + box.height + TRIM_MARGIN) - top };
  const png = await sharp(cleared, { raw: { width, height, channels: 4 } })
    .extract(region)
    .png({ compressionLevel: 9 })
    .toBuffer();
  return { png: new Uint8Array(png), width: region.width, height: region.height };
}

const DATA_URL_PREFIX = 'data:image/png;base64,';
/** The longest data URL a PNG of at most SIGNATURE_PNG_MAX_BYTES gives (699,074 characters). */
export const SIGNATURE_DATA_URL_MAX_CHARS = DATA_URL_PREFIX.length + Math.ceil(SIGNATURE_PNG_MAX_BYTES / 3) * 4;

/**
 * The PNG bytes of a `data:image/png;base64,…` URL (what signature_pad's toDataURL gives).
 * Bounded before decoding: a longer string than 512 KB of base64 can hold is refused.
 */
export function pngFromDataUrl(dataUrl: string): Uint8Array {
  const match = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/.exec(dataUrl);
  if (!match) {
    if (/^data:image\/(?!png)/.test(dataUrl)) throw notPng();
    throw new AppError('validation', 'SIGNATURE_DATA_URL_INVALID', '签名图片格式不正确', 'The signature must be a data:image/png;base64 URL');
  }
  if (match[1]!.length > Math.ceil(SIGNATURE_PNG_MAX_BYTES / 3) * 4) throw tooLarge();
  return new Uint8Array(Buffer.from(match[1]!, 'base64'));
}
