import * as base from 'pdf-lib';
import * as incremental from 'pdf-lib-incremental-save';
import { DocumentError } from '../errors';
import { DecodeBudget, inflateBounded, unpredict } from './bounded-decode';
import { parseHexStringFast, type ByteStreamInternals } from './hex-string-parse';
import { noteParsedValues } from './interned-values';
import { hasPdfMagic } from './pdf-magic';
import { JibberishBudget, skipJibberish } from './skip-jibberish';

/**
 * The only way the document engine loads a PDF. pdf-lib parses the file sequentially and expands
 * object and cross-reference streams with no size limit; this subclass of its parser counts the
 * objects, expands those streams itself within a byte budget (bounded-decode.ts) before pdf-lib
 * sees them, and records every object definition, cross-reference entry and trailer with its
 * file offset (the verifier compares revisions with them). Structure walks with visit sets
 * (pdf-structure.ts) run on the result before any pdf-lib walk.
 */

export interface ParseBudget {
  /** Indirect objects, including those inside object streams. */
  maxObjects: number;
  /** Bytes produced by expanding object and cross-reference streams, all together. */
  maxDecodedBytes: number;
  /**
   * Values parsed (every number, name, string, array and dictionary, direct or not), all together:
   * one indirect object may hold millions (`[0 0 0 …]` of 9 M numbers parsed for 5.6 s and used
   * 455 MB). Default DEFAULT_MAX_VALUES.
   */
  maxValues?: number;
  /**
   * Bytes in one token outside streams (in the file or in an expanded object stream). pdf-lib builds
   * names, numbers and literal strings one character at a time, ~36 bytes of garbage per byte: one
   * 19 MB name in a catalog exhausted a 512 MB worker. Default DEFAULT_TOKEN_LIMITS.
   */
  maxTokenBytes?: TokenLimits;
  /**
   * Cross-reference entries, of tables and streams, all together (each also counts as 1/8 of an object
   * against maxObjects). A stream's entries cost nothing to write (`/W [1 0 0]` rows of zeros compress
   * away): 20 streams of 200,000 entries in 7 KB took 1.5 s and 230 MB, and the verifier walks every
   * entry after a signature once per signature. Default DEFAULT_MAX_XREF_ENTRIES.
   */
  maxXrefEntries?: number;
}

export interface TokenLimits {
  /** A name's bytes after the `/` (the PDF limit is 127). */
  name: number;
  /** A number's bytes (sign, digits and point). */
  number: number;
  /** A literal string's bytes between its outer parentheses (pdf-lib's per-character loop: ~55 MB of garbage per MiB). */
  literalString: number;
  /** A hex string's bytes between `<` and `>` (read in one slice, ~1 byte per byte: a signature's /Contents is 10–100 KB). */
  hexString: number;
}

export const DEFAULT_MAX_VALUES = 1_000_000;
/** Twice the default object budget: a linearized or hybrid-reference file lists each object in two sections. */
export const DEFAULT_MAX_XREF_ENTRIES = 400_000;
/** Far above what writers produce (names ≤ 127 bytes, numbers ≤ ~20); strings cap what one value can cost. */
export const DEFAULT_TOKEN_LIMITS: TokenLimits = { name: 4096, number: 256, literalString: 1024 * 1024, hexString: 4 * 1024 * 1024 };
export const DEFAULT_PARSE_BUDGET: ParseBudget = {
  maxObjects: 200_000,
  maxDecodedBytes: 32 * 1024 * 1024,
  maxValues: DEFAULT_MAX_VALUES,
  maxTokenBytes: DEFAULT_TOKEN_LIMITS,
  maxXrefEntries: DEFAULT_MAX_XREF_ENTRIES,
};

/** One `N G obj … endobj` (or one object of an object stream) and where it starts in the file. */
export interface Definition {
  objectNumber: number;
  generation: number;
  /** Offset of the indirect object (for objects in an object stream: of that stream). */
  offset: number;
  /** Present for objects stored in an object stream. */
  inStream?: { streamNumber: number; index: number };
  object: base.PDFObject;
}

