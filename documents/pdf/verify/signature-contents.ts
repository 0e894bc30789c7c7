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

const hexDigit = (c: number): number => (c >= 0x30 && c <= 0x39 ? c - 0x30 : c >= 0x61 && c <= 0x66 ? c - 0x57 : c >= 0x41 && c <= 0x46 ? c - 0x37 : -1);

/** The byte written as two hex digits at `at`, or -1. */
function hexByte(bytes: Uint8Array, at: number): number {
  const hi = hexDigit(bytes[at]!);
  const lo = hexDigit(bytes[at + 1]!);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

/** Length in bytes of the DER element whose hex starts at `from` (definite lengths up to 4 bytes), or -1. */
function derLengthFromHex(bytes: Uint8Array, from: number, to: number): number {
  if (to - from < 4 || hexByte(bytes, from) < 0) return -1;
  const first = hexByte(bytes, from + 2);
  if (first < 0x80) return first < 0 ? -1 : 2 + first;
  const n = first & 0x7f;
  if (n === 0 || n > 4 || to - from < 4 + 2 * n) return -1;
  let length = 0;
  for (let i = 0; i < n; i++) {
    const b = hexByte(bytes, from + 4 + 2 * i);
    if (b < 0) return -1;
    length = length * 256 + b;
  }
  return 2 + n + length;
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
  const length = derLengthFromHex(bytes, gap.from, gap.to);
  const derEnd = gap.from + 2 * length;
  if (length > 0 && derEnd <= gap.to) {
    const buf = bufferOf(bytes);
    if (onlyZeroDigits(buf, derEnd, gap.to)) {
      const der = Buffer.from(buf.toString('latin1', gap.from, derEnd), 'hex');
      if (der.length === length) return der;
    }
  }
  return contentsFromGap(bytes, range);
}
