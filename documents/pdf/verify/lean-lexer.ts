import { slotOf } from '../byte-slots';
import { Unsupported, type PdfValue } from '../incremental/pdf-syntax';
import { DEFAULT_MAX_VALUES } from '../safe-load';

/**
 * A tokenizer for the lean verifier, producing the same PdfValue shapes (and the same raw text)
 * as pdf-syntax.ts's Lexer, tuned for reading a whole file: short tokens are decoded without a
 * Buffer call, numbers without regular expressions, and the file's direct values are counted while
 * they are read. It is stricter than that Lexer where pdf-lib could read the bytes differently:
 * names with # escapes (pdf-lib decodes only upper-case hex) and references with a generation
 * other than 0 throw Unsupported; so does a file past the general path's values budget
 * (DEFAULT_MAX_VALUES), which then refuses it: 8 MB of `()` were 4 million values read in 2.4 s
 * (225 MB), and answered as readable where the general path refuses the file.
 */

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
/** Ends a bare token: whitespace or a delimiter. */
const STOP = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) STOP[c] = 1;
for (const c of '()<>[]{}/%') STOP[c.charCodeAt(0)] = 1;

const MAX_NESTING = 64;
/** Tokens up to this length are interned in a fixed table (a slot holds the last token hashed to it). */
const INTERNED_LENGTH = 16;
const INTERNED_SLOTS = 4096;
const interned: (string | undefined)[] = new Array<string | undefined>(INTERNED_SLOTS).fill(undefined);
/** Hex strings longer than this get their raw text when it is first read. */
const LAZY_TEXT = 256;

type NameValue = PdfValue & { t: 'name' };
type NumValue = PdfValue & { t: 'num' };
type RefValue = PdfValue & { t: 'ref' };
/**
 * Name and number tokens are immutable values: one object per distinct token, kept in
 * fixed tables like the interned text (a slot holds the last token hashed to it, checked byte for
 * byte), and one reference object per object number below REF_TABLE. Readers never change values.
 */
const internedNames: (NameValue | undefined)[] = new Array<NameValue | undefined>(INTERNED_SLOTS).fill(undefined);
const internedNumbers: (NumValue | undefined)[] = new Array<NumValue | undefined>(INTERNED_SLOTS).fill(undefined);
const REF_TABLE = 1 << 16;
/** Names up to this length (with the slash) are interned: resource names like /Helvetica-7098480789 repeat. */
const INTERNED_NAME_LENGTH = 48;
const refs: (RefValue | undefined)[] = new Array<RefValue | undefined>(REF_TABLE).fill(undefined);

/** The bytes [from, to) are exactly the latin1 string `s`. */
function sameText(b: Uint8Array, from: number, to: number, s: string): boolean {
  if (s.length !== to - from) return false;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) !== b[from + i]) return false;
  return true;
}

const hashOf = (b: Uint8Array, from: number, to: number): number => slotOf(b, from, to, INTERNED_SLOTS);