export interface XrefEntry {
  objectNumber: number;
  free: boolean;
  /** Type 1: byte offset. */
  offset?: number;
  /** Type 2: object stream number and index. */
  inStream?: { streamNumber: number; index: number };
}

export interface XrefSection {
  /** Offset of the `xref` keyword or of the cross-reference stream object. */
  offset: number;
  /** null when a stream's entries could not be decoded (unknown predictor). */
  entries: XrefEntry[] | null;
}

export interface ParseRecord {
  definitions: Definition[];
  /** Offsets of object streams and cross-reference streams (indirect objects pdf-lib does not keep). */
  containers: { objectNumber: number; offset: number }[];
  xrefSections: XrefSection[];
  trailers: { offset: number; root: base.PDFObject | undefined }[];
}

type Lib = typeof base;

/** What the subclass uses of pdf-lib's (TypeScript-private) parser internals. */
interface ParserInternals {
  bytes: { offset(): number };
  context: base.PDFContext & { pdfFileDetails?: { useObjectStreams: boolean } };
  shouldWaitForTick: () => boolean;
  parseDocument(): Promise<base.PDFContext>;
  parseIndirectObjectHeader(): base.PDFRef;
  skipWhitespaceAndComments(): void;
  parseObject(): base.PDFObject;
  matchIndirectObjectHeader(): boolean;
  matchKeyword(keyword: number[]): boolean;
  maybeParseCrossRefSection(): unknown;
  maybeParseTrailerDict(): void;
  tryToParseInvalidIndirectObject(): base.PDFRef;
  skipJibberish(): void;
}
type ParserCtor = new (bytes: Uint8Array, objectsPerTick?: number, throwOnInvalidObject?: boolean, capNumbers?: boolean) => ParserInternals;

const ENDOBJ = [...'endobj'].map((c) => c.charCodeAt(0));

type ObjectStreamParserCtor = new (stream: base.PDFRawStream, shouldWaitForTick?: () => boolean) => { parseObject(): base.PDFObject; parseIntoContext(): Promise<void> };

const byteTable = (chars: string, extra: number[] = []) => {
  const table = new Uint8Array(256);
  for (const c of [...[...chars].map((ch) => ch.charCodeAt(0)), ...extra]) table[c] = 1;
  return table;
};
// pdf-lib's tables (core/syntax): where its name and number loops stop.
const ENDS_NAME = byteTable('()<>[]{}/% ', [0x00, 0x09, 0x0a, 0x0c, 0x0d]);
const DIGIT = byteTable('0123456789');
const NUMERIC = byteTable('0123456789+-.');
const PERIOD = 0x2e;
const SLASH = 0x2f;
const LEFT_PAREN = 0x28;
const RIGHT_PAREN = 0x29;
const BACKSLASH = 0x5c;
const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;

/** The bytes [from, to) as latin1 (what pdf-lib's loops build one character at a time). */
function latin1(bytes: Uint8Array, from: number, to: number): string {
  let text = '';
  for (let at = from; at < to; at++) text += String.fromCharCode(bytes[at]!);
  return text;
}

/**
 * Measures the token at the stream's offset the way pdf-lib's loop would read it, looking at most one
 * byte past the limit, and calls `tooLong` (which throws) before anything is materialised. Names and
 * numbers within the limit are then read from the measured bytes (same value, offset, line and column
 * as pdf-lib's loop); undefined leaves a token to pdf-lib (its errors and warnings).
 */
class TokenGuard {
  constructor(
    private readonly stream: ByteStreamInternals,
    private readonly limits: TokenLimits,
    private readonly tooLong: TokenTooLong,
    private readonly lib: Lib,
  ) {}

  /** parseName: `/` then every byte up to whitespace or a delimiter (none of them a newline). */
  name(): base.PDFName | undefined {
    const stream = this.stream;
    const { bytes, length, idx } = stream;
    if (bytes[idx] !== SLASH) return undefined; // pdf-lib's assertion throws
    const limit = this.limits.name;
    const stop = Math.min(length, idx + 2 + limit);
    let at = idx + 1;
    while (at < stop && !ENDS_NAME[bytes[at]!]) at++;
    if (at - idx - 1 > limit) this.tooLong('name', limit);
    const name = this.lib.PDFName.of(latin1(bytes, idx + 1, at));
    stream.column += at - idx;
    stream.idx = at;
    return name;
  }

