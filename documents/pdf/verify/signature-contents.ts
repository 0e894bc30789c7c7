import { readHeader } from '../der';
import type { ByteRange } from './signature-info';

/**
 * The CMS a signature's /Contents carries: the hex string that must fill exactly the gap between
 * the signature's two byte ranges. Writers reserve room and pad the DER with zeros, so the gap is
 * usually three times the CMS: when the DER's own length (its first bytes) ends inside the gap
 * and everything after it is the digit 0, only the DER part is decoded. Every other gap is decoded
 * whole, as it always was (contentsFromGap); both give the same verdict (signature-contents.test.ts).
 */

/** '0' digits to compare the padding against, chunk by chunk. */
const ZERO_DIGITS = Buffer.alloc(8192, 0x30);

/** A DER header is at most 6 bytes here: tag, 0x84, four length bytes. */
const MAX_HEADER_HEX = 12;

/** Length in bytes of the DER element whose hex starts at `from` (its header decoded by der.ts), or -1. */
function derLengthFromHex(buf: Buffer, from: number, to: number): number {
  const hex = buf.toString('latin1', from, Math.min(to, from + MAX_HEADER_HEX));
  const head = Buffer.from(hex, 'hex'); // stops at the first pair that is not hex
  try {
    return readHeader(head, 0).end;
  } catch {
    return -1;
  }
}

function onlyZeroDigits(buf: Buffer, from: number, to: number): boolean {
  for (let at = from; at < to; at += ZERO_DIGITS.length) {
    const end = Math.min(to, at + ZERO_DIGITS.length);
    if (ZERO_DIGITS.compare(buf, at, end, 0, end - at) !== 0) return false;
  }
  return true;
}

/** Checks the range's shape and where the gap is; the hex text's [from, to) in the file, or the error. */
function gapOf(bytes: Uint8Array, [a, l1, s2, l2]: ByteRange): { from: number; to: number } | string {
  if (a !== 0 || l1 <= 0 || s2 <= l1 + 1 || s2 + l2 > bytes.length) return 'malformed ByteRange';
  if (bytes[l1] !== 0x3c || bytes[s2 - 1] !== 0x3e) return 'ByteRange gap is not the /Contents string';
  return { from: l1 + 1, to: s2 - 1 };
}

const bufferOf = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/** The whole /Contents decoded (only hex digits and whitespace, an even count of digits), or the error. */
export function contentsFromGap(bytes: Uint8Array, range: ByteRange): Buffer | string {
  const gap = gapOf(bytes, range);
  if (typeof gap === 'string') return gap;
  let hex = bufferOf(bytes).toString('latin1', gap.from, gap.to);
  // Node decodes hex up to the first byte that is not a hex pair: all of it decoded = only hex digits, even count.
  const plain = Buffer.from(hex, 'hex');
  if (plain.length * 2 === hex.length) return plain;
  hex = hex.replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) return 'ByteRange gap is not the /Contents string';
  return Buffer.from(hex, 'hex');
}

/**
 * The CMS DER of the /Contents without its zero padding when the gap is a DER element followed by
 * the digit 0 only (what the DER reader would read of the whole decoded gap); else contentsFromGap.
 */
export function cmsFromGap(bytes: Uint8Array, range: ByteRange): Buffer | string {
  const gap = gapOf(bytes, range);
  if (typeof gap === 'string') return gap;
  const buf = bufferOf(bytes);
  const length = derLengthFromHex(buf, gap.from, gap.to);
  const derEnd = gap.from + 2 * length;
  if (length > 0 && derEnd <= gap.to) {
    if (onlyZeroDigits(buf, derEnd, gap.to)) {
      const der = Buffer.from(buf.toString('latin1', gap.from, derEnd), 'hex');
      if (der.length === length) return der;
    }
  }
  return contentsFromGap(bytes, range);
}
