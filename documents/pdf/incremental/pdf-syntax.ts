/**
 * PDF object syntax (ISO 32000-1 §7.3) for the lean incremental writer: a parser for the direct
 * objects of one indirect object, and a writer that serializes them back. Numbers, names and
 * strings keep their source bytes, so an object that is rewritten with one entry changed keeps
 * every other entry byte for byte in meaning. Anything unexpected throws Unsupported: the caller
 * then takes the general pdf-lib path, which owns every error a malformed file deserves.
 */

export class Unsupported extends Error {}

export type PdfValue =
  | { t: 'num'; raw: string; v: number }
  | { t: 'name'; raw: string; v: string }
  | { t: 'str'; raw: string; hex: boolean }
  | { t: 'kw'; raw: 'true' | 'false' | 'null' }
  | { t: 'ref'; num: number; gen: number }
  | { t: 'arr'; items: PdfValue[] }
  | { t: 'dict'; entries: Map<string, PdfValue> }
  /** Pre-serialized text (only in objects this writer creates). */
  | { t: 'raw'; raw: string };

const WS = new Uint8Array(256);
for (const c of [0, 9, 10, 12, 13, 32]) WS[c] = 1;
const DELIM = new Uint8Array(256);
for (const c of '()<>[]{}/%') DELIM[c.charCodeAt(0)] = 1;

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const INTEGER = /^\d+$/;

/** Nesting depth of arrays and dictionaries, at most. */
const MAX_NESTING = 64;

export class Lexer {
  private readonly buf: Buffer;