  /** parseRawNumber: numeric bytes up to and including a point, then digits; parseRawInt: digits. */
  number(integer: boolean): number | undefined {
    const stream = this.stream;
    const { bytes, length, idx } = stream;
    const limit = this.limits.number;
    const stop = Math.min(length, idx + 1 + limit);
    let at = idx;
    if (!integer) {
      while (at < stop && NUMERIC[bytes[at]!]) if (bytes[at++] === PERIOD) break;
    }
    while (at < stop && DIGIT[bytes[at]!]) at++;
    if (at - idx > limit) this.tooLong('number', limit);
    if (at === idx) return undefined;
    const value = Number(latin1(bytes, idx, at));
    if (!Number.isFinite(value) || value > Number.MAX_SAFE_INTEGER) return undefined; // pdf-lib's error or warning
    stream.column += at - idx;
    stream.idx = at;
    return value;
  }

  /** parseString: from `(` to the parenthesis that balances it, `\` escaping the next byte. */
  literalString(): void {
    const { bytes, length, idx } = this.stream;
    const limit = this.limits.literalString;
    const stop = idx + 2 + limit; // `(`, limit bytes, `)`
    if (stop >= length) return; // ends within the limit, balanced or not
    let depth = 0;
    let escaped = false;
    for (let at = idx; at < stop; at++) {
      const byte = bytes[at]!;
      if (!escaped) {
        if (byte === LEFT_PAREN) depth += 1;
        else if (byte === RIGHT_PAREN) depth -= 1;
      }
      escaped = byte === BACKSLASH ? !escaped : false;
      if (depth === 0) return;
    }
    this.tooLong('literalString', limit);
  }

  /** parseHexString: from `<` to the first `>`. */
  hexString(): void {
    const { bytes, length, idx } = this.stream;
    if (bytes[idx] !== LESS_THAN) return;
    const limit = this.limits.hexString;
    const end = bytes.indexOf(GREATER_THAN, idx + 1);
    if ((end < 0 || end > length ? length : end) - idx - 1 > limit) this.tooLong('hexString', limit);
  }
}

/** The token readers of pdf-lib's PDFObjectParser (and its subclasses) that limitTokenBytes wraps. */
interface TokenReaders {
  bytes: unknown;
  parseName(): base.PDFName;
  parseString(): base.PDFString;
  parseHexString(): base.PDFHexString;
  parseRawNumber(): number;
  parseRawInt(): number;
}

export type TokenTooLong = (kind: keyof TokenLimits, limit: number) => never;

/**
 * Makes one pdf-lib object parser (PDFObjectParser or a subclass) measure each name, number and
 * string before reading it and call `tooLong` (which must throw) past `limits`; names and numbers are
 * then read from the measured bytes, hex strings in one slice (hex-string-parse.ts). For any parser
 * of untrusted bytes, not only loadPdf's (declared-page-count.ts parses the catalog with a plain one).
 */
export function limitTokenBytes(parser: object, limits: TokenLimits, tooLong: TokenTooLong, lib: Lib = base): void {
  const p = parser as TokenReaders;
  const stream = p.bytes as ByteStreamInternals;
  const guard = new TokenGuard(stream, limits, tooLong, lib);
  const parseName = p.parseName.bind(p);
  const parseString = p.parseString.bind(p);
  const parseRawNumber = p.parseRawNumber.bind(p);
  const parseRawInt = p.parseRawInt.bind(p);
  // Every name is interned for good (dictionary keys too, which pdf-lib reads without parseObject).
  p.parseName = () => {
    noteParsedValues(1);
    return guard.name() ?? parseName();
  };
  p.parseString = () => {
    guard.literalString();
    return parseString();
  };
  p.parseRawNumber = () => guard.number(false) ?? parseRawNumber();
  p.parseRawInt = () => guard.number(true) ?? parseRawInt();
  p.parseHexString = () => {
    guard.hexString();
    return parseHexStringFast(stream, lib);
  };
}

const TOKEN_WORDS: Record<keyof TokenLimits, string> = { name: 'a name', number: 'a number', literalString: 'a string', hexString: 'a hex string' };

