import * as lib from 'pdf-lib';
import { DecodeBudget, inflateBounded, unpredict } from './bounded-decode';
import { noteParsedValues } from './interned-values';
import { hasPdfMagic } from './pdf-magic';
import { DEFAULT_TOKEN_LIMITS, limitTokenBytes } from './safe-load';

/**
 * The page count a PDF declares, read the way a viewer opens a file — `startxref` → the newest
 * cross-reference section → trailer /Root → catalog /Pages → /Count — parsing only those few
 * objects (and, for files with object streams, the one stream that holds each of them), never the
 * page tree or the rest of the file. inspectPdf uses it to refuse an upload over the page limit
 * before the full parse (which costs time and memory in proportion to the file).
 *
 * It only ever serves a refusal: anything it cannot read plainly (damaged or unusual
 * cross-reference data, encryption, a budget reached, a parse error) gives null, and the full,
 * budgeted parse decides as before. It never throws.
 */

export interface DeclaredCountBudget {
  /** Bytes produced by expanding cross-reference and object streams here (a refusal must stay cheap). */
  maxDecodedBytes: number;
  /** Cross-reference sections followed through /Prev and /XRefStm. */
  maxSections: number;
  /**
   * Values parsed here in all, each number, name, string, reference, array and dictionary counting
   * one, and each number of an object stream's header read to find an object. Default
   * DEFAULT_MAX_DECLARED_COUNT_VALUES.
   */
  maxValues?: number;
}

/**
 * The trailers, catalog, root /Pages and object stream headers read here hold tens of values in an
 * ordinary file (a flat page tree's root one per page: the 1,500-page bomb's holds 1,501). Unbounded,
 * one of them could hold millions (`/Junk [0 0 0 …]` in a 20 MB catalog: 10 million values, 4 s and
 * 585 MB of heap) before the budgeted full parse (a million values, safe-load.ts) refuses the same
 * file in 0.4 s. A hundredth of that budget keeps the pre-check within about 1 MB and a few ms.
 */
export const DEFAULT_MAX_DECLARED_COUNT_VALUES = 10_000;

export const DEFAULT_DECLARED_COUNT_BUDGET: DeclaredCountBudget = { maxDecodedBytes: 8 * 1024 * 1024, maxSections: 64, maxValues: DEFAULT_MAX_DECLARED_COUNT_VALUES };

/** How much of the file's end is searched for `startxref` (readers use 1 KB; some writers pad). */
const TAIL_BYTES = 2048;
/** A classic cross-reference entry is exactly 20 bytes (ISO 32000-1, 7.5.4). */
const ENTRY_BYTES = 20;
const MAX_SUBSECTIONS = 100_000;

type Entry = { offset: number } | { stream: number; index: number } | 'free';

interface Section {
  /** The entry for an object number, or undefined when the section does not list it. */
  find(objectNumber: number): Entry | undefined;
  trailer: lib.PDFDict;
}

const N = (s: string) => lib.PDFName.of(s);
const latin1 = (bytes: Uint8Array, from: number, to: number) => Buffer.from(bytes.buffer, bytes.byteOffset + from, Math.max(0, Math.min(to, bytes.length) - from)).toString('latin1');
const isWhite = (c: number | undefined) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x0c || c === 0x00;
const intOf = (o: lib.PDFObject | undefined): number | null => (o instanceof lib.PDFNumber && Number.isSafeInteger(o.asNumber()) && o.asNumber() >= 0 ? o.asNumber() : null);

/** Thrown inside the reader for anything unreadable; turned into null at the entry point. */
class Unreadable extends Error {}
const unreadable = (why: string): never => {
  throw new Unreadable(why);
};