  constructor(
    readonly bytes: Uint8Array,
    public pos: number,
    /** Exclusive end of what may be read. */
    readonly end = bytes.length,
  ) {
    this.buf = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  skipWs(): void {
    const b = this.bytes;
    while (this.pos < this.end) {
      const c = b[this.pos]!;
      if (WS[c]) this.pos++;
      else if (c === 0x25) {
        while (this.pos < this.end && b[this.pos] !== 10 && b[this.pos] !== 13) this.pos++;
      } else break;
    }
  }

  private text(from: number, to: number): string {
    return this.buf.toString('latin1', from, to);
  }

  /** A bare token (number, keyword) at pos; '' at a delimiter or the end. */
  word(): string {
    this.skipWs();
    const start = this.pos;
    const b = this.bytes;
    while (this.pos < this.end && !WS[b[this.pos]!] && !DELIM[b[this.pos]!]) this.pos++;
    return this.text(start, this.pos);
  }

  peekByte(): number {
    this.skipWs();
    return this.pos < this.end ? this.bytes[this.pos]! : -1;
  }

  expectWord(w: string): void {
    if (this.word() !== w) throw new Unsupported(`expected ${w}`);
  }

  /** A non-negative integer token. */
  uint(): number {
    const w = this.word();
    if (!/^\d{1,10}$/.test(w)) throw new Unsupported('expected an integer');
    return Number(w);
  }

  value(depth = 0): PdfValue {
    if (depth > MAX_NESTING) throw new Unsupported('nested too deeply');
    const c = this.peekByte();
    const b = this.bytes;
    if (c === 0x2f) {
      const start = this.pos++;
      while (this.pos < this.end && !WS[b[this.pos]!] && !DELIM[b[this.pos]!]) this.pos++;
      const raw = this.text(start, this.pos);
      return { t: 'name', raw, v: decodeName(raw) };
    }
    if (c === 0x3c && b[this.pos + 1] === 0x3c) {
      this.pos += 2;
      const entries = new Map<string, PdfValue>();
      for (;;) {
        const k = this.peekByte();
        if (k === 0x3e && b[this.pos + 1] === 0x3e) {
          this.pos += 2;
          return { t: 'dict', entries };
        }
        const key = this.value(depth + 1);
        if (key.t !== 'name') throw new Unsupported('dictionary key is not a name');
        entries.set(key.v, this.value(depth + 1));
      }
    }
    if (c === 0x3c) {
      const start = this.pos;
      const close = b.indexOf(0x3e, this.pos);
      if (close < 0 || close >= this.end) throw new Unsupported('unterminated hex string');
      this.pos = close + 1;
      return { t: 'str', raw: this.text(start, this.pos), hex: true };
    }
    if (c === 0x28) {
      const start = this.pos++;
      let open = 1;
      while (open > 0) {
        if (this.pos >= this.end) throw new Unsupported('unterminated string');
        const x = b[this.pos++]!;
        if (x === 0x5c) this.pos++;
        else if (x === 0x28) open++;
        else if (x === 0x29) open--;
      }
      return { t: 'str', raw: this.text(start, this.pos), hex: false };
    }
    if (c === 0x5b) {
      this.pos++;
      const items: PdfValue[] = [];
      while (this.peekByte() !== 0x5d) {
        if (this.pos >= this.end) throw new Unsupported('unterminated array');
        items.push(this.value(depth + 1));
      }
      this.pos++;
      return { t: 'arr', items };
    }
    const w = this.word();
    if (w === 'true' || w === 'false' || w === 'null') return { t: 'kw', raw: w };
    if (NUMBER.test(w)) {
      if (INTEGER.test(w)) {
        const gen = this.refTail();
        if (gen >= 0) return { t: 'ref', num: Number(w), gen };
      }
      return { t: 'num', raw: w, v: Number(w) };
    }
    throw new Unsupported(`unexpected token ${JSON.stringify(w.slice(0, 20))}`);
  }

  /** After an integer: ` G R` → G (and consumes it), else -1 and nothing consumed. Scans bytes, builds no strings. */
  private refTail(): number {
    const b = this.bytes;
    const save = this.pos;
    this.skipWs();
    let gen = 0;
    const digitsFrom = this.pos;
    while (this.pos < this.end && b[this.pos]! >= 0x30 && b[this.pos]! <= 0x39 && this.pos - digitsFrom < 10) gen = gen * 10 + b[this.pos++]! - 0x30;
    const hasDigits = this.pos > digitsFrom && (this.pos >= this.end || WS[b[this.pos]!] || DELIM[b[this.pos]!]);
    if (hasDigits) {
      this.skipWs();
      const after = this.pos + 1;
      if (b[this.pos] === 0x52 && (after >= this.end || WS[b[after]!] || DELIM[b[after]!])) {
        this.pos = after;
        return gen;
      }
    }
    this.pos = save;
    return -1;
  }
}

function decodeName(raw: string): string {
  if (!raw.includes('#')) return raw.slice(1);
  return raw.slice(1).replace(/#([0-9a-fA-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}

/** A name object for a plain ASCII name (no escaping needed). */
export const name = (v: string): PdfValue => ({ t: 'name', raw: `/${v}`, v });
export const num = (v: number): PdfValue => ({ t: 'num', raw: formatNumber(v), v });
export const ref = (n: number, gen = 0): PdfValue => ({ t: 'ref', num: n, gen });
export const raw = (text: string): PdfValue => ({ t: 'raw', raw: text });
export const dict = (entries: Record<string, PdfValue>): PdfValue => ({ t: 'dict', entries: new Map(Object.entries(entries)) });

export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) throw new Error('not a finite number');
  if (Number.isInteger(v)) return String(v);
  return String(Math.round(v * 1e6) / 1e6);
}

export function serialize(v: PdfValue): string {
  switch (v.t) {
    case 'num':
    case 'name':
    case 'str':
    case 'kw':
    case 'raw':
      return v.raw;
    case 'ref':
      return `${v.num} ${v.gen} R`;
    case 'arr':
      return `[${v.items.map(serialize).join(' ')}]`;
    case 'dict': {
      let out = '<<';
      for (const [k, x] of v.entries) out += ` ${encodeName(k)} ${serialize(x)}`;
      return `${out} >>`;
    }
  }
}

function encodeName(k: string): string {
  let out = '/';
  for (const ch of k) {
    const c = ch.charCodeAt(0);
    out += c > 0x20 && c < 0x7f && !'()<>[]{}/%#'.includes(ch) ? ch : `#${c.toString(16).padStart(2, '0')}`;
  }
  return out;
}
