import { constants, inflateSync } from 'node:zlib';
import { DocumentError } from '../errors';

/**
 * Decoding with a byte budget, for the streams the PDF parser must expand itself (object and
 * cross-reference streams). zlib stops as soon as the output would exceed the limit, so a
 * 1 MB → 1 GB "zip bomb" costs at most `limit` bytes and the time to produce them.
 */

/** Remaining decoded-bytes allowance of one parse. */
export class DecodeBudget {
  constructor(private remaining: number) {}

  get left(): number {
    return this.remaining;
  }

  take(bytes: number): void {
    this.remaining -= bytes;
  }
}

/** Inflates zlib data, tolerating a missing end (as readers do), within `budget`. */
export function inflateBounded(data: Uint8Array, budget: DecodeBudget, what: string): Uint8Array {
  if (budget.left <= 0) throw new DocumentError('PDF_TOO_COMPLEX', `${what}: the decoded-bytes budget is exhausted`);
  let out: Buffer;
  try {
    out = inflateSync(data, { maxOutputLength: budget.left, finishFlush: constants.Z_SYNC_FLUSH });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw new DocumentError('PDF_TOO_COMPLEX', `${what} inflates beyond the decoded-bytes budget`, { cause: err });
    }
    throw new DocumentError('PDF_CORRUPT', `${what} cannot be decompressed: ${(err as Error).message}`, { cause: err });
  }
  budget.take(out.length);
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
}

/** Reverses PNG predictors (DecodeParms /Predictor ≥ 10) row by row; null for predictors we do not know. */
export function unpredict(data: Uint8Array, predictor: number, columns: number, colors = 1, bitsPerComponent = 8): Uint8Array | null {
  if (predictor < 2) return data;
  if (predictor < 10) return null; // TIFF predictor: never seen in xref streams
  const bpp = Math.max(1, Math.ceil((colors * bitsPerComponent) / 8));
  const rowBytes = Math.ceil((columns * colors * bitsPerComponent) / 8);
  const rows = Math.floor(data.length / (rowBytes + 1));
  const out = new Uint8Array(rows * rowBytes);
  for (let r = 0; r < rows; r++) {
    const type = data[r * (rowBytes + 1)]!;
    const src = r * (rowBytes + 1) + 1;
    const dst = r * rowBytes;
    for (let i = 0; i < rowBytes; i++) {
      const raw = data[src + i]!;
      const left = i >= bpp ? out[dst + i - bpp]! : 0;
      const up = r > 0 ? out[dst - rowBytes + i]! : 0;
      const upLeft = r > 0 && i >= bpp ? out[dst - rowBytes + i - bpp]! : 0;
      let v: number;
      switch (type) {
        case 0:
          v = raw;
          break;
        case 1:
          v = raw + left;
          break;
        case 2:
          v = raw + up;
          break;
        case 3:
          v = raw + ((left + up) >> 1);
          break;
        case 4: {
          const p = left + up - upLeft;
          const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
          v = raw + (pa <= pb && pa <= pc ? left : pb <= pc ? up : upLeft);
          break;
        }
        default:
          return null;
      }
      out[dst + i] = v & 0xff;
    }
  }
  return out;
}
