import type * as base from 'pdf-lib';

/**
 * pdf-lib's parser reads a hex string one byte at a time, concatenating one character per byte:
 * for the 32 KB hex /Contents of every signature that is most of the parse time and garbage.
 * This reads the same value in one slice: every byte between `<` and the first `>` as a latin1
 * character (what pdf-lib's loop produces), and moves the stream's offset, line and column
 * exactly as its byte-by-byte `next()` would.
 */

/** The fields of pdf-lib's ByteStream this uses (TypeScript-private there). */
export interface ByteStreamInternals {
  bytes: Uint8Array;
  length: number;
  idx: number;
  line: number;
  column: number;
  assertNext(expected: number): number;
}

const LESS_THAN = 0x3c;
const GREATER_THAN = 0x3e;
const NEWLINE = 0x0a;

export function parseHexStringFast(stream: ByteStreamInternals, lib: typeof base): base.PDFHexString {
  stream.assertNext(LESS_THAN);
  const start = stream.idx;
  let end = stream.bytes.indexOf(GREATER_THAN, start);
  if (end < 0 || end > stream.length) end = stream.length;
  const value = Buffer.from(stream.bytes.buffer, stream.bytes.byteOffset + start, end - start).toString('latin1');
  let lastNewline = -1;
  for (let at = stream.bytes.indexOf(NEWLINE, start); at !== -1 && at < end; at = stream.bytes.indexOf(NEWLINE, at + 1)) {
    stream.line += 1;
    lastNewline = at;
  }
  stream.column = lastNewline === -1 ? stream.column + (end - start) : end - lastNewline - 1;
  stream.idx = end;
  stream.assertNext(GREATER_THAN);
  return lib.PDFHexString.of(value);
}
