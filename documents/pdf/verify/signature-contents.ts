import { readHeader } from '../der';
import { DEFAULT_TOKEN_LIMITS } from '../safe-load';
import type { ByteRange } from './signature-info';

/**
 * The CMS a signature's /Contents carries: the hex string that must fill exactly the gap between
 * the signature's two byte ranges — the signature dictionary's own /Contents, no other span of the
 * file (any `<…>`, in a stream's data too, once passed: every signature of a file could name one
 * 19 MB span, each decoded and read again), and at most MAX_CONTENTS_HEX long. Writers reserve room
 * and pad the DER with zeros, so the gap is usually three times the CMS: when the DER's own length
 * (its first bytes) ends inside the gap and everything after it is the digit 0, only the DER part is
 * decoded. Every other gap is decoded whole, as it always was (contentsFromGap); both give the same
 * verdict (signature-contents.test.ts).
 */

/**
 * The longest /Contents read, in hex digits: the general parser's limit on a hex string (safe-load.ts),
 * so that both paths read the same signatures; at most 2 MiB of CMS, room for timestamps and embedded
 * revocation data (the platform's CMS are a few KB).
 */
export const MAX_CONTENTS_HEX = DEFAULT_TOKEN_LIMITS.hexString;

const NOT_THE_CONTENTS = 'ByteRange gap is not the /Contents string';

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

/** Where a signature's /Contents hex text is in the file: [from, to). */
export interface Gap {
  from: number;
  to: number;
}

const bufferOf = (bytes: Uint8Array) => (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));

/**
 * Checks the range's shape and that its gap is `contents`, the signature dictionary's own /Contents
 * (as written between `<` and `>`), within MAX_CONTENTS_HEX; the gap, or the error.
 */
export function gapOf(bytes: Uint8Array, [a, l1, s2, l2]: ByteRange, contents: string | null): Gap | string {
  if (a !== 0 || l1 <= 0 || s2 <= l1 + 1 || s2 + l2 > bytes.length) return 'malformed ByteRange';
  if (bytes[l1] !== 0x3c || bytes[s2 - 1] !== 0x3e) return NOT_THE_CONTENTS;
  const gap = { from: l1 + 1, to: s2 - 1 };
  if (contents === null || contents.length !== gap.to - gap.from) return NOT_THE_CONTENTS;
  if (contents.length > MAX_CONTENTS_HEX) return `the signature's /Contents is longer than ${MAX_CONTENTS_HEX} hex digits`;
  if (bufferOf(bytes).toString('latin1', gap.from, gap.to) !== contents) return NOT_THE_CONTENTS;
  return gap;
}

/** The whole /Contents decoded (only hex digits and whitespace, an even count of digits), or the error. */
export function contentsFromGap(bytes: Uint8Array, gap: Gap): Buffer | string {
  let hex = bufferOf(bytes).toString('latin1', gap.from, gap.to);
  // Node decodes hex up to the first byte that is not a hex pair: all of it decoded = only hex digits, even count.
  const plain = Buffer.from(hex, 'hex');
  if (plain.length * 2 === hex.length) return plain;
  hex = hex.replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) return NOT_THE_CONTENTS;
  return Buffer.from(hex, 'hex');
}

/**
 * The CMS DER of the /Contents without its zero padding when the gap is a DER element followed by
 * the digit 0 only (what the DER reader would read of the whole decoded gap); else contentsFromGap.
 */
export function cmsFromGap(bytes: Uint8Array, gap: Gap): Buffer | string {
  const buf = bufferOf(bytes);
  const length = derLengthFromHex(buf, gap.from, gap.to);
  const derEnd = gap.from + 2 * length;
  if (length > 0 && derEnd <= gap.to) {
    if (onlyZeroDigits(buf, derEnd, gap.to)) {
      const der = Buffer.from(buf.toString('latin1', gap.from, derEnd), 'hex');
      if (der.length === length) return der;
    }
  }
  return contentsFromGap(bytes, gap);
}
