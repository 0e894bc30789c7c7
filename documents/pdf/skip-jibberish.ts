import { DocumentError } from '../errors';

/**
 * pdf-lib's `skipJibberish` (PDFParser), in linear time and within a work budget.
 *
 * Between indirect objects pdf-lib skips bytes it cannot read, stopping at the first printable byte
 * that starts `xref`, `trailer`, `startxref` or an object header `N G obj`. Its header lookahead first
 * skips whitespace and comments, and it is tried again at every following byte: junk such as `x`, then
 * 20 KB of spaces or of `%`, with no header after them, cost 0.7 and 1.9 s (n²), and a 100 KB upload held
 * a document worker until its 15 s time budget. Here each run of whitespace, comment or digits is read
 * once: a lookahead that failed is not repeated where it would read the same bytes to the same end.
 * The answer is pdf-lib's (skip-jibberish.test.ts compares them on generated junk); what the memos do
 * not cover is bounded by `JibberishBudget` (PDF_CORRUPT past it).
 */

const SPACE = 0x20;
const TILDE = 0x7e;
const PERCENT = 0x25;
const LF = 0x0a;
const CR = 0x0d;
const ZERO = 0x30;
const NINE = 0x39;

/** pdf-lib's IsWhitespace: NUL, tab, LF, FF, CR, space. */
const WHITESPACE = new Uint8Array(256);
for (const b of [0x00, 0x09, LF, 0x0c, CR, SPACE]) WHITESPACE[b] = 1;

const keyword = (text: string) => Uint8Array.from([...text].map((c) => c.charCodeAt(0)));
const KEYWORDS = [keyword('xref'), keyword('trailer'), keyword('startxref')];
const OBJ = keyword('obj');

const isDigit = (b: number | undefined) => b !== undefined && b >= ZERO && b <= NINE;

/** Bytes the lookaheads may read over one parse; past it the file is refused. */
export class JibberishBudget {
  /** Bytes read so far. */
  used = 0;

  constructor(readonly limit: number) {}

  /** The budget for a file of `length` bytes: what linear skipping needs with room to spare. */
  static forFile(length: number): JibberishBudget {
    return new JibberishBudget(16 * length + 1024 * 1024);
  }

  take(bytes: number): void {
    this.used += bytes;
    if (this.used > this.limit) {
      throw new DocumentError('PDF_CORRUPT', 'the PDF has too much unreadable data between its objects');
    }
  }
}

/**
 * The offset where pdf-lib's skipJibberish would leave the parser, starting at `from`.
 * `maxIntDigits`: the parser's limit on an integer's digits (a longer run is not a header number).
 */
