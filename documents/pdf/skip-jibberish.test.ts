import * as base from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { DocumentError } from '../errors';
import { seededRandom } from '../../test/harness/seeded-random';
import { rawPdf } from './hostile-pdfs';
import { DEFAULT_TOKEN_LIMITS, limitTokenBytes, loadPdf } from './safe-load';
import { JibberishBudget, skipJibberish } from './skip-jibberish';

/** pdf-lib's own skipJibberish, on a parser with the same integer limit as loadPdf's: where it stops. */
function reference(bytes: Uint8Array, from: number, maxIntDigits: number): number {
  type Internals = { bytes: { moveTo(at: number): void; offset(): number }; skipJibberish(): void };
  const parser = new (base.PDFParser as unknown as new (b: Uint8Array, perTick: number, throwOnInvalid: boolean, capNumbers: boolean) => Internals)(bytes, Infinity, true, false);
  limitTokenBytes(parser, { ...DEFAULT_TOKEN_LIMITS, number: maxIntDigits }, () => {
    throw new Error('too long');
  });
  parser.bytes.moveTo(from);
  parser.skipJibberish();
  return parser.bytes.offset();
}

const latin1 = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));


// Pieces that exercise every branch: whitespace of each kind, comments, digits, the keywords and their
// prefixes, header fragments, bytes outside the printable range.
const PIECES = [' ', ' ', '  ', '\n', '\r', '\r\n', '\t', '\0', '\f', '%', '%', '% ', '%%', '0', '1', '7', '12', '0000', '12345',
  'x', 'y', 'o', 'ob', 'obj', 'xref', 'xre', 'trailer', 'trail', 'startxref', 'start', '1 0 obj', '1 0 ob', '3 2', ' 0 ', '\x80', '\xff', '<<', '('];

describe('skipJibberish: the same answer as pdf-lib', () => {
  it('on 4,000 generated junk strings, with a 4-digit integer limit and with the default', () => {
    for (let seed = 1; seed <= 4000; seed++) {
      const next = seededRandom(seed);
      const length = 1 + Math.floor(next() * 40);
      let text = '';
      for (let i = 0; i < length; i++) {
        const piece = PIECES[Math.floor(next() * PIECES.length)]!;
        text += next() < 0.1 ? piece.repeat(2 + Math.floor(next() * 12)) : piece;
      }
      const bytes = latin1(text);
      const from = Math.floor(next() * Math.min(4, bytes.length));
      for (const digits of [4, DEFAULT_TOKEN_LIMITS.number]) {
        const ours = skipJibberish(bytes, from, digits, JibberishBudget.forFile(bytes.length));
        if (ours !== reference(bytes, from, digits)) {
          expect({ seed, digits, text: JSON.stringify(text), from, ours }).toEqual({ seed, digits, text: JSON.stringify(text), from, ours: reference(bytes, from, digits) });
        }
      }
    }
  });

  it('on the patterns that cost pdf-lib n², reading each byte a bounded number of times', () => {
    const n = 50_000;
    const cases = {
      'spaces, then no header': 'x' + ' '.repeat(n) + 'y',
      'one long comment line': 'x' + '%'.repeat(n) + '\ny',
      'spaces and % on one comment line': 'x' + ' %'.repeat(n / 2) + '\ny',
      'indented comment lines': 'x' + ' %aaaa\n'.repeat(n / 7) + 'y',
      'digits in comments': 'x' + '% 1\n'.repeat(n / 4) + 'y',
      'spaces and newlines': 'x' + ' \n'.repeat(n / 2) + 'y',
      'a long number': 'x' + '1'.repeat(n) + ' 0 obj',
      'numbers and spaces': 'x' + '1 '.repeat(n / 2) + 'y',
      'almost headers': 'x' + '1 0 o'.repeat(n / 5) + 'y',
      'numbers before comments on one line': 'x' + ' 1%'.repeat(n / 3) + 'y',
      'minified CSS (a number before each %)': '<style>' + '.c{width:100%;height:50%}'.repeat(n / 25),
    };
    for (const [name, text] of Object.entries(cases)) {
      const bytes = latin1(text);
      const budget = JibberishBudget.forFile(bytes.length);
      const stop = skipJibberish(bytes, 0, DEFAULT_TOKEN_LIMITS.number, budget);
      // pdf-lib reads these in n²/2 bytes or more; linear skipping reads each a few times.
      expect(budget.used, name).toBeLessThanOrEqual(6 * bytes.length);
      // The long number is a header from where at most 256 digits remain.
      expect(stop, name).toBe(name === 'a long number' ? text.length - ' 0 obj'.length - DEFAULT_TOKEN_LIMITS.number : text.length);
    }
  });

  it('refuses the file (PDF_CORRUPT) once the lookaheads have read past the budget', () => {
    const bytes = latin1('x' + '1 '.repeat(500) + 'y');
    const error = (() => {
      try {
        skipJibberish(bytes, 0, 256, new JibberishBudget(200));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(DocumentError);
    expect((error as DocumentError).code).toBe('PDF_CORRUPT');
  });
});

describe('loadPdf: garbage between objects', () => {
  const PAGES = '<< /Type /Pages /Kids [3 0 R] /Count 1 >>';
  const PAGE = '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>';
  /** A one-page PDF with `junk` after object 1 (the catalog is defined again after it). */
  const withJunk = (junk: string) => rawPdf([`<< /Type /Catalog /Pages 2 0 R >>\nendobj\n${junk}\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>`, PAGES, PAGE]);

  it('loads a file with 10 KB of minified CSS after %%EOF, as pdf-lib does (each number before a % re-read its comment line)', async () => {
    const pdf = rawPdf([`<< /Type /Catalog /Pages 2 0 R >>`, PAGES, PAGE], '<style>' + '.c{width:100%;height:50%}'.repeat(400));
    expect((await loadPdf(pdf)).doc.getPageCount()).toBe(1);
    expect((await base.PDFDocument.load(pdf)).getPageCount()).toBe(1);
  });

  it('skips 200 KB of spaces or of % with no header after them as pdf-lib does, in linear time', async () => {
    for (const junk of ['x' + ' '.repeat(200_000) + 'y', 'x' + '%'.repeat(200_000) + '\ny', 'x' + ' %'.repeat(100_000) + '\ny']) {
      const { doc } = await loadPdf(withJunk(junk));
      expect(doc.getPageCount()).toBe(1);
    }
  });
});
