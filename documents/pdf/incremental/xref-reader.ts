import { DEFAULT_PARSE_BUDGET, type ParseBudget } from '../safe-load';
import { Lexer, Unsupported, type PdfValue } from './pdf-syntax';

/**
 * Reads a PDF the way a viewer does, from the end: startxref → classic cross-reference tables and
 * trailers (following /Prev), then only the objects asked for, at the offsets the table gives.
 * Supports exactly what the platform writes after prepareForSigning and its own incremental
 * updates: classic tables, no cross-reference streams (also no hybrid /XRefStm), no encryption.
 * Anything else throws Unsupported and the caller takes the general path. Bounded: the number of
 * table entries (ParseBudget.maxObjects), the /Prev chain (no loops), each object parsed once.
 */

export interface XrefLocation {
  offset: number;
  gen: number;
}

/** /Prev links followed at most. */
const MAX_REVISIONS = 1000;
const STARTXREF = Buffer.from('startxref', 'latin1');

export class XrefReader {
  /** Newest trailer dictionary. */
  readonly trailer: Map<string, PdfValue>;
  /** Offset of the newest cross-reference table (the /Prev of an appended update). */
  readonly startxref: number;
  /** The object number an appended object may take first (max of /Size and every entry + 1). */
  readonly nextObjectNumber: number;
  private readonly table = new Map<number, XrefLocation | null>();
  private readonly objects = new Map<number, PdfValue>();

  constructor(
    readonly bytes: Uint8Array,
    budget: ParseBudget = DEFAULT_PARSE_BUDGET,
  ) {
    this.startxref = findStartxref(bytes);
    let trailer: Map<string, PdfValue> | null = null;
    let size = 0;
    let entries = 0;
    const seen = new Set<number>();
    for (let at: number | null = this.startxref; at !== null; ) {
      if (seen.has(at) || seen.size >= MAX_REVISIONS) throw new Unsupported('cross-reference /Prev chain loops or is too long');
      seen.add(at);
      const lx: Lexer = new Lexer(bytes, at);
      lx.expectWord('xref');
      for (;;) {
        const save = lx.pos;
        const w = lx.word();
        if (w === 'trailer') break;
        lx.pos = save;
        const first = lx.uint();
        const count = lx.uint();
        entries += count;
        if (entries > budget.maxObjects) throw new Unsupported('too many cross-reference entries');
        for (let i = 0; i < count; i++) {
          const offset = lx.uint();
          const gen = lx.uint();
          const kind = lx.word();
          if (kind !== 'n' && kind !== 'f') throw new Unsupported('bad cross-reference entry');
          const n = first + i;
          if (!this.table.has(n)) this.table.set(n, kind === 'n' && n !== 0 ? { offset, gen } : null);
          size = Math.max(size, n + 1);
        }
      }
      const dict: PdfValue = lx.value();
      if (dict.t !== 'dict') throw new Unsupported('trailer is not a dictionary');
      if (dict.entries.has('XRefStm') || dict.entries.has('Encrypt')) throw new Unsupported('hybrid or encrypted file');
      trailer ??= dict.entries;
      const declared = dict.entries.get('Size');
      if (declared?.t === 'num' && Number.isInteger(declared.v)) size = Math.max(size, declared.v);
      const prev: PdfValue | undefined = dict.entries.get('Prev');
      if (prev === undefined) at = null;
      else if (prev.t === 'num' && Number.isInteger(prev.v) && prev.v >= 0 && prev.v < bytes.length) at = prev.v;
      else throw new Unsupported('bad /Prev');
    }
    this.trailer = trailer!;
    this.nextObjectNumber = size;
  }

  /** The object `num` (parsed once), checked to be the object the table says; undefined if free or missing. */
  object(num: number): PdfValue | undefined {
    const cached = this.objects.get(num);
    if (cached) return cached;
    const loc = this.table.get(num);
    if (!loc) return undefined;
    if (loc.offset >= this.bytes.length) throw new Unsupported('cross-reference offset past the end');
    const lx = new Lexer(this.bytes, loc.offset);
    if (lx.uint() !== num || lx.uint() !== loc.gen) throw new Unsupported(`object ${num} is not where the table says`);
    lx.expectWord('obj');
    const value = lx.value();
    const after = lx.word();
    if (after !== 'endobj' && after !== 'stream') throw new Unsupported(`object ${num} is not terminated`);
    this.objects.set(num, value);
    return value;
  }

  generation(num: number): number {
    return this.table.get(num)?.gen ?? 0;
  }

  /** Follows a reference (one level); direct values are returned as they are. */
  resolve(v: PdfValue | undefined): PdfValue | undefined {
    return v?.t === 'ref' ? this.object(v.num) : v;
  }
}

function findStartxref(bytes: Uint8Array): number {
  const tailStart = Math.max(0, bytes.length - 1024);
  const tail = Buffer.from(bytes.buffer, bytes.byteOffset + tailStart, bytes.length - tailStart);
  const at = tail.lastIndexOf(STARTXREF);
  if (at < 0) throw new Unsupported('no startxref');
  const lx = new Lexer(bytes, tailStart + at + STARTXREF.length);
  const offset = lx.uint();
  let p = lx.pos;
  while (p < bytes.length && (bytes[p] === 10 || bytes[p] === 13 || bytes[p] === 32 || bytes[p] === 9)) p++;
  if (!Buffer.from(bytes.buffer, bytes.byteOffset + p, Math.min(5, bytes.length - p)).toString('latin1').startsWith('%%EOF')) {
    throw new Unsupported('startxref is not followed by %%EOF');
  }
  if (offset >= bytes.length) throw new Unsupported('startxref past the end');
  return offset;
}