export function skipJibberish(bytes: Uint8Array, from: number, maxIntDigits: number, budget: JibberishBudget): number {
  const end = bytes.length;

  /**
   * The last long walk of skipWhitespaceAndComments, from `start` to `end`: every line end in between
   * is on its path (a comment stops at the first one, whitespace takes them all), so a walk that reaches
   * one of them ends where it ended.
   */
  let walked = { start: -1, end: -1 };
  /** The last comment skipped, from its `%` to its line end: a `%` inside it skips to the same line end. */
  let comment = { start: -1, end: -1 };
  /** Where the comment that holds `at` ends (its line end), reading the line only once. */
  const commentEnd = (at: number): number => {
    if (at >= comment.start && at < comment.end) return comment.end;
    let to = at;
    while (to < end && bytes[to] !== LF && bytes[to] !== CR) to++;
    budget.take(to - at);
    comment = { start: at, end: to };
    return to;
  };
  /** pdf-lib's skipWhitespaceAndComments from `at`: the first byte that is neither. */
  const skipWhitespaceAndComments = (from: number): number => {
    let at = from;
    let merged = false;
    for (;;) {
      const start = at;
      while (at < end && WHITESPACE[bytes[at]!]) {
        if ((bytes[at] === LF || bytes[at] === CR) && at >= walked.start && at < walked.end) {
          merged = true;
          break;
        }
        at++;
      }
      budget.take(at - start);
      if (merged || at >= end || bytes[at] !== PERCENT) break;
      at = commentEnd(at);
    }
    if (merged) return walked.end;
    if (at > walked.end) walked = { start: from, end: at };
    return at;
  };
  /** An integer as pdf-lib's (limited) parseRawInt reads it at `at`: its end, or -1. */
  const integerEnd = (at: number): number => {
    const stop = Math.min(end, at + maxIntDigits + 1);
    let to = at;
    while (to < stop && isDigit(bytes[to])) to++;
    budget.take(to - at);
    return to === at || to - at > maxIntDigits ? -1 : to;
  };
  const matches = (at: number, word: Uint8Array): boolean => {
    if (at + word.length > end) return false;
    for (let i = 0; i < word.length; i++) if (bytes[at + i] !== word[i]) return false;
    return true;
  };
  /** The rest of a header after its object number ends at `at`: ` G obj`. */
  const headerRestAt = (at: number): boolean => {
    const generationEnd = integerEnd(skipWhitespaceAndComments(at));
    return generationEnd >= 0 && matches(skipWhitespaceAndComments(generationEnd), OBJ);
  };
  const headerAt = (at: number): boolean => {
    const numberEnd = integerEnd(at);
    return numberEnd >= 0 && headerRestAt(numberEnd);
  };

  // Positions known to fail: their lookahead reads on to the same bytes as one that failed.
  /** Spaces before this offset: in the whitespace run of a failed lookahead. */
  let whitespaceFailsUntil = -1;
  /** Spaces and `%` before this offset: on the comment line of a failed lookahead (they reach its end). */
  let commentFailsUntil = -1;
  /** Digits before this offset: in the digit run of a failed lookahead whose number was read whole. */
  let digitsFailUntil = -1;
  /** The end of the digit run being skipped (its digits are counted once). */
  let digitRunEnd = -1;
  /** Where the last failed lookahead from whitespace or a comment looked for a header. */
  let failedTarget = -1;

  let at = skipWhitespaceAndComments(from);
  for (; at < end; at++) {
    const byte = bytes[at]!;
    if (byte < SPACE || byte > TILDE) continue;
    if (byte === SPACE && at < whitespaceFailsUntil) continue;
    if (byte === PERCENT && at < commentFailsUntil) continue;
    if (isDigit(byte) && at < digitsFailUntil) continue;
    budget.take(1);
    if (KEYWORDS.some((word) => matches(at, word))) return at;

    if (isDigit(byte)) {
      // The object number is the digit run from here: too long (a header only where fewer remain), or read whole.
      if (at >= digitRunEnd) {
        let to = at;
        while (to < end && isDigit(bytes[to])) to++;
        budget.take(to - at);
        digitRunEnd = to;
      }
      if (digitRunEnd - at > maxIntDigits) continue;
      if (headerRestAt(digitRunEnd)) return at;
      digitsFailUntil = digitRunEnd;
      continue;
    }
    if (byte !== SPACE && byte !== PERCENT) continue; // no whitespace to skip, and no number here

    let runEnd = at;
    while (runEnd < end && WHITESPACE[bytes[runEnd]!]) runEnd++;
    budget.take(runEnd - at);
    // A space on a failed comment line whose whitespace reaches a `%` or the line end goes the same way.
    const joinsComment = byte === SPACE && at < commentFailsUntil && (runEnd >= commentFailsUntil || bytes[runEnd] === PERCENT);
    if (!joinsComment) {
      const target = skipWhitespaceAndComments(at);
      if (target !== failedTarget) {
        if (headerAt(target)) return at;
        failedTarget = target;
      }
    }
    if (byte === SPACE) {
      whitespaceFailsUntil = runEnd;
    } else {
      commentFailsUntil = commentEnd(at);
    }
  }
  return end;
}