class Reader {
  private readonly context = lib.PDFContext.create();
  private readonly decode: DecodeBudget;
  private readonly sections = new Map<number, Section>();
  private readonly objectStreams = new Map<number, { data: Uint8Array; header: string; first: number; n: number }>();
  private startxref = -1;
  private values = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly budget: DeclaredCountBudget,
  ) {
    this.decode = new DecodeBudget(budget.maxDecodedBytes);
  }

  count(): number | null {
    const tail = latin1(this.bytes, Math.max(0, this.bytes.length - TAIL_BYTES), this.bytes.length);
    const at = tail.lastIndexOf('startxref');
    const m = at < 0 ? null : /^startxref\s+(\d{1,15})/.exec(tail.slice(at));
    if (!m) return unreadable('no startxref');
    this.startxref = Number(m[1]);
    const newest = this.section(this.startxref);
    if (newest.trailer.has(N('Encrypt'))) return null; // the full parse refuses it (PDF_ENCRYPTED)
    const root = newest.trailer.get(N('Root'));
    const catalog = this.resolve(root);
    if (!(catalog instanceof lib.PDFDict)) return unreadable('no catalog');
    const pages = this.resolve(catalog.get(N('Pages')));
    if (!(pages instanceof lib.PDFDict)) return unreadable('no page tree');
    return intOf(this.resolve(pages.get(N('Count'))));
  }

  /** Follows a reference (one level) through the cross-reference chain; a direct object is itself. */
  private resolve(o: lib.PDFObject | undefined): lib.PDFObject | undefined {
    if (!(o instanceof lib.PDFRef)) return o;
    const entry = this.lookup(o.objectNumber);
    if (entry === undefined || entry === 'free') return undefined;
    if ('offset' in entry) return this.objectAt(entry.offset, o.objectNumber);
    return this.inObjectStream(entry.stream, entry.index, o.objectNumber);
  }

  /** The entry of the newest section listing the object: newest first, each trailer's /XRefStm, then /Prev. */
  private lookup(objectNumber: number): Entry | undefined {
    let next: number | null = this.startxref;
    const seen = new Set<number>();
    while (next !== null) {
      if (seen.has(next) || seen.size >= this.budget.maxSections) return unreadable('cross-reference chain loops or is too long');
      seen.add(next);
      const section = this.section(next);
      const found = section.find(objectNumber);
      if (found !== undefined) return found;
      const hybrid = intOf(section.trailer.get(N('XRefStm')));
      if (hybrid !== null && !seen.has(hybrid)) {
        seen.add(hybrid);
        const inStream = this.section(hybrid).find(objectNumber);
        if (inStream !== undefined) return inStream;
      }
      next = intOf(section.trailer.get(N('Prev')));
    }
    return undefined;
  }

  private section(offset: number): Section {
    const known = this.sections.get(offset);
    if (known) return known;
    if (offset >= this.bytes.length) return unreadable('startxref points past the end');
    let at = offset;
    while (isWhite(this.bytes[at]) && at - offset < 16) at++; // some writers point at the line break before `xref`
    const section = latin1(this.bytes, at, at + 4) === 'xref' ? this.classicSection(at + 4) : this.streamSection(offset);
    this.sections.set(offset, section);
    return section;
  }

  /** A classic table: subsection headers are read, entries are jumped over (fixed 20 bytes) and read only when looked up. */
  private classicSection(from: number): Section {
    const subsections: { start: number; count: number; at: number }[] = [];
    let pos = from;
    for (;;) {
      while (isWhite(this.bytes[pos])) pos++;
      const head = latin1(this.bytes, pos, pos + 48);
      if (head.startsWith('trailer')) {
        pos += 'trailer'.length;
        break;
      }
      const m = /^(\d{1,10})[ \t]+(\d{1,10})[ \t]*(\r\n|\r|\n)/.exec(head);
      if (!m || subsections.length >= MAX_SUBSECTIONS) return unreadable('bad cross-reference subsection');
      const [start, count] = [Number(m[1]), Number(m[2])];
      const at = pos + m[0].length;
      subsections.push({ start, count, at });
      pos = at + count * ENTRY_BYTES;
      if (pos > this.bytes.length) return unreadable('cross-reference table runs past the end');
    }
    const trailer = this.parseObject(pos);
    if (!(trailer instanceof lib.PDFDict)) return unreadable('no trailer dictionary');
    const entryAt = (at: number): Entry => {
      const m = /^(\d{10}) (\d{5}) ([nf])(?: \r| \n|\r\n)$/.exec(latin1(this.bytes, at, at + ENTRY_BYTES));
      if (!m) return unreadable('cross-reference entries are not 20 bytes each');
      return m[3] === 'f' ? 'free' : { offset: Number(m[1]) };
    };
    return {
      trailer,
      find(objectNumber) {
        // Later subsections win over earlier ones listing the same number (as pdf-lib reads them).
        for (let i = subsections.length - 1; i >= 0; i--) {
          const s = subsections[i]!;
          if (objectNumber >= s.start && objectNumber < s.start + s.count) return entryAt(s.at + (objectNumber - s.start) * ENTRY_BYTES);
        }
        return undefined;
      },
    };
  }

  /** A cross-reference stream (PDF 1.5): its dictionary is the trailer. */
  private streamSection(offset: number): Section {
    const stream = this.objectAt(offset, null);
    if (!(stream instanceof lib.PDFRawStream) || stream.dict.get(N('Type')) !== N('XRef')) return unreadable('startxref points at no cross-reference');
    const dict = stream.dict;
    const widths = dict.get(N('W')) instanceof lib.PDFArray ? (dict.get(N('W')) as lib.PDFArray).asArray().map((x) => intOf(x)) : [];
    if (widths.length !== 3 || widths.some((w) => w === null || w > 8)) return unreadable('bad /W');
    const [w0, w1, w2] = widths as [number, number, number];
    const rowWidth = w0 + w1 + w2;
    const index = dict.get(N('Index'));
    const ranges: [number, number][] = [];
    if (index instanceof lib.PDFArray) {
      const xs = index.asArray().map((x) => intOf(x));
      for (let i = 0; i + 1 < xs.length; i += 2) ranges.push([xs[i] ?? NaN, xs[i + 1] ?? NaN]);
    } else ranges.push([0, intOf(dict.get(N('Size'))) ?? NaN]);
    if (ranges.some(([a, b]) => Number.isNaN(a) || Number.isNaN(b))) return unreadable('bad /Index');
    let data = this.streamData(stream);
    const parms = dict.get(N('DecodeParms'));
    if (parms instanceof lib.PDFDict) {
      const predictor = intOf(parms.get(N('Predictor'))) ?? 1;
      if (predictor > 1) data = unpredict(data, predictor, intOf(parms.get(N('Columns'))) ?? rowWidth) ?? unreadable('unknown predictor');
    }
    const field = (at: number, width: number, fallback: number) => {
      if (width === 0) return fallback;
      let v = 0;
      for (let i = 0; i < width; i++) v = v * 256 + (data[at + i] ?? unreadable('cross-reference stream is short'));
      return v;
    };
    return {
      trailer: dict,
      find(objectNumber) {
        let row = 0;
        for (const [start, n] of ranges) {
          if (objectNumber >= start && objectNumber < start + n) {
            const at = (row + objectNumber - start) * rowWidth;
            const type = field(at, w0, 1);
            const [a, b] = [field(at + w0, w1, 0), field(at + w0 + w1, w2, 0)];
            return type === 1 ? { offset: a } : type === 2 ? { stream: a, index: b } : 'free';
          }
          row += n;
        }
        return undefined;
      },
    };
  }

  /** The stream's bytes with its filters undone: FlateDecode only, within the budget. */
  private streamData(stream: lib.PDFRawStream): Uint8Array {
    const filter = stream.dict.get(N('Filter'));
    const filters = filter === undefined ? [] : filter instanceof lib.PDFArray ? filter.asArray() : [filter];
    let data: Uint8Array = stream.contents;
    for (const f of filters) {
      if (f !== N('FlateDecode')) return unreadable('unsupported filter');
      data = inflateBounded(data, this.decode, 'stream');
    }
    return data;
  }

  /** `N G obj <object>` at `offset`; with `objectNumber`, the header must name that object. */
  private objectAt(offset: number, objectNumber: number | null): lib.PDFObject {
    let pos = offset;
    while (isWhite(this.bytes[pos])) pos++;
    const m = /^(\d{1,10})\s+(\d{1,5})\s+obj/.exec(latin1(this.bytes, pos, pos + 40));
    if (!m || (objectNumber !== null && Number(m[1]) !== objectNumber)) return unreadable('the cross-reference entry points at another object');
    return this.parseObject(pos + m[0].length);
  }

  /** Counts `n` parsed values against the budget; past it the file is not read plainly (null). */
  private countValues(n: number): void {
    this.values += n;
    noteParsedValues(n);
    if (this.values > (this.budget.maxValues ?? DEFAULT_MAX_DECLARED_COUNT_VALUES)) unreadable('more values than the pre-check parses');
  }

  private parseObject(offset: number, bytes = this.bytes): lib.PDFObject {
    const parser = lib.PDFObjectParser.forBytes(bytes.subarray(offset), this.context, false);
    // A single huge token (a 19 MB name) is one value: its size is bounded too, before it is built.
    limitTokenBytes(parser, DEFAULT_TOKEN_LIMITS, (kind) => unreadable(`a ${kind} token longer than the pre-check reads`));
    // pdf-lib's arrays and dictionaries parse each element (each dictionary value) through this
    // method: counting here bounds them all, and an Unreadable stops the parse where it stands.
    const parse = parser.parseObject.bind(parser);
    parser.parseObject = () => {
      this.countValues(1);
      return parse();
    };
    return parser.parseObject();
  }

  private inObjectStream(streamNumber: number, index: number, objectNumber: number): lib.PDFObject {
    let known = this.objectStreams.get(streamNumber);
    if (!known) {
      const entry = this.lookup(streamNumber);
      if (entry === undefined || entry === 'free' || !('offset' in entry)) return unreadable('object stream not found');
      const stream = this.objectAt(entry.offset, streamNumber);
      if (!(stream instanceof lib.PDFRawStream)) return unreadable('object stream is not a stream');
      const [n, first] = [intOf(stream.dict.get(N('N'))), intOf(stream.dict.get(N('First')))];
      if (n === null || first === null) return unreadable('object stream without /N or /First');
      const data = this.streamData(stream);
      if (first > data.length) return unreadable('object stream shorter than /First');
      known = { data, header: latin1(data, 0, first).trim(), first, n };
      this.objectStreams.set(streamNumber, known);
    }
    if (index >= known.n) return unreadable('object not in its object stream');
    // The header is read up to the entry's pair only (its numbers count as values): a header of
    // millions of numbers is never split whole.
    this.countValues(2 * (index + 1));
    const numbers = known.header.split(/\s+/, 2 * (index + 1)).slice(2 * index).map(Number);
    // The entry's index names the pair; a header that disagrees is not read plainly.
    const pair = numbers.length === 2 ? ([numbers[0]!, known.first + numbers[1]!] as const) : undefined;
    if (!pair || pair[0] !== objectNumber || !Number.isSafeInteger(pair[1]) || pair[1] >= known.data.length) return unreadable('object not in its object stream');
    return this.parseObject(pair[1], known.data);
  }
}

/** Whether a file is a PDF at all is for the full parse to say; here a non-PDF just has no declared count. */
export function declaredPageCount(bytes: Uint8Array, budget: DeclaredCountBudget = DEFAULT_DECLARED_COUNT_BUDGET): number | null {
  if (!hasPdfMagic(bytes)) return null;
  try {
    return new Reader(bytes, budget).count();
  } catch {
    // Unreadable, a DocumentError of the decode budget, a parse error or a stack overflow on deep nesting.
    return null;
  }
}