function budgetedParser(lib: Lib) {
  const Base = lib.PDFParser as unknown as ParserCtor;
  const name = (s: string) => lib.PDFName.of(s);

  /** pdf-lib's object-stream parser, counting every value it parses and measuring every token against the file's budget. */
  const ObjectStreamBase = lib.PDFObjectStreamParser as unknown as ObjectStreamParserCtor;
  class CountingObjectStreamParser extends ObjectStreamBase {
    constructor(
      stream: base.PDFRawStream,
      shouldWaitForTick: () => boolean,
      private readonly onValue: () => void,
      limits: TokenLimits,
      tooLong: TokenTooLong,
    ) {
      super(stream, shouldWaitForTick);
      limitTokenBytes(this, limits, tooLong, lib);
    }

    override parseObject(): base.PDFObject {
      this.onValue();
      return super.parseObject();
    }
  }

  return class BudgetedParser extends Base {
    readonly record: ParseRecord = { definitions: [], containers: [], xrefSections: [], trailers: [] };
    private objects = 0;
    private values = 0;
    private xrefEntries = 0;
    private readonly decode: DecodeBudget;
    private readonly tokenLimits: TokenLimits;
    private readonly jibberish: JibberishBudget;
    /** Budget errors must survive pdf-lib's "try to parse it as an invalid object" fallback. */
    private fatal: DocumentError | null = null;

    constructor(
      bytes: Uint8Array,
      private readonly budget: ParseBudget,
    ) {
      super(bytes, Infinity, true, false);
      this.decode = new DecodeBudget(budget.maxDecodedBytes);
      this.tokenLimits = budget.maxTokenBytes ?? DEFAULT_TOKEN_LIMITS;
      this.jibberish = JibberishBudget.forFile(bytes.length);
      // Names, numbers and strings are measured before pdf-lib reads them (hex strings in one slice).
      limitTokenBytes(this, this.tokenLimits, this.tokenTooLong, lib);
    }

    private readonly tokenTooLong: TokenTooLong = (kind, limit) => {
      this.fatal = new DocumentError('PDF_TOO_COMPLEX', `the PDF has ${TOKEN_WORDS[kind]} longer than ${limit} bytes`);
      throw this.fatal;
    };

    private count(n: number): void {
      this.objects += n;
      if (this.objects > this.budget.maxObjects) {
        this.fatal = new DocumentError('PDF_TOO_COMPLEX', `the PDF has more than ${this.budget.maxObjects} objects`);
        throw this.fatal;
      }
    }

    /**
     * Counts `n` entries of a cross-reference section (a table, or a stream before its data is decoded) against
     * maxXrefEntries, and as n/8 objects: they cost memory like objects, and a check per later signature.
     */
    private countXrefEntries(n: number, section: string): void {
      this.xrefEntries += n;
      const max = this.budget.maxXrefEntries ?? DEFAULT_MAX_XREF_ENTRIES;
      if (this.xrefEntries > max) {
        this.fatal = new DocumentError('PDF_TOO_COMPLEX', `${section} brings the PDF's cross-reference entries past ${max}`);
        throw this.fatal;
      }
      this.count(Math.ceil(n / 8));
    }

    /** Counts one parsed value (pdf-lib's arrays and dictionaries parse their elements through parseObject). */
    private readonly countValue = (): void => {
      noteParsedValues(1);
      const max = this.budget.maxValues ?? DEFAULT_MAX_VALUES;
      if (++this.values > max) {
        this.fatal = new DocumentError('PDF_TOO_COMPLEX', `the PDF has more than ${max} values`);
        throw this.fatal;
      }
    };

    override parseObject(): base.PDFObject {
      this.countValue();
      return super.parseObject();
    }

    private fail(err: unknown): never {
      if (err instanceof DocumentError) this.fatal ??= err;
      throw err;
    }

    /** Replaces pdf-lib's: same syntax, but streams pdf-lib would expand are expanded here, within budget. */
    async parseIndirectObject(): Promise<base.PDFRef> {
      const offset = this.bytes.offset();
      const ref = this.parseIndirectObjectHeader();
      this.skipWhitespaceAndComments();
      const object = this.parseObject();
      this.skipWhitespaceAndComments();
      this.matchKeyword(ENDOBJ);
      this.count(1);
      const type = object instanceof lib.PDFRawStream ? object.dict.lookup(name('Type')) : undefined;
      try {
        if (type === name('ObjStm')) await this.expandObjectStream(object as base.PDFRawStream, ref, offset);
        else if (type === name('XRef')) this.readXrefStream(object as base.PDFRawStream, ref, offset);
        else {
          this.context.assign(ref, object);
          this.record.definitions.push({ objectNumber: ref.objectNumber, generation: ref.generationNumber, offset, object });
        }
      } catch (err) {
        this.fail(err);
      }
      return ref;
    }

    /** A lookahead for an object header in garbage between objects: an over-long number there only means "no header". */
    override matchIndirectObjectHeader(): boolean {
      const fatal = this.fatal;
      try {
        return super.matchIndirectObjectHeader();
      } finally {
        this.fatal = fatal;
      }
    }

    /** pdf-lib's skip over garbage between objects, without its n² lookaheads (skip-jibberish.ts). */
    override skipJibberish(): void {
      const stream = this.bytes as unknown as ByteStreamInternals;
      try {
        stream.idx = skipJibberish(stream.bytes.subarray(0, stream.length), stream.idx, this.tokenLimits.number, this.jibberish);
      } catch (err) {
        this.fail(err);
      }
    }

    override tryToParseInvalidIndirectObject(): base.PDFRef {
      if (this.fatal) throw this.fatal;
      return super.tryToParseInvalidIndirectObject();
    }

    override maybeParseCrossRefSection(): unknown {
      const offset = this.bytes.offset();
      const section = super.maybeParseCrossRefSection() as { subsections?: { ref: base.PDFRef; offset: number; deleted: boolean }[][] } | undefined;
      if (section) {
        const entries = (section.subsections ?? []).flat().map((e) => ({ objectNumber: e.ref.objectNumber, free: e.deleted, offset: e.deleted ? undefined : e.offset }));
        this.countXrefEntries(entries.length, `the cross-reference table at ${offset}`);
        noteParsedValues(entries.length); // pdf-lib interns a reference for each
        this.record.xrefSections.push({ offset, entries });
      }
      return section;
    }

    override maybeParseTrailerDict(): void {
      const offset = this.bytes.offset();
      const before = this.context.trailerInfo;
      super.maybeParseTrailerDict();
      if (this.context.trailerInfo !== before) this.record.trailers.push({ offset, root: this.context.trailerInfo.Root });
    }

    private decodeStream(stream: base.PDFRawStream, what: string): Uint8Array {
      const filter = stream.dict.lookup(name('Filter'));
      const filters = filter === undefined ? [] : filter instanceof lib.PDFArray ? filter.asArray().map((f) => stream.dict.context.lookup(f)) : [filter];
      let data: Uint8Array = stream.contents;
      for (const f of filters) {
        if (f !== name('FlateDecode')) throw new DocumentError('PDF_UNSUPPORTED_STRUCTURE', `${what} uses the unsupported filter ${String(f)}`);
        data = inflateBounded(data, this.decode, what);
      }
      if (filters.length === 0) this.decode.take(data.length);
      return data;
    }

    private async expandObjectStream(stream: base.PDFRawStream, ref: base.PDFRef, offset: number): Promise<void> {
      const what = `object stream ${ref.objectNumber}`;
      const n = stream.dict.lookup(name('N'));
      const first = stream.dict.lookup(name('First'));
      if (!(n instanceof lib.PDFNumber) || !(first instanceof lib.PDFNumber) || !Number.isInteger(n.asNumber()) || n.asNumber() < 0) {
        throw new DocumentError('PDF_CORRUPT', `${what} has no valid /N or /First`);
      }
      this.count(n.asNumber());
      const decoded = this.decodeStream(stream, what);
      if (n.asNumber() * 4 > decoded.length) throw new DocumentError('PDF_CORRUPT', `${what} claims ${n.asNumber()} objects in ${decoded.length} bytes`);
      const plainDict = stream.dict.clone();
      plainDict.delete(name('Filter'));
      plainDict.delete(name('DecodeParms'));
      const plain = lib.PDFRawStream.of(plainDict, decoded);
      this.record.containers.push({ objectNumber: ref.objectNumber, offset });
      const context = this.context;
      const assign = context.assign;
      let index = 0;
      context.assign = (r: base.PDFRef, object: base.PDFObject) => {
        this.record.definitions.push({ objectNumber: r.objectNumber, generation: r.generationNumber, offset, inStream: { streamNumber: ref.objectNumber, index: index++ }, object });
        assign.call(context, r, object);
      };
      try {
        await new CountingObjectStreamParser(plain, this.shouldWaitForTick, this.countValue, this.tokenLimits, this.tokenTooLong).parseIntoContext();
      } finally {
        context.assign = assign;
      }
    }

    /** What pdf-lib does with a cross-reference stream (trailer info), plus its entries within budget. */
    private readXrefStream(stream: base.PDFRawStream, ref: base.PDFRef, offset: number): void {
      const dict = stream.dict;
      this.context.trailerInfo = { Root: dict.get(name('Root')), Encrypt: dict.get(name('Encrypt')), Info: dict.get(name('Info')), ID: dict.get(name('ID')) };
      if (this.context.pdfFileDetails) this.context.pdfFileDetails.useObjectStreams = true;
      this.record.trailers.push({ offset, root: this.context.trailerInfo.Root });
      this.record.containers.push({ objectNumber: ref.objectNumber, offset });
      this.record.xrefSections.push({ offset, entries: this.xrefStreamEntries(stream, ref) });
    }

    private xrefStreamEntries(stream: base.PDFRawStream, ref: base.PDFRef): XrefEntry[] | null {
      const dict = stream.dict;
      const num = (o: base.PDFObject | undefined) => (o instanceof lib.PDFNumber && Number.isInteger(o.asNumber()) && o.asNumber() >= 0 ? o.asNumber() : NaN);
      const w = dict.lookup(name('W'));
      const widths = w instanceof lib.PDFArray ? w.asArray().map((x) => num(dict.context.lookup(x))) : [];
      if (widths.length !== 3 || widths.some((x) => Number.isNaN(x) || x > 8)) throw new DocumentError('PDF_CORRUPT', `cross-reference stream ${ref.objectNumber} has an invalid /W`);
      const index = dict.lookup(name('Index'));
      const ranges: [number, number][] = [];
      if (index instanceof lib.PDFArray) {
        const xs = index.asArray().map((x) => num(dict.context.lookup(x)));
        for (let i = 0; i + 1 < xs.length; i += 2) ranges.push([xs[i]!, xs[i + 1]!]);
      } else ranges.push([0, num(dict.lookup(name('Size')))]);
      if (ranges.some(([a, b]) => Number.isNaN(a) || Number.isNaN(b))) throw new DocumentError('PDF_CORRUPT', `cross-reference stream ${ref.objectNumber} has an invalid /Index or /Size`);
      const rowWidth = widths[0]! + widths[1]! + widths[2]!;
      // An entry needs a byte at least: rows of no bytes would list any number of entries in no data.
      if (rowWidth === 0) throw new DocumentError('PDF_CORRUPT', `cross-reference stream ${ref.objectNumber} has /W [0 0 0]`);
      const total = ranges.reduce((s, [, n]) => s + n, 0);
      this.countXrefEntries(total, `cross-reference stream ${ref.objectNumber}`);
      let data = this.decodeStream(stream, `cross-reference stream ${ref.objectNumber}`);
      const parms = dict.lookup(name('DecodeParms'));
      if (parms instanceof lib.PDFDict) {
        const predictor = num(parms.lookup(name('Predictor')));
        const columns = num(parms.lookup(name('Columns')));
        if (!Number.isNaN(predictor) && predictor > 1) {
          const undone = unpredict(data, predictor, Number.isNaN(columns) ? rowWidth : columns);
          if (!undone) return null;
          data = undone;
        }
      }
      if (total * rowWidth > data.length) throw new DocumentError('PDF_CORRUPT', `cross-reference stream ${ref.objectNumber} is shorter than its /Index says`);
      const field = (at: number, width: number, fallback: number) => {
        if (width === 0) return fallback;
        let v = 0;
        for (let i = 0; i < width; i++) v = v * 256 + data[at + i]!;
        return v;
      };
      const entries: XrefEntry[] = [];
      let at = 0;
      for (const [start, n] of ranges) {
        for (let i = 0; i < n; i++, at += rowWidth) {
          const type = field(at, widths[0]!, 1);
          const a = field(at + widths[0]!, widths[1]!, 0);
          const b = field(at + widths[0]! + widths[1]!, widths[2]!, 0);
          const objectNumber = start + i;
          if (type === 0) entries.push({ objectNumber, free: true });
          else if (type === 1) entries.push({ objectNumber, free: false, offset: a });
          else if (type === 2) entries.push({ objectNumber, free: false, inStream: { streamNumber: a, index: b } });
        }
      }
      return entries;
    }
  };
}

