import { openSync, readSync, closeSync, fstatSync } from 'node:fs';

/**
 * Which Unicode code points a font file (TTF/OTF or a TTC collection) maps to a glyph, read from
 * its `cmap` table (formats 4 and 12). For a collection, a code point counts only if every face
 * maps it, so the answer holds whichever face the renderer picks. Reads only the headers and the
 * cmap tables, never the glyph data.
 */

export interface CodePointCoverage {
  has(codePoint: number): boolean;
}

class RangeCoverage implements CodePointCoverage {
  /** Sorted, non-overlapping [start, end] pairs, flattened. */
  constructor(private readonly ranges: Uint32Array) {}

  has(cp: number): boolean {
    let lo = 0;
    let hi = this.ranges.length / 2 - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cp < this.ranges[mid * 2]!) hi = mid - 1;
      else if (cp > this.ranges[mid * 2 + 1]!) lo = mid + 1;
      else return true;
    }
    return false;
  }
}

function readAt(fd: number, offset: number, length: number): Buffer {
  const buf = Buffer.alloc(length);
  const n = readSync(fd, buf, 0, length, offset);
  if (n !== length) throw new Error(`font file truncated at ${offset}`);
  return buf;
}

/** Offset and length of the cmap table of the face whose table directory starts at `dirOffset`. */
function cmapLocation(fd: number, dirOffset: number): { offset: number; length: number } {
  const head = readAt(fd, dirOffset, 12);
  const numTables = head.readUInt16BE(4);
  const dir = readAt(fd, dirOffset + 12, numTables * 16);
  for (let i = 0; i < numTables; i++) {
    if (dir.toString('latin1', i * 16, i * 16 + 4) === 'cmap') {
      return { offset: dir.readUInt32BE(i * 16 + 8), length: dir.readUInt32BE(i * 16 + 12) };
    }
  }
  throw new Error('font has no cmap table');
}

/** Code point ranges that map to a non-zero glyph, from the best Unicode subtable. */
function parseCmap(cmap: Buffer): [number, number][] {
  const count = cmap.readUInt16BE(2);
  let best: { offset: number; rank: number } | null = null;
  for (let i = 0; i < count; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    const offset = cmap.readUInt32BE(8 + i * 8);
    const format = cmap.readUInt16BE(offset);
    const rank = format === 12 && (platform === 3 || platform === 0) ? 2 : format === 4 && ((platform === 3 && encoding === 1) || platform === 0) ? 1 : 0;
    if (rank > 0 && (!best || rank > best.rank)) best = { offset, rank };
  }
  if (!best) throw new Error('font has no Unicode cmap subtable');
  const at = best.offset;
  const ranges: [number, number][] = [];
  if (cmap.readUInt16BE(at) === 12) {
    const groups = cmap.readUInt32BE(at + 12);
    for (let g = 0; g < groups; g++) {
      const p = at + 16 + g * 12;
      if (cmap.readUInt32BE(p + 8) !== 0 || cmap.readUInt32BE(p) !== cmap.readUInt32BE(p + 4)) ranges.push([cmap.readUInt32BE(p), cmap.readUInt32BE(p + 4)]);
    }
    return ranges;
  }
  // Format 4: segments; a code point maps to glyph 0 (missing) unless the delta/glyph array says otherwise.
  const segX2 = cmap.readUInt16BE(at + 6);
  const ends = at + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  for (let s = 0; s < segX2 / 2; s++) {
    const end = cmap.readUInt16BE(ends + s * 2);
    const start = cmap.readUInt16BE(starts + s * 2);
    const delta = cmap.readInt16BE(deltas + s * 2);
    const ro = cmap.readUInt16BE(rangeOffsets + s * 2);
    for (let cp = start; cp <= end && cp !== 0xffff; cp++) {
      let glyph: number;
      if (ro === 0) glyph = (cp + delta) & 0xffff;
      else {
        const p = rangeOffsets + s * 2 + ro + (cp - start) * 2;
        glyph = p + 2 <= cmap.length ? cmap.readUInt16BE(p) : 0;
        if (glyph !== 0) glyph = (glyph + delta) & 0xffff;
      }
      if (glyph === 0) continue;
      const last = ranges.at(-1);
      if (last && last[1] === cp - 1) last[1] = cp;
      else ranges.push([cp, cp]);
    }
  }
  return ranges;
}

function intersect(a: [number, number][], b: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

const normalize = (ranges: [number, number][]): [number, number][] => {
  const sorted = [...ranges].sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const r of sorted) {
    const last = out.at(-1);
    if (last && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else out.push([r[0], r[1]]);
  }
  return out;
};

/** Reads the code point coverage of a font file (all faces of a collection must map a code point). */
export function readFontCoverage(path: string): CodePointCoverage {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const tag = readAt(fd, 0, 12);
    const faces: number[] = [];
    if (tag.toString('latin1', 0, 4) === 'ttcf') {
      const numFonts = tag.readUInt32BE(8);
      const offsets = readAt(fd, 12, numFonts * 4);
      for (let i = 0; i < numFonts; i++) faces.push(offsets.readUInt32BE(i * 4));
    } else {
      faces.push(0);
    }
    let coverage: [number, number][] | null = null;
    const seen = new Map<number, [number, number][]>();
    for (const face of faces) {
      const { offset, length } = cmapLocation(fd, face);
      if (offset + length > size) throw new Error('cmap table outside the font file');
      const ranges = seen.get(offset) ?? normalize(parseCmap(readAt(fd, offset, length)));
      seen.set(offset, ranges);
      coverage = coverage ? intersect(coverage, ranges) : ranges;
    }
    return new RangeCoverage(Uint32Array.from((coverage ?? []).flat()));
  } finally {
    closeSync(fd);
  }
}