export class LeanLexer {
  private readonly buf: Buffer;
  /** Direct values read so far. */
  values = 0;

  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
  ) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Counts one value (or dictionary key); Unsupported past the budget. */
  private countValue(): void {
    if (++this.values > DEFAULT_MAX_VALUES) throw new Unsupported(`more than ${DEFAULT_MAX_VALUES} values`);
  }

  text(from: number, to: number): string {
    const length = to - from;
    if (length > INTERNED_LENGTH) return this.buf.toString('latin1', from, to);
    // Short tokens (names, keys, numbers) repeat across a file and across files: interned by their bytes.
    const b = this.bytes;
    const slot = hashOf(b, from, to);
    const known = interned[slot];
    if (known !== undefined && sameText(b, from, to, known)) return known;
    let s = '';
    for (let i = from; i < to; i++) s += String.fromCharCode(b[i]!);
    interned[slot] = s;
    return s;
  }

  skipWs(): void {
    const b = this.bytes;
    const n = b.length;
    let p = this.pos;
    while (p < n) {
      const c = b[p]!;
      if (WS[c]) p++;
      else if (c === 0x25) {
        while (p < n && b[p] !== 10 && b[p] !== 13) p++;
      } else break;
    }
    this.pos = p;
  }

  /** Where the name whose text (after the slash) starts at `from` ends; throws on # escapes. */
  private nameEnd(from: number): number {
    const b = this.bytes;
    let p = from;
    while (p < b.length && !STOP[b[p]!]) {
      if (b[p] === 0x23) throw new Unsupported('name with # escapes');
      p++;
    }
    return p;
  }

  /** A bare token at pos ('' at a delimiter or the end). */
  word(): string {
    this.skipWs();
    const start = this.pos;
    const b = this.bytes;
    while (this.pos < b.length && !STOP[b[this.pos]!]) this.pos++;
    return this.text(start, this.pos);
  }

  expectWord(w: string): void {
    if (this.word() !== w) throw new Unsupported(`expected ${w}`);
  }

  /** True (and consumed) if the bytes at pos, after whitespace, are exactly the token `w` (latin1). */
  keyword(w: string): boolean {
    this.skipWs();
    const b = this.bytes;
    const at = this.pos;
    for (let i = 0; i < w.length; i++) if (b[at + i] !== w.charCodeAt(i)) return false;
    const after = at + w.length;
    if (after < b.length && !STOP[b[after]!]) return false;
    this.pos = after;
    return true;
  }

  /** keyword(w) or Unsupported. */
  expectKeyword(w: string): void {
    if (!this.keyword(w)) throw new Unsupported(`expected ${w}`);
  }

  /** A non-negative integer token of at most 10 digits. */
  uint(): number {
    this.skipWs();
    const b = this.bytes;
    const start = this.pos;
    let v = 0;
    while (this.pos < b.length && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x39) v = v * 10 + b[this.pos++]! - 0x30;
    const digits = this.pos - start;
    if (digits === 0 || digits > 10 || (this.pos < b.length && !STOP[b[this.pos]!])) throw new Unsupported('expected an integer');
    return v;
  }

  value(depth = 0): PdfValue {
    if (depth > MAX_NESTING) throw new Unsupported('nested too deeply');
    this.skipWs();
    const b = this.bytes;
    const n = b.length;
    if (this.pos >= n) throw new Unsupported('unexpected end');
    const c = b[this.pos]!;
    this.countValue();
    if (c === 0x2f) {
      const start = this.pos;
      const p = (this.pos = this.nameEnd(start + 1));
      if (p - start > INTERNED_NAME_LENGTH) {
        const raw = this.text(start, p);
        return { t: 'name', raw, v: raw.slice(1) };
      }
      const slot = hashOf(b, start, p);
      const known = internedNames[slot];
      if (known !== undefined && sameText(b, start, p, known.raw)) return known;
      const raw = this.text(start, p);
      return (internedNames[slot] = { t: 'name', raw, v: raw.slice(1) });
    }
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const entries = new Map<string, PdfValue>();
      for (;;) {
        this.skipWs();
        if (b[this.pos] === 0x3e && b[this.pos + 1] === 0x3e) {
          this.pos += 2;
          return { t: 'dict', entries };
        }
        if (b[this.pos] !== 0x2f) throw new Unsupported('dictionary key is not a name');
        const keyStart = this.pos + 1;
        const p = (this.pos = this.nameEnd(keyStart));
        this.countValue();
        const key = this.text(keyStart, p);
        entries.set(key, this.value(depth + 1));
      }
    }
    if (c === 0x3c) {
      const start = this.pos;
      const close = this.buf.indexOf(0x3e, this.pos);
      if (close < 0) throw new Unsupported('unterminated hex string');
      this.pos = close + 1;
      if (this.pos - start <= LAZY_TEXT) return { t: 'str', raw: this.text(start, this.pos), hex: true };
      // Long hex strings (signature values) are only ever compared, rarely: their text is made on demand.
      let raw: string | undefined;
      const buf = this.buf;
      return {
        t: 'str',
        hex: true,
        get raw() {
          return (raw ??= buf.toString('latin1', start, close + 1));
        },
      };
    }
    if (c === 0x28) {
      const start = this.pos++;
      let open = 1;
      while (open > 0) {
        if (this.pos >= n) throw new Unsupported('unterminated string');
        const x = b[this.pos++]!;
        if (x === 0x5c) this.pos++;
        else if (x === 0x28) open++;
        else if (x === 0x29) open--;
      }
      if (this.pos > n) throw new Unsupported('unterminated string');
      return { t: 'str', raw: this.text(start, this.pos), hex: false };
    }
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      for (;;) {
        this.skipWs();
        if (b[this.pos] === 0x5d) break;
        if (this.pos >= n) throw new Unsupported('unterminated array');
        items.push(this.value(depth + 1));
      }
      this.pos++;
      return { t: 'arr', items };
    }
    const start = this.pos;
    let end = start;
    while (end < n && !STOP[b[end]!]) end++;
    this.pos = end;
    if (end === start) throw new Unsupported(`unexpected byte ${c}`);
    // Numbers: [+-]? (digits [. digits?] | . digits) — pdf-syntax's NUMBER.
    let p = start;
    if (b[p] === 0x2b || b[p] === 0x2d) p++;
    let intDigits = 0;
    let v = 0;
    while (p < end && b[p]! >= 0x30 && b[p]! <= 0x39) {
      v = v * 10 + b[p]! - 0x30;
      p++;
      intDigits++;
    }
    let fracDigits = 0;
    let dot = false;
    if (p < end && b[p] === 0x2e) {
      dot = true;
      p++;
      while (p < end && b[p]! >= 0x30 && b[p]! <= 0x39) {
        p++;
        fracDigits++;
      }
    }
    if (p === end && (intDigits > 0 || fracDigits > 0)) {
      if (!dot && b[start] !== 0x2b && b[start] !== 0x2d) {
        const gen = this.refTail();
        if (gen >= 0) {
          if (gen !== 0) throw new Unsupported('reference with a generation other than 0');
          if (intDigits > 15) return { t: 'ref', num: Number(this.text(start, end)), gen };
          if (v < REF_TABLE) return (refs[v] ??= { t: 'ref', num: v, gen: 0 });
          return { t: 'ref', num: v, gen };
        }
      }
      if (end - start > INTERNED_LENGTH) {
        const raw = this.text(start, end);
        return { t: 'num', raw, v: Number(raw) };
      }
      // Other short numbers (coordinates like 595.28) share the integers' table: keyed by their text.
      const slot = hashOf(b, start, end);
      const known = internedNumbers[slot];
      if (known !== undefined && sameText(b, start, end, known.raw)) return known;
      const raw = this.text(start, end);
      return (internedNumbers[slot] = { t: 'num', raw, v: Number(raw) });
    }
    const w = this.text(start, this.pos);
    if (w === 'true' || w === 'false' || w === 'null') return { t: 'kw', raw: w };
    throw new Unsupported(`unexpected token ${JSON.stringify(w.slice(0, 20))}`);
  }

  /** After an integer: ` G R` → G (consumed), else -1 and nothing consumed (as pdf-syntax's Lexer). */
  private refTail(): number {
    const b = this.bytes;
    const n = b.length;
    const save = this.pos;
    this.skipWs();
    let gen = 0;
    const digitsFrom = this.pos;
    while (this.pos < n && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x39 && this.pos - digitsFrom < 10) gen = gen * 10 + b[this.pos++]! - 0x30;
    const hasDigits = this.pos > digitsFrom && (this.pos >= n || STOP[b[this.pos]!]);
    if (hasDigits) {
      this.skipWs();
      const after = this.pos + 1;
      if (b[this.pos] === 0x52 && (after >= n || STOP[b[after]!])) {
        this.pos = after;
        return gen;
      }
    }
    this.pos = save;
    return -1;
  }
}