const parsers = new Map<Lib, ReturnType<typeof budgetedParser>>();

export interface LoadedPdf<D> {
  doc: D;
  record: ParseRecord;
}

async function parseWith(lib: Lib, bytes: Uint8Array, budget: ParseBudget): Promise<{ context: base.PDFContext; record: ParseRecord }> {
  if (!hasPdfMagic(bytes)) throw new DocumentError('NOT_A_PDF', 'the file is not a PDF (missing %PDF- header)');
  let Parser = parsers.get(lib);
  if (!Parser) parsers.set(lib, (Parser = budgetedParser(lib)));
  const parser = new Parser(bytes, budget);
  let context: base.PDFContext;
  try {
    context = await parser.parseDocument();
  } catch (err) {
    if (err instanceof DocumentError) throw err;
    if (looksEncrypted(bytes)) throw new DocumentError('PDF_ENCRYPTED', 'encrypted or password-protected PDFs are not accepted');
    throw new DocumentError('PDF_CORRUPT', `the PDF cannot be parsed: ${(err as Error).message}`, { cause: err });
  }
  // A complete file ends each revision with a trailer (or a cross-reference stream): none means truncated or damaged.
  if (parser.record.trailers.length === 0) throw new DocumentError('PDF_CORRUPT', 'the PDF has no trailer: it is truncated or damaged');
  return { context, record: parser.record };
}

