/**
 * Finds signature dictionaries by their /ByteRange, directly in the file bytes. A signature
 * dictionary can never sit inside a compressed object stream (its /Contents must be a literal
 * byte range of the file), so a raw scan finds every signature, even in files pdf-lib cannot
 * parse any more.
 */

export type ByteRange = [number, number, number, number];

const BYTE_RANGE = /\/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/g;

export function findByteRanges(bytes: Uint8Array): ByteRange[] {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const seen = new Set<string>();
  const ranges: ByteRange[] = [];
  for (const m of text.matchAll(BYTE_RANGE)) {
    const range = [Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])] as ByteRange;
    const key = range.join(',');
    if (seen.has(key)) continue;
    seen.add(key);
    ranges.push(range);
  }
  return ranges.sort((a, b) => a[2] + a[3] - (b[2] + b[3]));
}

export function hasSignatures(bytes: Uint8Array): boolean {
  return findByteRanges(bytes).length > 0;
}
