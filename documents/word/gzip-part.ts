import { constants, gunzipSync, inflateRawSync } from 'node:zlib';
import { tooComplex } from './docx-archive';

/** A gzip stream (an `.emz`/`.wmz` compressed metafile, an `.svgz`). */
export const isGzip = (data: Uint8Array) => data[0] === 0x1f && data[1] === 0x8b;

/** The first bytes a gzip stream decompresses to (from at most 1 KiB of its deflate data), empty if unreadable. */
export function gunzipStart(data: Uint8Array): Uint8Array {
  // The header: 10 bytes, then optional extra field, file name, comment and header checksum (RFC 1952).
  const flags = data[3] ?? 0;
  let p = 10;
  if (flags & 0x04) p += 2 + (data[p] ?? 0) + ((data[p + 1] ?? 0) << 8);
  for (const flag of [0x08, 0x10]) {
    if (!(flags & flag)) continue;
    p = data.indexOf(0, p);
    if (p < 0) return new Uint8Array(0);
    p++;
  }
  if (flags & 0x02) p += 2;
  if (data[2] !== 8 || p >= data.byteLength) return new Uint8Array(0);
  try {
    // Z_SYNC_FLUSH: the start of the stream without its end, ≤ 1 MiB whatever the ratio.
    return inflateRawSync(data.subarray(p, p + 1024), { finishFlush: constants.Z_SYNC_FLUSH });
  } catch {
    return new Uint8Array(0);
  }
}

/**
 * The whole gzip stream decompressed, within `maxBytes` (DOCX_TOO_COMPLEX past it: LibreOffice itself would
 * inflate a compressed picture with no bound); null when it is not a readable gzip stream.
 */
export function gunzipWhole(data: Uint8Array, maxBytes: number, name: string): Uint8Array | null {
  if (!isGzip(data)) return null;
  try {
    return new Uint8Array(gunzipSync(data, { maxOutputLength: maxBytes }));
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) {
      throw tooComplex(`${name} decompresses to more than ${maxBytes} bytes`);
    }
    return null;
  }
}