function looksEncrypted(bytes: Uint8Array): boolean {
  return /\/Encrypt\s*(?:\d+\s+\d+\s+R|<<)/.test(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1'));
}

type DocCtor<D> = new (context: unknown, ignoreEncryption: boolean, updateMetadata: boolean) => D;

function finish<D extends { isEncrypted: boolean }>(Doc: DocCtor<D>, context: base.PDFContext, record: ParseRecord): LoadedPdf<D> {
  let doc: D;
  try {
    doc = new Doc(context, true, false);
  } catch (err) {
    throw new DocumentError('PDF_CORRUPT', `the PDF has no usable catalog: ${(err as Error).message}`, { cause: err });
  }
  if (doc.isEncrypted) throw new DocumentError('PDF_ENCRYPTED', 'encrypted or password-protected PDFs are not accepted');
  return { doc, record };
}

/** Loads with pdf-lib within `budget`; throws DocumentError (NOT_A_PDF, PDF_CORRUPT, PDF_ENCRYPTED, PDF_TOO_COMPLEX…). */
export async function loadPdf(bytes: Uint8Array, budget: ParseBudget = DEFAULT_PARSE_BUDGET): Promise<LoadedPdf<base.PDFDocument>> {
  const { context, record } = await parseWith(base, bytes, budget);
  return finish(base.PDFDocument as unknown as DocCtor<base.PDFDocument>, context, record);
}

/** Same, with the incremental-save fork of pdf-lib (for appending a signature). */
export async function loadPdfForUpdate(bytes: Uint8Array, budget: ParseBudget = DEFAULT_PARSE_BUDGET): Promise<LoadedPdf<incremental.PDFDocument>> {
  const { context, record } = await parseWith(incremental as unknown as Lib, bytes, budget);
  return finish(incremental.PDFDocument as unknown as DocCtor<incremental.PDFDocument>, context, record);
}
